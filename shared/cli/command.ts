/**
 * One `aks-day2` sub-command. `run` returns the exit code (0 ok, 1 a job or change failed, 2 bad usage
 * or settings: throw Day2Error 'BadRequest' or 'ConfigInvalid'); output goes through `out`.
 * To add a command: fill these fields and list it in `main.ts`; `aks-day2 help NAME` shows them.
 */
export interface Command {
  name: string;
  /** One usage line shown by `aks-day2 help`: the synopsis, then what it does. */
  usage: string;
  /** More about the command, shown by `aks-day2 help NAME` (plain lines). */
  description?: string;
  /** At least one full command line a person can copy, optionally followed by `# what it shows`. */
  examples: string[];
  run(argv: string[], out: (line: string) => void): Promise<number>;
}
