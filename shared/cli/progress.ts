/**
 * Progress of long work (the demo, the bench, an upgrade's `--wait`) on a terminal: one line on
 * stderr, rewritten in place, cleared at the end. When stderr is not a terminal (a pipe, a file, CI)
 * it writes nothing, so scripts and logs see only the results.
 */
export interface Progress {
  /** Shows `label`, with `done/total` when given. */
  update(label: string, done?: number, total?: number): void;
  /** Clears the line. */
  done(): void;
  /** `out` that clears the progress line before each line it prints (the next update redraws it). */
  around(out: (line: string) => void): (line: string) => void;
}

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

const silent: Progress = { update: () => undefined, done: () => undefined, around: (out) => out };

export function createProgress(stream: ProgressStream = process.stderr): Progress {
  if (!stream.isTTY) return silent;
  let shown = false;
  return {
    update(label, done, total) {
      const count = done !== undefined && total !== undefined ? ` [${done}/${total}]` : '';
      const width = Math.max(20, (stream.columns ?? 80) - 1);
      const line = `${label}${count}`;
      stream.write(`\r\x1b[2K${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
    around(out) {
      return (line) => {
        this.done();
        out(line);
      };
    },
  };
}
