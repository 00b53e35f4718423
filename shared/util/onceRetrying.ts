/**
 * `fn` run at most once per key at a time and once for good: every caller shares its promise, and after
 * a failure the next call runs it again (a one-time migration, or a read shared by a whole run, that a
 * transient error must not skip). `keyOf` names what counts as the same call (the argument itself by
 * default).
 */
export function oncePerKeyRetrying<T, A = string>(
  fn: (arg: A) => Promise<T>,
  keyOf: (arg: A) => string = String,
): (arg: A) => Promise<T> {
  const started = new Map<string, Promise<T>>();
  return (arg) => {
    const key = keyOf(arg);
    let p = started.get(key);
    if (!p) {
      p = fn(arg).catch((err: unknown) => {
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
