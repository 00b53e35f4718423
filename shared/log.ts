/**
 * The logger every job writes to. In Functions it is the InvocationContext (`ctx.log/warn/error`);
 * on the command line, the console. Messages say what happened to which cluster.
 */
export interface Logger {
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string, ...args: unknown[]): void;
}

export interface ContextLike {
  log(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

export function loggerFromContext(ctx: ContextLike): Logger {
  return {
    info: (m, ...a) => ctx.log(m, ...a),
    warn: (m, ...a) => ctx.warn(m, ...a),
    error: (m, ...a) => ctx.error(m, ...a),
  };
}

export const consoleLogger: Logger = {
  info: (m, ...a) => console.log(m, ...a),
  warn: (m, ...a) => console.warn(m, ...a),
  error: (m, ...a) => console.error(m, ...a),
};

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
