/**
 * Text a user or a payload controls, made safe to quote in a message, a log line or a card: control,
 * zero-width, bidi and other invisible characters are shown as `\u{200b}`, and the text is cut to
 * `max` characters (`…` and the full length say so). Without this, `"0 19 * * 1-5"` and
 * `"0 19 * * 1-5\u200b"` would read the same in an error that says the second is wrong.
 */

const INVISIBLE =
  /[\u0000-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8]/g;

export function visible(text: string, max = 120): string {
  const chars = [...text];
  const cut = chars.length > max ? chars.slice(0, max) : chars;
  const shown = cut
    .join('')
    .replace(INVISIBLE, (ch) => `\\u{${ch.codePointAt(0)!.toString(16).padStart(4, '0')}}`);
  return chars.length > max ? `${shown}… (${chars.length} characters)` : shown;
}

/** `"text"` with `visible`'s escaping: how messages quote a bad value. */
export function quoted(text: string, max = 120): string {
  return `"${visible(text, max)}"`;
}
