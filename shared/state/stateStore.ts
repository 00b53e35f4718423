import { EdgeStore } from './edgeStore';
import { EventStore } from './eventStore';
import { FindingStore } from './findingStore';
import { OperationStore } from './operationStore';
import { SnoozeStore } from './snoozeStore';
import { Tables } from '../storage/tables';
import { UpgradeRunStore } from './upgradeRunStore';

/** The app's durable state in Table storage (AzureWebJobsStorage). */
export interface StateStore {
  edges: EdgeStore;
  /** Edges handled by dry-run ticks (table `edgesdryrun`): a dry run never consumes a real edge. */
  dryRunEdges: EdgeStore;
  snoozes: SnoozeStore;
  operations: OperationStore;
  events: EventStore;
  /** Findings (bad tags) already reported, so each is reported once. */
  findings: FindingStore;
  /** Kubernetes upgrade runs (table `upgraderuns`). */
  upgradeRuns: UpgradeRunStore;
}

export function createStateStore(connectionString: string, prefix = 'day2'): StateStore {
  const tables = new Tables(connectionString, prefix);
  return {
    edges: new EdgeStore(tables),
    dryRunEdges: new EdgeStore(tables, 'edgesdryrun'),
    snoozes: new SnoozeStore(tables),
    operations: new OperationStore(tables),
    events: new EventStore(tables),
    findings: new FindingStore(tables),
    upgradeRuns: new UpgradeRunStore(tables),
  };
}
