// What a sink needs from the rest of the config or from the runtime, checked once after the schema: the
// schema sees one key at a time, these rules tie two together (exit 2 naming both).
import * as zlib from 'node:zlib';
import type { ConfigFile } from './config-schema.js';
import { ConfigError } from './errors.js';
import { OCSF_VERSIONS } from './ocsf-versions.js';

/** Amazon Security Lake custom sources accept OCSF 1.3 and earlier. */
const SECURITY_LAKE_NEWEST = '1.3.0';

/** node:zlib has zstd from Node 22.15 / 23.8. */
function runtimeHasZstd(): boolean {
  return typeof Reflect.get(zlib, 'zstdCompressSync') === 'function';
}

function problemsOf(config: ConfigFile): string[] {
  const problems: string[] = [];
  const version = config.ocsf.version;
  const lakeVersions = OCSF_VERSIONS.slice(OCSF_VERSIONS.indexOf(SECURITY_LAKE_NEWEST));
  config.sinks.forEach((sink, i) => {
    const at = `sinks[${i}]${sink.name !== undefined ? ` (${sink.name})` : ''}`;
    if (sink.type === 'security_lake' && !(lakeVersions as readonly string[]).includes(version)) {
      problems.push(
        `${at}.type: security_lake needs ocsf.version ${SECURITY_LAKE_NEWEST} or earlier ` +
          `(${lakeVersions.join(', ')}), but ocsf.version is ${version}`,
      );
    }
    if (sink.type !== 's3') return;
    if (sink.format === 'parquet' && sink.compression !== undefined && sink.compression !== 'zstd') {
      problems.push(`${at}.compression: Parquet objects are ZSTD; omit compression or set zstd`);
    }
    if (sink.format === 'ndjson' && sink.compression === 'zstd' && !runtimeHasZstd()) {
      problems.push(
        `${at}.compression: zstd for NDJSON needs Node >= 22.15 (this is ${process.version}); use gzip`,
      );
    }
    if (sink.external_id !== undefined && sink.role_arn === undefined) {
      problems.push(`${at}.external_id: set only with role_arn (the role that requires it)`);
    }
  });
  return problems;
}

/** Throws ConfigError listing every rule the config breaks. */
export function checkSinkRequirements(config: ConfigFile, origin: string): void {
  const problems = problemsOf(config);
  if (problems.length > 0) throw new ConfigError(problems.map((p) => `${origin}: ${p}`).join('\n'), origin);
}
