import { enqueueCommand } from '../commands/enqueue';
import type { Deps } from '../deps';
import { Day2Error, errorMessage } from '../errors';
import { toClusterSnapshot, type ClusterSnapshot } from '../fleet/cluster';
import { parseClusterPolicy } from '../policy/tags';
import { planPowerSchedule } from '../power/plan';
import { newRunId } from '../records/newRunId';
import type { Actor, Outcome } from '../records/outcome';
import { planUnattended } from '../upgrades/runKubernetesUpgrade';
import { getRun, isTerminalRun, listRuns, requestUpgrade, UpgradeError } from '../upgrades/api';
import { planVersionSupport } from '../versions/planVersionSupport';
import { fleetListing } from './fleetListing';
import { GENERAL_USAGE, READ_VERBS, USAGE, type ChatCommand, type Verb } from './grammar';
import { cardReply, textReply, type ChatReply } from './reply';
import { candidateLabel, MAX_CANDIDATES, resolveCluster } from './resolveCluster';
import { hasRole, type ChatRole } from './roles';

/** Who sent the message, as the `chatops` function verified it. */
export interface Sender {
  /** `teams:<object id>` (bounded). */
  actor: Actor;
  /** Display name, for replies only. */
  name: string;
  role: ChatRole | undefined;
}

/** The reply and what the audit row says about the command. */
export interface Answer {
  reply: ChatReply;
  outcome: Outcome;
  reason: string;
  cluster?: ClusterSnapshot;
  runId?: string;
  /** A refusal by role: the role that was needed. */
  refusedFor?: ChatRole;
}

const ok = (reply: ChatReply, reason: string, extra: Partial<Answer> = {}): Answer => ({
  reply,
  outcome: 'Succeeded',
  reason,
  ...extra,
});

function refuse(sender: Sender, needed: ChatRole, what: string, extra: Partial<Answer> = {}): Answer {
  const has = sender.role ? `you are a ${sender.role}` : 'you have no ChatOps role';
  const text = `${what} needs the ${needed} role (${has}; roles are set in DAY2_CHATOPS_ROLES)`;
  return {
    reply: textReply(text),
    outcome: 'Skipped',
    reason: `refused: ${text}`,
    refusedFor: needed,
    ...extra,
  };
}

/** The fleet, read once per command (names are resolved against it). */
function fleet(deps: Deps): Promise<ClusterSnapshot[]> {
  return fleetListing(deps);
}

type Resolved = { cluster: ClusterSnapshot } | { answer: Answer };

async function one(deps: Deps, typed: string, verb: Verb, clusters?: ClusterSnapshot[]): Promise<Resolved> {
  const r = resolveCluster(clusters ?? (await fleet(deps)), typed);
  if (r.kind === 'one') return { cluster: r.cluster };
  const shown = typed.length > 64 ? `${typed.slice(0, 64)}…` : typed;
  if (r.kind === 'unknown') {
    const text = `no cluster named "${shown}"; usage: @day2 ${USAGE[verb]}`;
    return { answer: { reply: textReply(text), outcome: 'Skipped', reason: text } };
  }
  const list = r.candidates.slice(0, MAX_CANDIDATES).map(candidateLabel);
  const more =
    r.candidates.length > MAX_CANDIDATES ? `, and ${r.candidates.length - MAX_CANDIDATES} more` : '';
  const text = `"${shown}" could be ${r.candidates.length} clusters: ${list.join('; ')}${more}. Say which one (its full name, or its resource id).`;
  return {
    answer: {
      reply: cardReply(
        text,
        `"${shown}" is ambiguous`,
        [{ lines: list }],
        'Say which one: its full name or resource id',
      ),
      outcome: 'Skipped',
      reason: `ambiguous cluster name: ${r.candidates.length} candidates`,
    },
  };
}

const isProd = (deps: Deps, c: ClusterSnapshot): boolean =>
  parseClusterPolicy(c.tags, { defaultTimezone: deps.settings.defaultTimezone }).prod;

/** Carries out one parsed command for a verified sender: read commands answered now, changes checked and queued. */
export async function executeCommand(deps: Deps, cmd: ChatCommand, sender: Sender): Promise<Answer> {
  if (cmd.verb === 'help') return help(sender);
  if (READ_VERBS.has(cmd.verb) && !hasRole(sender.role, 'reader')) return refuse(sender, 'reader', cmd.verb);
  switch (cmd.verb) {
    case 'status':
      return status(deps, cmd.cluster);
    case 'plan':
      return plan(deps);
    case 'versions':
      return versions(deps, cmd.cluster);
    case 'runs':
      return runs(deps, cmd.cluster);
    case 'stop':
    case 'start':
    case 'snooze':
      return power(deps, cmd, sender);
    case 'node-image':
    case 'upgrade':
      return upgrade(deps, cmd, sender);
    case 'approve':
      return approve(deps, cmd.run, sender);
    case 'cancel':
      return cancel(deps, cmd.run, sender);
  }
}

