// Errors about the state file. Both map to exit code 2: the operator has to fix something before a run can
// start, and retrying the same command will not help.

export class StateError extends Error {
  readonly exitCode = 2;
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'StateError';
  }
}

export class StateLockedError extends StateError {
  constructor(
    path: string,
    readonly pid: number | undefined,
  ) {
    super(
      pid === undefined
        ? `state file ${path} is in use by another process`
        : `state file ${path} is in use by pid ${pid}`,
      path,
    );
    this.name = 'StateLockedError';
  }
}
