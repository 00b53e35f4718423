/**
 * Event Grid for the chaos run: the AKS events the simulator emitted (node pools rolling, new Kubernetes
 * versions) delivered to the app's `aksEvents` handler at least once, as Event Grid does: each new batch
 * in reverse order, then every event of it again (duplicated and reordered). A delivery that failed
 * (a transient error, or the process died handling it) is delivered again on the next pass.
 */
import type { Deps } from '../deps';
import { handleAksEvents } from '../events/handleAksEvents';
import { parseAksEvents } from '../events/parse';
import type { LocalEnvironment } from '../local/localEnv';
import { simAdmin } from '../local/simAdmin';

interface Emitted {
  id: string;
  eventGrid: Record<string, unknown>;
}

export class EventRelay {
  private seen = 0;
  private queue: Emitted[] = [];
  /** Times each event id was processed (more than once: handled twice). */
  readonly processed = new Map<string, number>();
  duplicates = 0;
  delivered = 0;

  constructor(private readonly env: LocalEnvironment) {}

  /** Events emitted so far and not yet relayed. */
  private async fresh(): Promise<Emitted[]> {
    const { events } = await simAdmin<{ events: Emitted[] }>(this.env.sim, 'GET', '/eventgrid');
    const out = events.slice(this.seen);
    this.seen = events.length;
    return out;
  }

  /**
   * One delivery pass in the process `deps`: the batch reversed, then again. `onRun` gets each run the
   * handler reported. Rejects when a delivery failed (the rest of the batch stays queued).
   */
  async deliver(deps: Deps, onRun: (runId: string) => void): Promise<void> {
    const batch = [...this.queue, ...(await this.fresh())];
    this.queue = [...batch];
    const order = [...[...batch].reverse(), ...batch];
    for (let i = 0; i < order.length; i++) {
      const e = order[i]!;
      const r = await handleAksEvents(deps, parseAksEvents(e.eventGrid));
      this.delivered++;
      if (r.run) onRun(r.run.runId);
      for (const h of r.handled) {
        if (h.status === 'processed') this.processed.set(h.id, (this.processed.get(h.id) ?? 0) + 1);
        if (h.status === 'duplicate') this.duplicates++;
      }
      // Delivered (and acknowledged) twice: no longer owed.
      if (i >= batch.length) this.queue = this.queue.filter((q) => q.id !== e.id);
    }
  }
}
