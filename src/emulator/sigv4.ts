// SigV4 verification: recompute the signature the SDK made over the canonical request and compare it, so a
// client with the wrong secret fails here exactly as it would against AWS.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { EmuCredential, EmuWorld } from './model.js';
import { EmuError } from './service.js';

export interface SignedRequest {
  method: string;
  /** Path and query as received, e.g. "/" or "/?Action=ListUsers". */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface VerifiedCaller {
  credential: EmuCredential;
  /** Credential scope parts. */
  region: string;
  service: string;
}

interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';

function parseAuthorization(header: string): ParsedAuthorization {
  if (!header.startsWith(`${ALGORITHM} `)) {
    throw new EmuError(
      'IncompleteSignature',
      `Authorization header requires the ${ALGORITHM} algorithm.`,
      400,
    );
  }
  const fields = new Map<string, string>();
  for (const part of header.slice(ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  const scope = credential?.split('/');
  if (
    scope?.length !== 5 ||
    signedHeaders === undefined ||
    signature === undefined ||
    scope[4] !== 'aws4_request'
  ) {
    throw new EmuError(
      'IncompleteSignature',
      'Authorization header requires Credential, SignedHeaders and Signature parameters.',
      400,
    );
  }
  const [accessKeyId, date, region, service] = scope as [string, string, string, string, string];
  return { accessKeyId, date, region, service, signedHeaders: signedHeaders.split(';'), signature };
}

/** RFC 3986 encoding as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function canonicalQuery(search: string): string {
  if (search === '' || search === '?') return '';
  const pairs = search
    .replace(/^\?/, '')
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      const k = eq < 0 ? p : p.slice(0, eq);
      const v = eq < 0 ? '' : p.slice(eq + 1);
      const decode = (s: string): string => decodeURIComponent(s.replace(/\+/g, '%20'));
      return [uriEncode(decode(k)), uriEncode(decode(v))] as const;
    });
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

function canonicalPath(path: string, service: string): string {
  // Non-S3 services sign the path with each segment encoded twice; the SDK sends already-encoded segments.
  // S3 signs the key encoded once: decode what was received, encode it once.
  return path
    .split('/')
    .map((seg) => uriEncode(service === 's3' ? decodeURIComponent(seg) : seg))
    .join('/');
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.join(',') : v;
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

export function computeSignature(
  req: SignedRequest,
  auth: Pick<ParsedAuthorization, 'date' | 'region' | 'service' | 'signedHeaders'>,
  secretAccessKey: string,
): string {
  const url = new URL(req.url, 'http://emulator.invalid');
  const canonicalHeaders = auth.signedHeaders
    .map((name) => `${name}:${(headerValue(req.headers, name) ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const payloadHash = headerValue(req.headers, 'x-amz-content-sha256') ?? sha256Hex(req.body);
  const canonicalRequest = [
    req.method,
    canonicalPath(url.pathname, auth.service),
    canonicalQuery(url.search),
    canonicalHeaders,
    auth.signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  const amzDate = headerValue(req.headers, 'x-amz-date') ?? '';
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = [ALGORITHM, amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const kDate = hmac(`AWS4${secretAccessKey}`, auth.date);
  const kRegion = hmac(kDate, auth.region);
  const kService = hmac(kRegion, auth.service);
  const kSigning = hmac(kService, 'aws4_request');
  return createHmac('sha256', kSigning).update(stringToSign, 'utf8').digest('hex');
}

/**
 * Verifies the request's SigV4 signature against the world's credentials. Throws EmuError with the code AWS
 * uses: MissingAuthenticationToken, InvalidClientTokenId, SignatureDoesNotMatch, ExpiredToken.
 */
/**
 * x-amz-content-sha256 is the payload hash the signature covers: it must be the body's (or say the payload
 * is unsigned). S3 requires it.
 */
function verifyContentSha256(req: SignedRequest, service: string): void {
  const declared = headerValue(req.headers, 'x-amz-content-sha256');
  if (declared === undefined) {
    if (service !== 's3') return;
    throw new EmuError(
      'InvalidRequest',
      'Missing required header for this request: x-amz-content-sha256',
      400,
    );
  }
  if (declared === 'UNSIGNED-PAYLOAD') return;
  if (declared.startsWith('STREAMING-')) {
    throw new EmuError(
      'NotImplemented',
      'The emulator does not accept streaming (aws-chunked) payloads.',
      501,
    );
  }
  if (declared !== sha256Hex(req.body)) {
    throw new EmuError(
      'XAmzContentSHA256Mismatch',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
      400,
    );
  }
}

export function verifySigV4(req: SignedRequest, world: EmuWorld, now: number): VerifiedCaller {
  const header = headerValue(req.headers, 'authorization');
  if (header === undefined || header === '') {
    throw new EmuError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
  }
  const auth = parseAuthorization(header);
  const credential = world.credentials.get(auth.accessKeyId);
  if (credential === undefined) {
    throw new EmuError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
  }
  if (!auth.signedHeaders.includes('host')) {
    throw new EmuError(
      'SignatureDoesNotMatch',
      "'Host' must be a 'SignedHeader' in the AWS Authorization.",
      403,
    );
  }
  const expected = computeSignature(req, auth, credential.secretAccessKey);
  verifyContentSha256(req, auth.service);
  const given = Buffer.from(auth.signature, 'utf8');
  const wanted = Buffer.from(expected, 'utf8');
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    throw new EmuError(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret ' +
        'Access Key and signing method. Consult the service documentation for details.',
      403,
    );
  }
  const token = headerValue(req.headers, 'x-amz-security-token');
  if (credential.sessionToken !== undefined || token !== undefined) {
    if (token !== credential.sessionToken) {
      throw new EmuError(
        'InvalidClientTokenId',
        'The security token included in the request is invalid.',
        403,
      );
    }
    if (credential.expiresAt !== undefined && now >= credential.expiresAt) {
      throw new EmuError('ExpiredToken', 'The security token included in the request is expired', 403);
    }
  }
  return { credential, region: auth.region, service: auth.service };
}
