/**
 * One self-contained HTML page a person can open: every Teams card rendered by the official
 * `adaptivecards` renderer (its browser build inlined, no network) with a Teams-like host config, the
 * runs, and the Log Analytics rows as a table. Renderer problems are collected per card into
 * `window.__renderErrors` and the `#render-errors` element (`data-count`), so a browser test can
 * check them; `body[data-cards-rendered]` says how many cards rendered.
 */
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TeamsMessage } from '../notify/card';
import { LOG_COLUMNS, LOG_TABLE, type AksDay2OpsRow } from '../notify/logRows';
import type { RunRecord } from '../records/outcome';
import { summarizeRun, type RunSummary } from '../records/runSummary';
import { TEAMS_HOST_CONFIG } from './teamsHostConfig';

export interface ReportInput {
  runs: ReadonlyArray<RunRecord | RunSummary>;
  cards: readonly TeamsMessage[];
  rows: readonly AksDay2OpsRow[];
  title?: string;
  /** Rows shown in the table at most (the rest are counted). Default 2,000. */
  maxRows?: number;
  /** A ChatOps conversation in the Teams channel: shown as a chat, reply cards rendered. */
  chat?: readonly ChatLine[];
}

/** One message said to `@day2` and the app's reply. */
export interface ChatLine {
  /** ISO time the message was said (virtual clock). */
  at: string;
  from: string;
  text: string;
  /** HTTP status of the reply. */
  status: number;
  /** Milliseconds the reply took. */
  ms: number;
  /** The reply body: `{type: 'message', text, attachments?}`. */
  reply: unknown;
}

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** JSON safe inside a <script> element. */
const scriptJson = (v: unknown): string =>
  JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

function rendererSource(): string {
  const file = path.join(
    path.dirname(require.resolve('adaptivecards/package.json')),
    'dist',
    'adaptivecards.min.js',
  );
  return readFileSync(file, 'utf8').replace(/<\/script/gi, '<\\/script');
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  return esc(typeof v === 'string' ? v : JSON.stringify(v));
}

