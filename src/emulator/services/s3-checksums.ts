// The integrity headers an S3 writer may send (Content-MD5, x-amz-checksum-<algorithm>), checked against
// the body as S3 does: a mismatch is BadDigest (MD5) or InvalidRequest naming the checksum, never a write.
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { EmuError } from '../service.js';

/** CRC-32C (Castagnoli), reflected polynomial 0x82F63B78: node:zlib only has the IEEE CRC-32. */
const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32c(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = (CRC32C_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function uint32Base64(value: number): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return out.toString('base64');
}

/** Base64 digest of the body per algorithm, in the x-amz-checksum-<name> header's encoding. */
const DIGESTS: Record<string, (body: Buffer) => string> = {
  crc32: (body) => uint32Base64(crc32(body)),
  crc32c: (body) => uint32Base64(crc32c(body)),
  sha1: (body) => createHash('sha1').update(body).digest('base64'),
  sha256: (body) => createHash('sha256').update(body).digest('base64'),
};

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Verifies every integrity header present; returns the verified x-amz-checksum values by algorithm. A
 * checksum algorithm the emulator cannot compute (crc64nvme) is refused rather than trusted.
 */
export function verifyChecksums(
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
): Record<string, string> {
  const md5 = header(headers, 'content-md5');
  if (md5 !== undefined && createHash('md5').update(body).digest('base64') !== md5) {
    throw new EmuError('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400);
  }
  const verified: Record<string, string> = {};
  for (const name of Object.keys(headers)) {
    const algorithm = /^x-amz-checksum-([a-z0-9]+)$/.exec(name)?.[1];
    if (algorithm === undefined || algorithm === 'mode' || algorithm === 'type') continue;
    const digest = DIGESTS[algorithm];
    if (digest === undefined) {
      throw new EmuError('InvalidRequest', `The emulator cannot verify x-amz-checksum-${algorithm}.`, 400);
    }
    const given = header(headers, name) ?? '';
    if (digest(body) !== given) {
      throw new EmuError(
        'BadDigest',
        `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`,
        400,
      );
    }
    verified[algorithm] = given;
  }
  return verified;
}
