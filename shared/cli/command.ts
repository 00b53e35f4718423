/** One `aks-day2` sub-command. `run` returns the exit code; output goes through `out`. */
export interface Command {
  name: string;
  /** One usage line shown by `aks-day2 help`. */
  usage: string;
  run(argv: string[], out: (line: string) => void): Promise<number>;
}
