// TLS verification shared by the HTTP sinks and the syslog sink: on by default, with an optional private CA.
// Turning it off must be a visible decision, so it is logged as a warning every time a sink is created.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TlsConfig } from '../config/config.js';
import { ConfigError } from '../config/errors.js';
import type { SinkContext } from './sink.js';

export interface TlsSettings {
  /** PEM bundle from ca_file, trusted in addition to nothing else (Node replaces the default roots). */
  ca?: Buffer;
  rejectUnauthorized: boolean;
}

export function readTlsSettings(sinkName: string, config: TlsConfig, ctx: SinkContext): TlsSettings {
  const caFile = config.ca_file;
  const insecure = config.tls_insecure_skip_verify;
  let ca: Buffer | undefined;
  if (caFile !== undefined) {
    const path = resolve(ctx.baseDir, caFile);
    try {
      ca = readFileSync(path);
    } catch (err) {
      throw new ConfigError(`sink ${sinkName}: cannot read ca_file ${path}: ${(err as Error).message}`);
    }
  }
  if (insecure) {
    ctx.logger.warn(
      { sink: sinkName },
      'tls_insecure_skip_verify is set: the server certificate is NOT verified (anyone on the path can read and alter events)',
    );
  }
  return { ca, rejectUnauthorized: !insecure };
}

/** Certificate problems do not fix themselves between retries: they fail at once with a clear message. */
const TLS_VERIFY_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
]);

/** The reason to report when `err` is a certificate verification failure, else undefined. */
export function tlsVerificationFailure(err: unknown): string | undefined {
  const e = err as NodeJS.ErrnoException;
  if (e.code === undefined || !TLS_VERIFY_CODES.has(e.code)) return undefined;
  return `TLS verification failed (${e.code}: ${e.message}); trust the server's CA with ca_file`;
}
