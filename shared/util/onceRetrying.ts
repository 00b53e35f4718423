/**
 * `fn` run at most once per key at a time and once for good: every caller shares its promise, and after
 * a failure the next call runs it again (a one-time migration that a transient error must not skip).
 */
export function oncePerKeyRetrying<T>(fn: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const started = new Map<string, Promise<T>>();
  return (key) => {
    let p = started.get(key);
    if (!p) {
      p = fn(key).catch((err: unknown) => {
        started.delete(key); // tried again on the next call
        throw err;
      });
      started.set(key, p);
    }
    return p;
  };
}

/** `oncePerKeyRetrying` for a single task. */
export function onceRetrying<T>(fn: () => Promise<T>): () => Promise<T> {
  const once = oncePerKeyRetrying(() => fn());
  return () => once('');
}
