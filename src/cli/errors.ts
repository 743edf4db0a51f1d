// Exit codes: 0 success, 1 a run (or check) that failed, 2 usage or configuration errors, 130 stopped by a
// signal (the first stops after delivering and committing what was read, a second at once).
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** A wrong command line: bad option value, missing argument. */
export class UsageError extends Error {
  readonly exitCode = EXIT_USAGE;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Errors of config, state and usage carry `exitCode` 2; anything else unexpected is a failed run (1). */
export function exitCodeFor(err: unknown): number {
  const code = (err as { exitCode?: unknown } | null)?.exitCode;
  return typeof code === 'number' ? code : EXIT_FAILED;
}