function help(sender: Sender): Answer {
  const lines = (Object.keys(USAGE) as Verb[]).map((v) => `@day2 ${USAGE[v]}`);
  return ok(
    cardReply(GENERAL_USAGE, 'aks-day2 commands', [{ lines }], `your role: ${sender.role ?? 'none'}`),
    'help',
  );
}

async function status(deps: Deps, typed?: string): Promise<Answer> {
  const clusters = await fleet(deps);
  if (typed === undefined) {
    const facts: Array<[string, string]> = clusters
      .slice()
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((c) => [c.name, `${c.powerState}, ${c.kubernetesVersion}, ${c.provisioningState}`]);
    const running = clusters.filter((c) => c.powerState === 'Running').length;
    const text = `${clusters.length} clusters, ${running} running`;
    return ok(cardReply(text, 'Fleet status', [{ facts }], text), 'status of the fleet');
  }
  const r = await one(deps, typed, 'status', clusters);
  if ('answer' in r) return r.answer;
  // The listing may be a few seconds old: one cluster's status is read now.
  const c = toClusterSnapshot(
    await deps.azure
      .aks(r.cluster.subscriptionId)
      .managedClusters.get(r.cluster.resourceGroup, r.cluster.name),
  );
  const run = await deps.state.upgradeRuns.activeFor(c);
  const facts: Array<[string, string]> = [
    ['power', c.powerState],
    ['version', c.kubernetesVersion],
    ['provisioning', c.provisioningState],
    ['pools', c.pools.map((p) => `${p.name} (${p.count ?? '?'} × ${p.vmSize ?? '?'})`).join(', ')],
    ['upgrade run', run ? `${run.id} (${run.state})` : 'none'],
  ];
  const text = `${c.name}: ${c.powerState}, ${c.kubernetesVersion}, ${c.provisioningState}`;
  return ok(
    cardReply(text, c.name, [{ facts }], `${c.resourceGroup} · ${c.location}`),
    `status of ${c.name}`,
    {
      cluster: c,
    },
  );
}

async function plan(deps: Deps): Promise<Answer> {
  const now = deps.clock.now();
  const inv = { clusters: await fleet(deps) };
  const [snoozes, handledEdges, upgrades] = await Promise.all([
    deps.state.snoozes.all(now),
    deps.state.edges.all(),
    planUnattended(deps),
  ]);
  const power = planPowerSchedule({
    now,
    clusters: inv.clusters,
    defaultTimezone: deps.settings.defaultTimezone,
    catchupMinutes: deps.settings.catchupMinutes,
    snoozes,
    handledEdges,
  });
  const powerLines = power.decisions
    .filter((d) => d.kind !== 'skip')
    .map((d) => `${d.action} ${d.cluster.name}: ${d.reason}`);
  const upgradeLines = upgrades.decisions
    .filter((d) => d.kind === 'upgrade')
    .map((d) => `upgrade ${d.cluster.name} ${d.from} → ${d.to ?? '?'} (ring ${d.ring})`);
  const lines = [...powerLines, ...upgradeLines];
  const text = `${powerLines.length} power action(s) and ${upgradeLines.length} upgrade(s) due now`;
  return ok(
    cardReply(
      text,
      'What the jobs would do now',
      [{ lines: lines.length ? lines : ['nothing is due'] }],
      text,
    ),
    'plan',
  );
}

async function versions(deps: Deps, typed?: string): Promise<Answer> {
  let ids: string[] | undefined;
  let cluster: ClusterSnapshot | undefined;
  if (typed !== undefined) {
    const r = await one(deps, typed, 'versions');
    if ('answer' in r) return r.answer;
    cluster = r.cluster;
    ids = [cluster.id];
  }
  const p = await planVersionSupport(
    { ...deps, log: { ...deps.log, info: () => undefined } },
    ids ? { clusterIds: ids } : {},
  );
  const facts: Array<[string, string]> = p.assessments.map((a) => [
    a.cluster.name,
    `${a.version}: ${a.status}${a.daysLeft !== null ? `, ${a.daysLeft} days of support left` : ''}${a.path.length ? `; path ${a.path.join(' → ')}` : ''}`,
  ]);
  const text = cluster
    ? (p.assessments[0]?.reason ?? `${cluster.name}: its versions could not be read`)
    : `${p.assessments.filter((a) => a.status === 'unsupported').length} cluster(s) unsupported, ${p.assessments.filter((a) => a.status === 'ending').length} ending`;
  return ok(
    cardReply(text, cluster ? `Versions of ${cluster.name}` : 'Version support', [{ facts }], text),
    'versions',
    {
      ...(cluster ? { cluster } : {}),
    },
  );
}

