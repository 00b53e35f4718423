import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Actor } from '../records/outcome';

/**
 * Work that the HTTP API and ChatOps accept and the `commandWorker` carries out. A new
 * kind is added here (schema and type) and in `handlers.ts` (the compiler then asks for its handler).
 * Every text field is bounded: a message is at most a few hundred bytes.
 */
const runId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'a run id');
const clusterHint = z.string().min(1).max(400).optional();

export const CommandSchema = z.discriminatedUnion('kind', [
  /** Carry an upgrade run forward from wherever it stands (resumable, idempotent). */
  z.object({ kind: z.literal('upgrade'), runId, cluster: clusterHint }).strict(),
  /** Record an approval by the envelope's actor (four eyes checked again), then carry the run forward. */
  z.object({ kind: z.literal('approve'), runId, cluster: clusterHint }).strict(),
  /** Cancel a run on behalf of the envelope's actor. */
  z.object({ kind: z.literal('cancel'), runId, cluster: clusterHint }).strict(),
  /** Keep a cluster running past its stop edge (`until` local HH:MM or `for` 2h). */
  z
    .object({
      kind: z.literal('snooze'),
      cluster: z.string().min(1).max(400),
      until: z.string().max(5).optional(),
      for: z.string().max(16).optional(),
      /** When given (ChatOps), the outcome is reported as this run (card + row). */
      reportAs: runId.optional(),
    })
    .strict(),
  /** Stop or start a cluster now (ChatOps); the outcome is reported as run `reportAs`. */
  z.object({ kind: z.literal('stop'), cluster: z.string().min(1).max(400), reportAs: runId }).strict(),
  z.object({ kind: z.literal('start'), cluster: z.string().min(1).max(400), reportAs: runId }).strict(),
]);

export type Day2Command = z.infer<typeof CommandSchema>;
export type CommandKind = Day2Command['kind'];

const ACTOR = /^(timer|eventgrid|http:[\w.@:-]{1,64}|teams:[\w.@:-]{1,64})$/;

export const EnvelopeSchema = z
  .object({
    v: z.literal(1),
    id: z.uuid(),
    actor: z.string().regex(ACTOR, 'an actor (http:<principal>, teams:<object id>, timer)'),
    requestedAt: z.iso.datetime(),
    command: CommandSchema,
  })
  .strict();

/** One queue message: the command, who asked and when, and an id that follows it to the poison queue. */
export interface CommandEnvelope {
  v: 1;
  id: string;
  actor: Actor;
  requestedAt: string;
  command: Day2Command;
}

export function newEnvelope(command: Day2Command, actor: Actor, at: Date): CommandEnvelope {
  return { v: 1, id: randomUUID(), actor, requestedAt: at.toISOString(), command };
}

/** A short description for logs and cards: `upgrade run R…`, `snooze aks-dev-01`. */
export function describeCommand(c: Day2Command): string {
  return 'runId' in c ? `${c.kind} run ${c.runId}` : `${c.kind} ${c.cluster}`;
}
