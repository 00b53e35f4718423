/**
 * ARM request throttling: a token bucket per subscription and operation type (reads / writes /
 * deletes), refilled on REAL wall time (not the virtual clock), as ARM documents it.
 */
export type RequestKind = 'reads' | 'writes' | 'deletes';

export interface BucketSettings {
  bucket: number;
  refillPerSecond: number;
}

export interface ThrottleSettings {
  enabled: boolean;
  reads: BucketSettings;
  writes: BucketSettings;
  deletes: BucketSettings;
}

export const DEFAULT_THROTTLING: ThrottleSettings = {
  enabled: true,
  reads: { bucket: 250, refillPerSecond: 25 },
  writes: { bucket: 200, refillPerSecond: 10 },
  deletes: { bucket: 200, refillPerSecond: 10 },
};

interface Bucket {
  tokens: number;
  at: number;
}

export interface ThrottleDecision {
  allowed: boolean;
  /** Whole tokens left after this request (for `x-ms-ratelimit-remaining-subscription-*`). */
  remaining: number;
  /** Seconds to wait when refused. */
  retryAfterSeconds: number;
}

export class Throttle {
  private buckets = new Map<string, Bucket>();

  constructor(
    public settings: ThrottleSettings = structuredClone(DEFAULT_THROTTLING),
    private readonly realNow: () => number = Date.now,
  ) {}

  configure(patch: Partial<ThrottleSettings>): ThrottleSettings {
    this.settings = {
      enabled: patch.enabled ?? this.settings.enabled,
      reads: { ...this.settings.reads, ...patch.reads },
      writes: { ...this.settings.writes, ...patch.writes },
      deletes: { ...this.settings.deletes, ...patch.deletes },
    };
    this.buckets.clear();
    return this.settings;
  }

  take(scope: string, kind: RequestKind): ThrottleDecision {
    const cfg = this.settings[kind];
    const key = `${scope.toLowerCase()}|${kind}`;
    const now = this.realNow();
    const b = this.buckets.get(key) ?? { tokens: cfg.bucket, at: now };
    b.tokens = Math.min(cfg.bucket, b.tokens + ((now - b.at) / 1000) * cfg.refillPerSecond);
    b.at = now;
    this.buckets.set(key, b);
    if (!this.settings.enabled)
      return { allowed: true, remaining: Math.floor(b.tokens), retryAfterSeconds: 0 };
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { allowed: true, remaining: Math.floor(b.tokens), retryAfterSeconds: 0 };
    }
    const wait = cfg.refillPerSecond > 0 ? Math.ceil((1 - b.tokens) / cfg.refillPerSecond) : 60;
    return { allowed: false, remaining: 0, retryAfterSeconds: Math.max(1, wait) };
  }
}
