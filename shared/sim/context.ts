/** What every route handler works on: the world, the operation engine, the clock, faults. */
import type { SimClock } from './clock';
import type { FaultStore } from './faults';
import type { OperationEngine } from './operations';
import type { ResourceGraphIndex } from './resourceGraphIndex';
import type { SimState, RunCommandOutput } from './state';

export interface CommandRecord {
  id: string;
  clusterKey: string;
  command: string;
  startedMs: number;
  readyMs: number;
  output: RunCommandOutput;
}

export interface SimContext {
  state: SimState;
  engine: OperationEngine;
  clock: SimClock;
  faults: FaultStore;
  commands: Map<string, CommandRecord>;
  /** What Resource Graph shows: ARM, `lag` seconds ago. */
  resourceGraph: ResourceGraphIndex;
}
