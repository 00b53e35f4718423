import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { badRequest } from './errors';
import { isRecord, route, type Route } from './http';

/** A member of the simulated channel: who says a message. */
export interface ChannelMember {
  name: string;
  aadObjectId: string;
  /** The role the local app settings give this member (`DAY2_CHATOPS_ROLES`). */
  role: 'reader' | 'operator' | 'approver' | 'none';
}

/** The channel's people; `startLocalEnvironment` gives them these roles. */
export const CHANNEL_MEMBERS: readonly ChannelMember[] = [
  { name: 'Alice Martin', aadObjectId: 'a11ce000-0000-4000-8000-00000000a001', role: 'operator' },
  { name: 'Bruno Costa', aadObjectId: 'b7a00000-0000-4000-8000-00000000b002', role: 'approver' },
  { name: 'Chloé Durand', aadObjectId: 'c410e000-0000-4000-8000-00000000c003', role: 'reader' },
  { name: 'Dmitri Novak', aadObjectId: 'd3170000-0000-4000-8000-00000000d004', role: 'approver' },
  { name: 'Eve Visitor', aadObjectId: 'e5e00000-0000-4000-8000-00000000e005', role: 'none' },
];

/** One message said in the channel and how the app answered. */
export interface ChannelExchange {
  activityId: string;
  /** Virtual time the message was said. */
  at: string;
  from: { name: string; aadObjectId: string };
  text: string;
  signature: 'valid' | 'bad' | 'none';
  /** HTTP status of the app's answer (0: no answer: connection failed). */
  status: number;
  /** The app's reply body (parsed JSON when it is JSON). */
  reply: unknown;
  /** Wall-clock milliseconds from sending to the whole reply. */
  ms: number;
  error?: string;
}

const MAX_KEPT = 2_000;

/**
 * A Teams channel with an outgoing webhook `day2`: a message said here as a member is turned into the
 * activity Teams posts (`<at>day2</at> …`), signed as Teams signs it (HMAC-SHA256 of the raw body keyed
 * with the base64-decoded security token, `Authorization: HMAC <base64>`), posted to the app's
 * `chatops` endpoint; the reply and the time it took are kept.
 */
export class TeamsChannel {
  /** The security token Teams shows when the webhook is created (base64). */
  readonly secret = randomBytes(32).toString('base64');
  url: string | undefined;
  readonly exchanges: ChannelExchange[] = [];
  private readonly channelId = `19:${randomBytes(8).toString('hex')}@thread.tacv2`;

  constructor(private readonly nowMs: () => number) {}

  sign(body: string | Buffer, secret = this.secret): string {
    return createHmac('sha256', Buffer.from(secret, 'base64')).update(body).digest('base64');
  }

  activity(from: { name: string; aadObjectId: string }, text: string, id: string): Record<string, unknown> {
    return {
      type: 'message',
      id,
      timestamp: new Date(this.nowMs()).toISOString(),
      serviceUrl: 'https://smba.trafficmanager.net/emea/',
      channelId: 'msteams',
      from: { id: `29:${from.aadObjectId}`, name: from.name, aadObjectId: from.aadObjectId },
      conversation: { isGroup: true, id: `${this.channelId};messageid=${id}`, name: null },
      recipient: null,
      textFormat: 'plain',
      text: `<at>day2</at>&nbsp;${text}`,
      entities: [{ type: 'clientInfo', locale: 'en-GB', country: 'GB', platform: 'Web' }],
      channelData: {
        teamsChannelId: this.channelId,
        teamsTeamId: this.channelId,
        channel: { id: this.channelId },
        team: { id: this.channelId },
        tenant: { id: 'd2d2d2d2-0000-4000-8000-000000000001' },
      },
    };
  }

