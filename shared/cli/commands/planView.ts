import type { OutputView } from '../output';

/** What `plan` (and `plan --job NAME`) shows: text for people, data for `--output json`. */
export interface PlanView extends OutputView {
  /** Part of the facts could not be read (a subscription, a region, a cluster): exit code 1. */
  failed: boolean;
}