export function renderHtmlReport(input: ReportInput): string {
  const title = input.title ?? 'aks-day2 report';
  const runs = input.runs.map((r) => ('outcomes' in r ? summarizeRun(r) : r));
  const maxRows = input.maxRows ?? 2000;
  const rows = input.rows.slice(0, maxRows);
  const cols = LOG_COLUMNS.map((c) => c.name);
  const runRows = runs
    .map(
      (r) =>
        `<tr><td>${esc(r.runId)}${r.dryRun ? ' <b>(dry run)</b>' : ''}</td><td>${esc(r.job)}</td><td>${esc(r.actor)}</td><td>${esc(r.startedAt.toISOString())}</td><td>${r.counts.Succeeded + r.counts.InProgress}</td><td>${r.counts.Planned}</td><td>${r.counts.Failed}</td><td>${r.counts.Skipped}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
  body { margin: 0; padding: 24px; background: #F5F5F5; font-family: 'Segoe UI', -apple-system, Roboto, 'Helvetica Neue', 'DejaVu Sans', sans-serif; color: #242424; }
  h1 { font-size: 22px; font-weight: 600; margin: 0 0 4px; }
  h2 { font-size: 17px; font-weight: 600; margin: 28px 0 10px; }
  .sub { color: #616161; font-size: 13px; }
  .card-frame { width: 760px; max-width: 100%; background: #FFFFFF; border-radius: 6px; box-shadow: 0 1px 3px rgba(0,0,0,.14), 0 0 1px rgba(0,0,0,.12); margin: 0 0 20px; overflow: hidden; }
  .card-caption { font-size: 12px; color: #616161; margin: 0 0 6px; }
  .card-frame .ac-adaptiveCard { border-left: 4px solid #5B5FC7; }
  .card-frame a { color: #5B5FC7; text-decoration: none; }
  .card-frame p { margin: 0; }
  .chat { width: 760px; max-width: 100%; }
  .chat-msg { margin: 0 0 6px; }
  .chat-who { font-size: 12px; color: #616161; margin: 0 0 2px; }
  .chat-text { display: inline-block; background: #FFFFFF; border-radius: 6px; padding: 6px 10px; box-shadow: 0 1px 2px rgba(0,0,0,.1); }
  .chat-reply { margin: 0 0 16px 32px; }
  .chat-reply .chat-text { background: #E8EBFA; }
  .chat-mention { color: #5B5FC7; font-weight: 600; }
  table.grid { border-collapse: collapse; background: #FFFFFF; font-size: 12px; }
  table.grid th, table.grid td { border: 1px solid #E0E0E0; padding: 4px 6px; text-align: left; vertical-align: top; max-width: 420px; overflow-wrap: anywhere; }
  table.grid th { background: #EBEBF7; position: sticky; top: 0; }
  #render-errors { color: #C4314B; white-space: pre-wrap; }
  #render-errors[data-count="0"] { display: none; }
</style>
</head>
<body>
<h1>${esc(title)}</h1>
<div class="sub">${runs.length} run(s) · ${input.cards.length} Teams card(s) · ${input.rows.length} ${LOG_TABLE} row(s)</div>
<pre id="render-errors" data-count="0"></pre>
${input.chat && input.chat.length ? `<h2>Teams channel: ChatOps</h2>\n<div class="chat" id="chat"></div>` : ''}
<h2>Teams cards</h2>
<div id="cards"></div>
<h2>Runs</h2>
<table class="grid"><thead><tr><th>RunId</th><th>Job</th><th>Actor</th><th>Started (UTC)</th><th>Changed</th><th>Planned</th><th>Failed</th><th>Skipped</th></tr></thead>
<tbody>${runRows}</tbody></table>
<h2>Log Analytics: ${LOG_TABLE}</h2>
<table class="grid" id="rows"><thead><tr>${cols.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead>
<tbody>
${rows.map((r) => `<tr>${cols.map((c) => `<td>${cell(r[c])}</td>`).join('')}</tr>`).join('\n')}
</tbody></table>
${input.rows.length > rows.length ? `<p class="sub">… and ${input.rows.length - rows.length} more rows not shown.</p>` : ''}
<script>${rendererSource()}</script>
<script id="card-data" type="application/json">${scriptJson(input.cards)}</script>
<script id="chat-data" type="application/json">${scriptJson(input.chat ?? [])}</script>
<script id="host-config" type="application/json">${scriptJson(TEAMS_HOST_CONFIG)}</script>
<script>
(function () {
  var errors = [];
  window.__renderErrors = errors;
  var rendered = 0;
  var escapeHtml = function (s) { return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'); };
  // The markdown Teams supports in cards that these cards use: [text](https://…) links and **bold**.
  AdaptiveCards.AdaptiveCard.onProcessMarkdown = function (text, result) {
    var html = escapeHtml(text)
      .replace(/\\[([^\\]]+)\\]\\((https:\\/\\/[^)\\s]+)\\)/g, function (_m, label, url) { return '<a href="' + url + '" target="_blank" rel="noopener">' + label + '</a>'; })
      .replace(/\\*\\*([^*]+)\\*\\*/g, '<strong>$1</strong>');
    result.outputHtml = '<p>' + html + '</p>';
    result.didProcess = true;
  };
  var hostConfig = new AdaptiveCards.HostConfig(JSON.parse(document.getElementById('host-config').textContent));
  var messages = JSON.parse(document.getElementById('card-data').textContent);
  var container = document.getElementById('cards');
  messages.forEach(function (message, i) {
    var report = function (msg) { errors.push({ card: i, message: msg }); };
    try {
      var attachments = (message && message.attachments) || [];
      if (message.type !== 'message' || attachments.length !== 1 || attachments[0].contentType !== 'application/vnd.microsoft.card.adaptive') {
        report('not a Workflows webhook message with one Adaptive Card attachment');
        return;
      }
      var content = attachments[0].content;
      var card = new AdaptiveCards.AdaptiveCard();
      card.hostConfig = hostConfig;
      var ctx = new AdaptiveCards.SerializationContext(AdaptiveCards.Versions.v1_4);
      card.parse(content, ctx);
      for (var e = 0; e < ctx.eventCount; e++) {
        var ev = ctx.getEventAt(e);
        report('parse: ' + AdaptiveCards.ValidationEvent[ev.event] + ': ' + ev.message);
      }
      var validation = card.validateProperties();
      validation.validationEvents.forEach(function (ev) {
        if (ev.event !== AdaptiveCards.ValidationEvent.Hint) report('validate: ' + AdaptiveCards.ValidationEvent[ev.event] + ': ' + ev.message);
      });
      var el = card.render();
      if (!el) { report('render() returned nothing'); return; }
      var caption = document.createElement('div');
      caption.className = 'card-caption';
      caption.textContent = 'Card ' + (i + 1) + ' · ' + (JSON.stringify(message).length / 1024).toFixed(1) + ' KB';
      var frame = document.createElement('div');
      frame.className = 'card-frame';
      frame.setAttribute('data-card', String(i));
      frame.appendChild(el);
      container.appendChild(caption);
      container.appendChild(frame);
      rendered++;
    } catch (err) {
      report('exception: ' + (err && err.message ? err.message : String(err)));
    }
  });
  // The ChatOps conversation: each message, then the reply (its text, and its card rendered when it has one).
  var chat = JSON.parse(document.getElementById('chat-data').textContent);
  var chatBox = document.getElementById('chat');
  var chatCards = 0;
  var bubble = function (cls, who, text) {
    var d = document.createElement('div');
    d.className = cls;
    var w = document.createElement('div');
    w.className = 'chat-who';
    w.textContent = who;
    var t = document.createElement('div');
    t.className = 'chat-text';
    t.textContent = text;
    d.appendChild(w);
    d.appendChild(t);
    return d;
  };
  chat.forEach(function (line, i) {
    if (!chatBox) return;
    var said = bubble('chat-msg', line.from + ' · ' + line.at.slice(11, 16) + ' UTC', '');
    var mention = document.createElement('span');
    mention.className = 'chat-mention';
    mention.textContent = '@day2 ';
    said.lastChild.appendChild(mention);
    said.lastChild.appendChild(document.createTextNode(line.text));
    chatBox.appendChild(said);
    var reply = line.reply || {};
    var answer = bubble('chat-reply', 'day2 · HTTP ' + line.status + ' in ' + Math.round(line.ms) + ' ms', typeof reply.text === 'string' ? reply.text : JSON.stringify(reply));
    var att = (reply.attachments || [])[0];
    if (att && att.contentType === 'application/vnd.microsoft.card.adaptive') {
      try {
        var card = new AdaptiveCards.AdaptiveCard();
        card.hostConfig = hostConfig;
        var cctx = new AdaptiveCards.SerializationContext(AdaptiveCards.Versions.v1_4);
        card.parse(att.content, cctx);
        for (var e = 0; e < cctx.eventCount; e++) errors.push({ card: 'chat ' + (i + 1), message: 'parse: ' + cctx.getEventAt(e).message });
        var el = card.render();
        if (el) {
          var frame = document.createElement('div');
          frame.className = 'card-frame';
          frame.setAttribute('data-chat-card', String(i));
          frame.appendChild(el);
          answer.removeChild(answer.lastChild);
          answer.appendChild(frame);
          chatCards++;
        } else errors.push({ card: 'chat ' + (i + 1), message: 'render() returned nothing' });
      } catch (err) {
        errors.push({ card: 'chat ' + (i + 1), message: 'exception: ' + (err && err.message ? err.message : String(err)) });
      }
    }
    chatBox.appendChild(answer);
  });
  document.body.setAttribute('data-chat-cards-rendered', String(chatCards));
  var box = document.getElementById('render-errors');
  box.setAttribute('data-count', String(errors.length));
  box.textContent = errors.map(function (e) { return (typeof e.card === 'number' ? 'card ' + (e.card + 1) : e.card) + ': ' + e.message; }).join('\\n');
  document.body.setAttribute('data-cards-rendered', String(rendered));
})();
</script>
</body>
</html>
`;
}

/** Writes the report page to `file` (directories created). */
export async function writeHtmlReport(file: string, input: ReportInput): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, renderHtmlReport(input), 'utf8');
}