  /** Says `text` as `from`, or posts `rawBody` as is (signed unless told otherwise). */
  async say(req: {
    from: { name: string; aadObjectId: string };
    text?: string;
    activityId?: string;
    signature?: 'valid' | 'bad' | 'none';
    rawBody?: string;
  }): Promise<ChannelExchange> {
    if (!this.url)
      throw badRequest('InvalidRequestContent', 'no chatops endpoint: POST /admin/teams/channel {url} first');
    const id = req.activityId ?? `1${String(this.nowMs())}${randomUUID().slice(0, 4)}`;
    const text = req.text ?? '';
    const body = req.rawBody ?? JSON.stringify(this.activity(req.from, text, id));
    const signature = req.signature ?? 'valid';
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    if (signature === 'valid') headers.authorization = `HMAC ${this.sign(body)}`;
    if (signature === 'bad')
      headers.authorization = `HMAC ${this.sign(body, randomBytes(32).toString('base64'))}`;
    const at = new Date(this.nowMs()).toISOString();
    const t0 = performance.now();
    let status = 0;
    let reply: unknown;
    let error: string | undefined;
    try {
      const res = await fetch(this.url, { method: 'POST', headers, body });
      status = res.status;
      const raw = await res.text();
      try {
        reply = JSON.parse(raw) as unknown;
      } catch {
        reply = raw;
      }
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    const ex: ChannelExchange = {
      activityId: id,
      at,
      from: req.from,
      text: req.rawBody !== undefined ? req.rawBody.slice(0, 200) : text,
      signature,
      status,
      reply,
      ms: Math.round((performance.now() - t0) * 10) / 10,
      ...(error ? { error } : {}),
    };
    this.exchanges.push(ex);
    if (this.exchanges.length > MAX_KEPT) this.exchanges.splice(0, this.exchanges.length - MAX_KEPT);
    return ex;
  }
}

function member(v: unknown): { name: string; aadObjectId: string } {
  if (typeof v === 'string') {
    const m = CHANNEL_MEMBERS.find(
      (x) => x.name.toLowerCase().startsWith(v.toLowerCase()) || x.aadObjectId === v,
    );
    if (!m)
      throw badRequest(
        'InvalidRequestContent',
        `"from": no channel member "${v}" (members: ${CHANNEL_MEMBERS.map((x) => x.name).join(', ')})`,
      );
    return { name: m.name, aadObjectId: m.aadObjectId };
  }
  if (isRecord(v) && typeof v.aadObjectId === 'string')
    return { name: typeof v.name === 'string' ? v.name : v.aadObjectId, aadObjectId: v.aadObjectId };
  throw badRequest('InvalidRequestContent', '"from": a member name or {aadObjectId, name}');
}

/** `/admin/teams/channel…`: configure the endpoint, say a message, read the conversation. */
export function teamsChannelRoutes(channel: TeamsChannel): Route[] {
  const view = () => ({
    url: channel.url ?? null,
    secret: channel.secret,
    members: CHANNEL_MEMBERS,
    messages: channel.exchanges,
  });
  return [
    route('GET', '/admin/teams/channel', 'Admin_TeamsChannel', () => ({ status: 200, body: view() })),
    route('POST', '/admin/teams/channel', 'Admin_TeamsChannelSet', (req) => {
      const b = isRecord(req.body) ? req.body : {};
      if (b.url !== null && (typeof b.url !== 'string' || !/^https?:\/\//.test(b.url)))
        throw badRequest(
          'InvalidRequestContent',
          '"url": the app\'s chatops endpoint, e.g. http://127.0.0.1:7071/api/chatops',
        );
      channel.url = b.url ?? undefined;
      return { status: 200, body: view() };
    }),
    route('DELETE', '/admin/teams/channel', 'Admin_TeamsChannelClear', () => {
      channel.exchanges.length = 0;
      return { status: 204 };
    }),
    route('POST', '/admin/teams/channel/say', 'Admin_TeamsChannelSay', async (req) => {
      const b = isRecord(req.body) ? req.body : {};
      const sig = b.signature;
      if (sig !== undefined && sig !== 'valid' && sig !== 'bad' && sig !== 'none')
        throw badRequest('InvalidRequestContent', '"signature": valid | bad | none');
      if (b.text !== undefined && typeof b.text !== 'string')
        throw badRequest('InvalidRequestContent', '"text": a string');
      if (b.rawBody !== undefined && typeof b.rawBody !== 'string')
        throw badRequest('InvalidRequestContent', '"rawBody": a string');
      if (b.activityId !== undefined && typeof b.activityId !== 'string')
        throw badRequest('InvalidRequestContent', '"activityId": a string');
      const ex = await channel.say({
        from: member(b.from ?? 'Alice'),
        ...(typeof b.text === 'string' ? { text: b.text } : {}),
        ...(typeof b.activityId === 'string' ? { activityId: b.activityId } : {}),
        ...(typeof b.rawBody === 'string' ? { rawBody: b.rawBody } : {}),
        ...(sig ? { signature: sig } : {}),
      });
      return { status: 200, body: ex };
    }),
  ];
}
