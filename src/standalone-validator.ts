// Validators that ajv compiled at build time (ajv's standalone code), so a CLI process does not spend a third
// of a second compiling the OCSF and config schemas at every start: a one-shot run, a CronJob, a test that
// spawns the CLI. `npm run build` writes them under dist/validators/ (scripts/write-validators.ts). Each
// module carries the fingerprint of what it was compiled from (ajv's version, its options, the schema
// documents): a module whose fingerprint does not match the schema being loaded is ignored and the schema
// is compiled at run time, so a stale or missing build can cost time but never validate against the wrong
// schema.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as AjvModule from 'ajv';
import type * as Ajv2020Module from 'ajv/dist/2020.js';
import type * as FormatsModule from 'ajv-formats';
import type * as StandaloneModule from 'ajv/dist/standalone/index.js';

/** What a standalone validator module exports: the validate functions by name, and its fingerprint. */
export type StandaloneExports = Record<string, unknown> & { fingerprint?: unknown };

/** The folder the build writes the modules to, under the package root. */
export const STANDALONE_VALIDATOR_DIR = join('dist', 'validators');

const require = createRequire(import.meta.url);
const ajvVersion = (require('ajv/package.json') as { version: string }).version;

/** A stable digest of everything a validator's code depends on. */
export function validatorFingerprint(parts: unknown[]): string {
  return createHash('sha256')
    .update(JSON.stringify([ajvVersion, ...parts]))
    .digest('hex');
}

export function standaloneModulePath(root: string, name: string): string {
  return join(root, STANDALONE_VALIDATOR_DIR, `${name}.cjs`);
}

/** ajv's CommonJS standalone code with the fingerprint appended as an export. */
export function withFingerprint(code: string, fingerprint: string): string {
  return `${code}\nmodule.exports.fingerprint = ${JSON.stringify(fingerprint)};\n`;
}

/** The module's exports when it exists and was compiled from exactly `fingerprint`; otherwise undefined. */
export function loadStandaloneValidators(
  root: string,
  name: string,
  fingerprint: string,
): StandaloneExports | undefined {
  const path = standaloneModulePath(root, name);
  if (!existsSync(path)) return undefined;
  const exports = require(path) as StandaloneExports;
  return exports.fingerprint === fingerprint ? exports : undefined;
}

// ajv's compiler loads on first use: a process whose schemas match the build's modules never compiles one,
// and ajv, its formats and its standalone writer (about 90 CommonJS modules) were a tenth of the CLI's
// start-up. The runtime helpers that the precompiled code requires still load with it.
export interface AjvCompiler {
  Ajv: typeof AjvModule.Ajv;
  Ajv2020: typeof Ajv2020Module.Ajv2020;
  /** ajv's code template tag, for the standalone code's `formats` option. */
  _: typeof AjvModule._;
  addFormats: typeof FormatsModule.default.default;
  standaloneCode: typeof StandaloneModule.default.default;
}

let compiler: AjvCompiler | undefined;

export function ajvCompiler(): AjvCompiler {
  if (compiler !== undefined) return compiler;
  const ajv = require('ajv') as typeof AjvModule;
  compiler = {
    Ajv: ajv.Ajv,
    Ajv2020: (require('ajv/dist/2020.js') as typeof Ajv2020Module).Ajv2020,
    _: ajv._,
    addFormats: (require('ajv-formats') as typeof FormatsModule.default).default,
    standaloneCode: (require('ajv/dist/standalone/index.js') as typeof StandaloneModule.default).default,
  };
  return compiler;
}
