// A configuration the tool cannot run with. Exit code 2: the operator must edit the file or the environment.

export class ConfigError extends Error {
  readonly exitCode = 2;
  constructor(
    message: string,
    /** The config file as the user named it, when the config came from a file. */
    readonly file?: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}
