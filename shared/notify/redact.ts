/**
 * A Teams Workflows webhook URL carries its secret in the query (`sig=…`): it must never reach a log,
 * an error message or a stored record. Everything the notifier logs about a delivery passes here.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/([?&](?:sig|code|sv|se|sp|sr|skoid|sktid)=)[^&\s"'<>]+/gi, '$1REDACTED')
    .replace(/(https?:\/\/[^\s"'<>?]*\/workflows\/[^\s"'<>?]*)\?[^\s"'<>]*/gi, '$1?REDACTED');
}

/** The webhook URL as it may be shown: scheme, host and path only. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}${u.search ? '?REDACTED' : ''}`;
  } catch {
    return '(unparseable URL)';
  }
}
