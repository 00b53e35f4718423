/**
 * Resolves at the first SIGINT or SIGTERM (and stops listening): long-running commands (`sim`, `serve`)
 * wait on it before closing. Call it before announcing readiness, so a caller may stop the process as
 * soon as it reads the announcement.
 */
export function untilSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
