// Config rules of the object sinks that tie two keys together, and the external id as a secret.
import * as zlib from 'node:zlib';
import { describe, expect, it } from '@jest/globals';
import { configFromObject } from '../../src/config/load.js';

const lake = {
  type: 'security_lake',
  bucket: 'lake-bucket',
  region: 'us-east-1',
  source_name: 'iaminv',
  role_arn: 'arn:aws:iam::999988887777:role/AmazonSecurityLake-Provider-iaminv-us-east-1',
  external_id: 'the-external-id',
};

function load(obj: Record<string, unknown>) {
  return configFromObject(obj, { baseDir: '/tmp', displayName: 'config.yaml' });
}

describe('object sink config', () => {
  it('refuses security_lake with an OCSF version after 1.3.0, naming both keys', () => {
    expect(() => load({ ocsf: { version: '1.8.0' }, sinks: [lake] })).toThrow(
      'config.yaml: sinks[0].type: security_lake needs ocsf.version 1.3.0 or earlier (1.3.0, 1.1.0), but ocsf.version is 1.8.0',
    );
    const config = load({ ocsf: { version: '1.1.0' }, sinks: [lake] });
    expect(config.sinks[0]).toMatchObject({ flush_seconds: 300, max_object_bytes: 256 * 1024 * 1024 });
    expect(config.secrets).toContain('the-external-id');
  });

  it('checks source_name, flush_seconds and the s3 combinations', () => {
    const bad = (sink: Record<string, unknown>) => () => load({ ocsf: { version: '1.3.0' }, sinks: [sink] });
    expect(bad({ ...lake, source_name: 'x'.repeat(21) })).toThrow('source_name');
    expect(bad({ ...lake, flush_seconds: 60 })).toThrow('flush_seconds');
    const s3 = { type: 's3', bucket: 'plain-bucket', region: 'eu-west-1' };
    expect(bad({ ...s3, format: 'parquet', compression: 'gzip' })).toThrow('sinks[0].compression: Parquet');
    expect(bad({ ...s3, external_id: 'x1' })).toThrow('sinks[0].external_id: set only with role_arn');
    const zstd = bad({ ...s3, compression: 'zstd' });
    if (typeof Reflect.get(zlib, 'zstdCompressSync') === 'function') expect(zstd).not.toThrow();
    else expect(zstd).toThrow('sinks[0].compression: zstd for NDJSON needs Node >= 22.15');
  });
});
