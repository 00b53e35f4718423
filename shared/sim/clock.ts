/**
 * The simulator's virtual clock. Real time by default; `speed` X makes it run X times faster;
 * tests set or advance it. Operation durations are measured on this clock.
 */
export class SimClock {
  private baseVirtual: number;
  private baseReal: number;
  private rate: number;
  private readonly listeners = new Set<() => void>();

  /**
   * `realNow`: the wall clock the virtual one runs against (default `Date.now`); tests pass their own
   * to step real time deterministically.
   */
  constructor(
    start: Date | string | number = Date.now(),
    speed = 1,
    private readonly realNow: () => number = Date.now,
  ) {
    const t = new Date(start).getTime();
    if (Number.isNaN(t)) throw new Error(`invalid clock start time: ${String(start)}`);
    if (!(speed >= 0)) throw new Error(`invalid clock speed: ${String(speed)} (expected a number >= 0)`);
    this.baseVirtual = t;
    this.baseReal = this.realNow();
    this.rate = speed;
  }

  /** Virtual now in epoch milliseconds. */
  nowMs(): number {
    return this.baseVirtual + (this.realNow() - this.baseReal) * this.rate;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  get speed(): number {
    return this.rate;
  }

  /** Jumps to a given virtual time (backwards is allowed; finished operations stay finished). */
  set(date: Date | string | number): Date {
    const t = new Date(date).getTime();
    if (Number.isNaN(t)) throw new Error(`invalid time: ${String(date)}`);
    this.baseVirtual = t;
    this.baseReal = this.realNow();
    this.changed();
    return this.now();
  }

  advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0)
      throw new Error(`invalid advance: ${String(ms)} ms (expected a number >= 0)`);
    return this.set(this.nowMs() + ms);
  }

  setSpeed(speed: number): void {
    if (!Number.isFinite(speed) || speed < 0)
      throw new Error(`invalid speed: ${String(speed)} (expected a number >= 0)`);
    this.baseVirtual = this.nowMs();
    this.baseReal = this.realNow();
    this.rate = speed;
    this.changed();
  }

  /** Real milliseconds until virtual time reaches `virtualMs` (Infinity when the clock is paused). */
  realMsUntil(virtualMs: number): number {
    const left = virtualMs - this.nowMs();
    if (left <= 0) return 0;
    return this.rate === 0 ? Infinity : left / this.rate;
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private changed(): void {
    for (const fn of this.listeners) fn();
  }
}
