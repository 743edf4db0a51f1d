// Policy documents as IAM returns them: JSON text, pretty-printed, Version 2012-10-17.

export type Statement = Record<string, unknown>;

export function doc(...statements: Statement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 4);
}

/** A document whose Statement is a single object, not a list (valid IAM grammar). */
export function docSingle(statement: Statement): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statement }, null, 4);
}
