import { createHash } from 'node:crypto';
import type { HttpHandler, HttpResponseInit } from '@azure/functions';
import { appendAudit } from '../audit/auditTrail';
import { toDay2Error } from '../azure/azureError';
import { depsFor } from '../deps';
import { errorMessage } from '../errors';
import { boundedPrincipal } from '../http/principal';
import type { Actor, Outcome } from '../records/outcome';
import { Tables } from '../storage/tables';
import { executeCommand, type Answer, type Sender } from './execute';
import { GENERAL_USAGE, parseCommand } from './grammar';
import { ReplayStore } from './replayStore';
import { textReply, type ChatReply } from './reply';
import { roleOf } from './roles';
import { checkTeamsSignature } from './signature';

/** Bodies longer than this are not read (a Teams activity is a few KB). */
export const MAX_BODY_BYTES = 1_048_576;

interface Activity {
  id?: unknown;
  type?: unknown;
  text?: unknown;
  from?: { id?: unknown; name?: unknown; aadObjectId?: unknown };
}

const json = (status: number, body: unknown): HttpResponseInit => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify(body),
});

const str = (v: unknown, max: number): string | undefined =>
  typeof v === 'string' && v.length > 0 ? v.slice(0, max) : undefined;

async function readBody(req: Parameters<HttpHandler>[0]): Promise<Buffer | 'too-large'> {
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) return 'too-large';
  const b = Buffer.from(await req.arrayBuffer());
  return b.length > MAX_BODY_BYTES ? 'too-large' : b;
}

/**
 * `chatops`: a Teams outgoing webhook (`@day2 <command>`, docs/chatops.md). The raw body is read once and
 * its HMAC checked in constant time before anything is parsed (401 and an audit row when it is missing
 * or wrong); a replayed activity id is ignored; the text is parsed by the one grammar; the sender's role
 * (`DAY2_CHATOPS_ROLES`, by Entra object id) decides; read commands are answered from state and ARM,
 * changes are checked, queued for `commandWorker` and answered at once. Every call leaves an audit row
 * (`Actor` = `teams:<object id>`). Never answers 5xx for what a message holds: a failure while carrying
 * a command out is a one-line reply saying so (and a logged error).
 */
export function chatopsHandler(opts: { tablePrefix?: string } = {}): HttpHandler {
  let replays: ReplayStore | undefined;
  return async (req, ctx) => {
    const started = Date.now();
    const deps = depsFor(ctx);
    const audit = async (
      actor: Actor,
      action: string,
      outcome: Outcome,
      reason: string,
      extra: { cluster?: Answer['cluster']; runId?: string; details?: Record<string, unknown> } = {},
    ): Promise<void> => {
      try {
        await appendAudit(
          deps,
          {
            actor,
            job: 'chatops',
            action,
            outcome,
            reason: reason.slice(0, 500),
            at: deps.clock.now(),
            durationMs: Date.now() - started,
            key: ctx.invocationId,
            ...(extra.cluster ? { cluster: extra.cluster } : {}),
            ...(extra.runId ? { runId: extra.runId } : {}),
            ...(extra.details ? { details: extra.details } : {}),
          },
          opts.tablePrefix,
        );
      } catch (err) {
        ctx.error(`chatops: the audit row was not stored: ${errorMessage(err)}`);
      }
    };

    const body = await readBody(req);
    if (body === 'too-large') {
      await audit('teams:unverified', 'chatops', 'Failed', `body over ${MAX_BODY_BYTES} bytes: not read`);
      return json(413, textReply(`the message is larger than ${MAX_BODY_BYTES} bytes`));
    }
    const sig = checkTeamsSignature(
      body,
      req.headers.get('authorization'),
      deps.settings.teamsOutgoingSecret,
    );
    if (sig !== 'valid') {
      const why =
        sig === 'not-configured'
          ? 'DAY2_TEAMS_OUTGOING_SECRET is not set, so no message can be verified'
          : `the HMAC signature is ${sig}`;
      ctx.warn(`chatops: 401: ${why}`);
      await audit('teams:unverified', 'chatops', 'Failed', `401: ${why}`, { details: { status: 401 } });
      return json(401, textReply('unauthorized: the message is not signed by the Teams outgoing webhook'));
    }

    let activity: Activity;
    try {
      const parsed: unknown = JSON.parse(body.toString('utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('not an object');
      activity = parsed;
    } catch {
      await audit('teams:unknown', 'chatops', 'Skipped', 'the signed body is not a JSON activity');
      return json(200, textReply(`the message could not be read; ${GENERAL_USAGE}`));
    }
    const from = typeof activity.from === 'object' && activity.from !== null ? activity.from : {};
    const oid = str(from.aadObjectId, 200);
    const sender: Sender = {
      actor: `teams:${oid ? boundedPrincipal(oid) : 'unknown'}`,
      name: str(from.name, 100) ?? 'someone',
      role: oid ? roleOf(deps.settings, oid) : undefined,
    };

    replays ??= new ReplayStore(new Tables(deps.settings.storageConnectionString, opts.tablePrefix));
    const activityKey = str(activity.id, 1_000) ?? `body:${createHash('sha256').update(body).digest('hex')}`;
    const now = deps.clock.now();
    if (!(await replays.firstSeen(activityKey, now))) {
      await audit(sender.actor, 'chatops replay', 'Skipped', 'a replayed activity: ignored');
      return json(200, textReply('this message was already handled; nothing was done again'));
    }
    replays
      .pruneIfDue(now)
      .catch((err: unknown) => ctx.warn(`chatops: pruning activity ids: ${errorMessage(err)}`));

    const text = typeof activity.text === 'string' ? activity.text : '';
    const parsed = parseCommand(text);
    if (!parsed.ok) {
      await audit(sender.actor, 'chatops usage', 'Skipped', parsed.usage);
      return json(200, textReply(parsed.usage));
    }
    const verb = parsed.command.verb;
    let answer: Answer;
    try {
      answer = await executeCommand(deps, parsed.command, sender);
    } catch (err) {
      const e = toDay2Error(err, { operation: `chatops ${verb}` });
      ctx.error(`chatops: ${verb} failed: ${e.code}: ${e.message}`);
      const reply: ChatReply = textReply(`${verb} could not be carried out now (${e.code}): ${e.message}`);
      await audit(sender.actor, `chatops ${verb}`, 'Failed', `${e.code}: ${e.message}`);
      return json(200, reply);
    }
    await audit(sender.actor, `chatops ${verb}`, answer.outcome, answer.reason, {
      cluster: answer.cluster,
      runId: answer.runId,
      details: answer.refusedFor ? { refused: true, neededRole: answer.refusedFor } : undefined,
    });
    return json(200, answer.reply);
  };
}