async function runs(deps: Deps, typed?: string): Promise<Answer> {
  let cluster: ClusterSnapshot | undefined;
  if (typed !== undefined) {
    const r = await one(deps, typed, 'runs');
    if ('answer' in r) return r.answer;
    cluster = r.cluster;
  }
  const [jobRuns, upgradeRuns] = await Promise.all([
    deps.notifier.runs.list({ ...(cluster ? { cluster: cluster.id } : {}), limit: 10 }),
    listRuns(deps, { ...(cluster ? { cluster: cluster.id } : {}), maxPageSize: 10 }),
  ]);
  const lines = [
    ...upgradeRuns.runs.map(
      (r) => `upgrade ${r.id} ${r.cluster.name} ${r.fromVersion} → ${r.toVersion}: ${r.state}`,
    ),
    ...jobRuns.map(
      (r) =>
        `${r.job} ${r.runId}: ${
          Object.entries(r.counts)
            .filter(([, n]) => n > 0)
            .map(([k, n]) => `${n} ${k.toLowerCase()}`)
            .join(', ') || 'nothing to do'
        }`,
    ),
  ];
  const text = `${upgradeRuns.runs.length} upgrade run(s), ${jobRuns.length} job run(s)${cluster ? ` on ${cluster.name}` : ''}`;
  return ok(
    cardReply(
      text,
      cluster ? `Recent runs on ${cluster.name}` : 'Recent runs',
      [{ lines: lines.length ? lines : ['no runs yet'] }],
      text,
    ),
    'runs',
    { ...(cluster ? { cluster } : {}) },
  );
}

function prodRefusal(sender: Sender, verb: string, c: ClusterSnapshot): Answer {
  const text = `${verb} ${c.name} refused: it is a prod cluster, and from Teams the operator role changes non-prod clusters only (a prod upgrade runs only once an approver approves it)`;
  return {
    reply: textReply(text),
    outcome: 'Skipped',
    reason: `refused: ${text}`,
    cluster: c,
    refusedFor: 'operator',
  };
}

async function power(
  deps: Deps,
  cmd: Extract<ChatCommand, { verb: 'stop' | 'start' | 'snooze' }>,
  sender: Sender,
): Promise<Answer> {
  if (!hasRole(sender.role, 'operator')) return refuse(sender, 'operator', `${cmd.verb} ${cmd.cluster}`);
  const r = await one(deps, cmd.cluster, cmd.verb);
  if ('answer' in r) return r.answer;
  const c = r.cluster;
  if (isProd(deps, c)) return prodRefusal(sender, cmd.verb, c);
  const runId = newRunId(deps.clock.now());
  if (cmd.verb === 'snooze') {
    await enqueueCommand(
      deps,
      { kind: 'snooze', cluster: c.id, ...cmd.snooze, reportAs: runId },
      sender.actor,
    );
  } else {
    await enqueueCommand(deps, { kind: cmd.verb, cluster: c.id, reportAs: runId }, sender.actor);
  }
  const what =
    cmd.verb === 'snooze'
      ? `snooze ${c.name} ${cmd.snooze.for ? `for ${cmd.snooze.for}` : `until ${cmd.snooze.until}`}`
      : `${cmd.verb} ${c.name}`;
  return ok(
    textReply(`accepted, run ${runId}: ${what}; the outcome is posted to this channel`),
    `accepted: ${what}`,
    {
      cluster: c,
      runId,
    },
  );
}

