/** What a chaos run found, and the table `npm run chaos` prints. */

/** One job's ground truth: what was due, and what the simulator shows became of it. */
export interface DueTally {
  due: number;
  /** Carried out once (the simulator's operation log) and recorded Succeeded. */
  carriedOut: number;
  /** AKS failed it, and the app recorded it Failed with a reason. */
  failedRecorded: number;
  /** Not started, and the app's last word on it is a reason (a halted ring, a refused pre-check, a window). */
  held: number;
  /** None of these. */
  lost: number;
  /** Operations (or PUTs) beyond the one it needed. */
  doubled: number;
}

export const emptyTally = (): DueTally => ({
  due: 0,
  carriedOut: 0,
  failedRecorded: 0,
  held: 0,
  lost: 0,
  doubled: 0,
});

export interface ChaosReport {
  ticks: number;
  /** Power schedule: stop/start edges. */
  edgesDue: number;
  notNeeded: number;
  actionsCarriedOut: number;
  failedRecorded: number;
  lost: number;
  doubled: number;
  /** Node-image job: pools due to the latest image. */
  nodeImage: DueTally;
  /** Unattended Kubernetes upgrades: clusters due to the latest patch. */
  upgrades: DueTally;
  upgradeRuns: number;
  upgradePutsNeeded: number;
  upgradePutsAccepted: number;
  cardsExpected: number;
  cardsDelivered: number;
  cardsDoubled: number;
  rowsExpected: number;
  rowsDelivered: number;
  rowsDoubled: number;
  kills: number;
  /** Each kill: when, in which job, at which point (to read a problem against). */
  killLog: string[];
  jobErrors: number;
  crashes: number;
  fuzzTags: number;
  fuzzTagProblems: number;
  fuzzEvents: number;
  fuzzEventsRejected: number;
  /** AKS events of the simulator (node pool rolling, new versions), each delivered twice, reordered. */
  aksEvents: number;
  duplicateEvents: number;
  eventsDoubled: number;
  /** Seconds of real time the run took. */
  seconds: number;
  problems: string[];
  /** Why what was held back was held (the app's last row about it): not a broken invariant. */
  notes: string[];
}

export function emptyReport(): ChaosReport {
  return {
    ticks: 0,
    edgesDue: 0,
    notNeeded: 0,
    actionsCarriedOut: 0,
    failedRecorded: 0,
    lost: 0,
    doubled: 0,
    nodeImage: emptyTally(),
    upgrades: emptyTally(),
    upgradeRuns: 0,
    upgradePutsNeeded: 0,
    upgradePutsAccepted: 0,
    cardsExpected: 0,
    cardsDelivered: 0,
    cardsDoubled: 0,
    rowsExpected: 0,
    rowsDelivered: 0,
    rowsDoubled: 0,
    kills: 0,
    killLog: [],
    jobErrors: 0,
    crashes: 0,
    fuzzTags: 0,
    fuzzTagProblems: 0,
    fuzzEvents: 0,
    fuzzEventsRejected: 0,
    aksEvents: 0,
    duplicateEvents: 0,
    eventsDoubled: 0,
    seconds: 0,
    problems: [],
    notes: [],
  };
}

/** True when every invariant held: nothing lost or doubled, every card and row delivered once, no crash. */
export function invariantsHeld(r: ChaosReport): boolean {
  return (
    r.lost === 0 &&
    r.doubled === 0 &&
    r.nodeImage.lost === 0 &&
    r.nodeImage.doubled === 0 &&
    r.upgrades.lost === 0 &&
    r.upgrades.doubled === 0 &&
    r.crashes === 0 &&
    r.cardsDelivered === r.cardsExpected &&
    r.cardsDoubled === 0 &&
    r.rowsDelivered === r.rowsExpected &&
    r.rowsDoubled === 0 &&
    r.eventsDoubled === 0 &&
    r.fuzzTagProblems === 0 &&
    r.problems.length === 0
  );
}

const tally = (t: DueTally) =>
  `${t.due} / ${t.carriedOut} / ${t.failedRecorded} / ${t.held} / ${t.lost} / ${t.doubled}`;

/** Kills per point, from the kill log (`<time> <job> at <point>`), in the order first seen. */
function killsByPoint(r: ChaosReport): Array<[string, number]> {
  const m = new Map<string, number>();
  for (const line of r.killLog) {
    const point = line.slice(line.indexOf(' at ') + 4);
    m.set(point, (m.get(point) ?? 0) + 1);
  }
  return [...m];
}

/** The report as a table of figures. */
export function formatChaosReport(r: ChaosReport): string {
  const lines: Array<[string, string | number]> = [
    ['ticks (5 min, virtual)', r.ticks],
    ['power edges due', r.edgesDue],
    ['  actions carried out', r.actionsCarriedOut],
    ['  not needed (already in that state)', r.notNeeded],
    ['  failed, recorded Failed', r.failedRecorded],
    ['  lost', r.lost],
    ['  doubled', r.doubled],
    ['node-image pools due / carried out / failed recorded / held / lost / doubled', tally(r.nodeImage)],
    ['kubernetes upgrades due / carried out / failed recorded / held / lost / doubled', tally(r.upgrades)],
    [
      '  upgrade runs / PUTs needed / PUTs AKS accepted',
      `${r.upgradeRuns} / ${r.upgradePutsNeeded} / ${r.upgradePutsAccepted}`,
    ],
    ['processes killed at a step boundary', r.kills],
    ...killsByPoint(r).map(([point, n]): [string, number] => [`  at ${point}`, n]),
    ['cards expected / delivered / doubled', `${r.cardsExpected} / ${r.cardsDelivered} / ${r.cardsDoubled}`],
    ['rows expected / delivered / doubled', `${r.rowsExpected} / ${r.rowsDelivered} / ${r.rowsDoubled}`],
    ['AKS events (each delivered twice, reordered)', r.aksEvents],
    ['events repeated (acknowledged as duplicates) / doubled', `${r.duplicateEvents} / ${r.eventsDoubled}`],
    ['fuzzed event payloads / rejections reported', `${r.fuzzEvents} / ${r.fuzzEventsRejected}`],
    ['fuzzed tag sets / unbounded messages', `${r.fuzzTags} / ${r.fuzzTagProblems}`],
    ['job runs that failed with a typed error (retried next tick)', r.jobErrors],
    ['crashes (untyped errors)', r.crashes],
    ['real time (s)', r.seconds],
  ];
  const w = Math.max(...lines.map(([k]) => k.length));
  return [
    ...lines.map(([k, v]) => `${k.padEnd(w)}  ${v}`),
    ...r.notes.slice(0, 10).map((n) => `- ${n}`),
    ...r.problems.slice(0, 20).map((p) => `! ${p}`),
    ...(r.problems.length > 20 ? [`! (+${r.problems.length - 20} more)`] : []),
  ].join('\n');
}