async function upgrade(
  deps: Deps,
  cmd: Extract<ChatCommand, { verb: 'upgrade' | 'node-image' }>,
  sender: Sender,
): Promise<Answer> {
  const dryRun = cmd.verb === 'upgrade' && cmd.dryRun;
  const needed: ChatRole = dryRun ? 'reader' : 'operator';
  if (!hasRole(sender.role, needed))
    return refuse(sender, needed, `${cmd.verb} ${cmd.cluster}${dryRun ? ' dry-run' : ''}`);
  const r = await one(deps, cmd.cluster, cmd.verb);
  if ('answer' in r) return r.answer;
  const c = r.cluster;
  if (cmd.verb === 'node-image' && isProd(deps, c)) return prodRefusal(sender, cmd.verb, c);
  let result;
  try {
    result = await requestUpgrade(deps, {
      cluster: c.id,
      requestedBy: sender.actor,
      ...(cmd.verb === 'node-image'
        ? { nodeImageOnly: true, ...(cmd.pool ? { pools: [cmd.pool] } : {}) }
        : { ...(cmd.to ? { to: cmd.to } : {}), ...(cmd.surge ? { maxSurge: cmd.surge } : {}), dryRun }),
    });
  } catch (err) {
    if (
      err instanceof UpgradeError ||
      (err instanceof Day2Error && (err.code === 'BadRequest' || err.code === 'NotFound'))
    ) {
      const checks =
        err instanceof UpgradeError && err.prechecks?.length
          ? err.prechecks.map((p) => `${p.check}: ${p.summary}`)
          : [];
      const text = `${cmd.verb} ${c.name} refused: ${errorMessage(err)}`;
      return {
        reply: checks.length
          ? cardReply(text, `${cmd.verb} ${c.name} refused`, [{ lines: checks }])
          : textReply(text),
        outcome: 'Skipped',
        reason: text,
        cluster: c,
      };
    }
    throw err;
  }
  if (result.dryRun) {
    const p = result.plan;
    const facts: Array<[string, string]> = p.prechecks.map((x) => [
      `${x.status} ${x.check}`,
      `${x.summary}${x.evidence.length ? ` (${x.evidence.slice(0, 2).join('; ')})` : ''}`,
    ]);
    const verdict = p.wouldStart
      ? 'would start'
      : `would be refused (${p.blocking.map((b) => b.check).join(', ')})`;
    const text = `dry run: upgrade ${c.name} ${p.fromVersion} → ${p.toVersion} ${verdict}${p.approvalRequired ? '; needs an approver' : ''}`;
    return ok(
      cardReply(
        text,
        `Dry run: upgrade ${c.name}`,
        [{ facts }],
        `${p.fromVersion} → ${p.toVersion}: ${verdict}`,
      ),
      text,
      { cluster: c },
    );
  }
  const run = result.run;
  await enqueueCommand(deps, { kind: 'upgrade', runId: run.id, cluster: run.cluster.id }, sender.actor);
  const wait = run.approvalRequired ? '; it waits for an approver (not you): @day2 approve ' + run.id : '';
  const what =
    cmd.verb === 'node-image'
      ? `node-image ${c.name}${cmd.pool ? ` ${cmd.pool}` : ''}`
      : `upgrade ${c.name} ${run.fromVersion} → ${run.toVersion}`;
  return ok(
    textReply(`accepted, run ${run.id}: ${what}${wait}; progress is posted to this channel`),
    `accepted: ${what}`,
    {
      cluster: c,
      runId: run.id,
    },
  );
}

async function approve(deps: Deps, id: string, sender: Sender): Promise<Answer> {
  if (!hasRole(sender.role, 'approver')) return refuse(sender, 'approver', `approve ${id}`, { runId: id });
  const run = await getRun(deps, id);
  if (!run)
    return {
      reply: textReply(`no upgrade run ${id}; usage: @day2 ${USAGE.approve}`),
      outcome: 'Skipped',
      reason: `no run ${id}`,
    };
  const base = { runId: run.id };
  if (run.state !== 'AwaitingApproval' || run.approvedBy) {
    const text = `run ${run.id} is not awaiting approval (${run.state}${run.approvedBy ? `, approved by ${run.approvedBy}` : ''})`;
    return { reply: textReply(text), outcome: 'Skipped', reason: text, ...base };
  }
  if (run.requestedBy.toLowerCase() === sender.actor.toLowerCase()) {
    const text = `approve ${run.id} refused: you requested this run; another approver must approve it (four eyes)`;
    return {
      reply: textReply(text),
      outcome: 'Skipped',
      reason: `refused: ${text}`,
      refusedFor: 'approver',
      ...base,
    };
  }
  await enqueueCommand(deps, { kind: 'approve', runId: run.id, cluster: run.cluster.id }, sender.actor);
  return ok(
    textReply(
      `accepted, run ${run.id}: approved by ${sender.name}; upgrade ${run.cluster.name} ${run.fromVersion} → ${run.toVersion} goes on`,
    ),
    `approved run ${run.id}`,
    base,
  );
}

async function cancel(deps: Deps, id: string, sender: Sender): Promise<Answer> {
  if (!hasRole(sender.role, 'operator')) return refuse(sender, 'operator', `cancel ${id}`, { runId: id });
  const run = await getRun(deps, id);
  if (!run)
    return {
      reply: textReply(`no upgrade run ${id}; usage: @day2 ${USAGE.cancel}`),
      outcome: 'Skipped',
      reason: `no run ${id}`,
    };
  if (isTerminalRun(run.state)) {
    const text = `run ${run.id} has already ended (${run.state})`;
    return { reply: textReply(text), outcome: 'Skipped', reason: text, runId: run.id };
  }
  await enqueueCommand(deps, { kind: 'cancel', runId: run.id, cluster: run.cluster.id }, sender.actor);
  return ok(
    textReply(
      `accepted, run ${run.id}: cancel asked; no further step is started, a step AKS is carrying out ends first`,
    ),
    `cancel of run ${run.id} accepted`,
    { runId: run.id },
  );
}
