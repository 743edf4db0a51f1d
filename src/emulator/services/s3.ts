// S3 over REST-XML, path-style: the calls an object sink and `check` make (PutObject, GetObject, HeadObject,
// DeleteObject, ListObjectsV2) and CreateBucket / HeadBucket to set a test up. Objects live in memory;
// every write's integrity headers are verified (s3-checksums.ts) and the writer's ARN is kept, so a test can
// tell which role wrote an object.
import { createHash } from 'node:crypto';
import type { EmuBucket, EmuObject, EmuWorld } from '../model.js';
import { el } from '../protocols/query.js';
import { EmuError, type RestAnswer, type RestRequest, type RestXmlServiceModule } from '../service.js';
import { verifyChecksums } from './s3-checksums.js';

const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';
const XML_HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** Creates the bucket (or returns the one of that name). */
export function createBucket(world: EmuWorld, name: string): EmuBucket {
  world.buckets ??= new Map();
  let bucket = world.buckets.get(name);
  if (bucket === undefined) {
    bucket = { name, objects: new Map() };
    world.buckets.set(name, bucket);
  }
  return bucket;
}

function bucketOf(world: EmuWorld, name: string): EmuBucket {
  const bucket = world.buckets?.get(name);
  if (bucket === undefined) throw new EmuError('NoSuchBucket', 'The specified bucket does not exist', 404);
  return bucket;
}

function objectOf(world: EmuWorld, request: RestRequest): EmuObject {
  const object = bucketOf(world, request.bucket).objects.get(request.key);
  if (object === undefined) throw new EmuError('NoSuchKey', 'The specified key does not exist.', 404);
  return object;
}

function header(request: RestRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function checksumHeaders(object: EmuObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [algorithm, value] of Object.entries(object.checksums))
    out[`x-amz-checksum-${algorithm}`] = value;
  return out;
}

function objectHeaders(object: EmuObject, request: RestRequest): Record<string, string> {
  return {
    'content-type': object.contentType ?? 'binary/octet-stream',
    'content-length': String(object.body.length),
    etag: object.etag,
    'last-modified': new Date(object.lastModified).toUTCString(),
    ...(header(request, 'x-amz-checksum-mode') === 'ENABLED' ? checksumHeaders(object) : {}),
  };
}

function putObject(request: RestRequest, ctx: { world: EmuWorld; now: number; credential: { arn: string } }) {
  const bucket = bucketOf(ctx.world, request.bucket);
  if (request.key === '') throw new EmuError('InvalidRequest', 'An object key is required.', 400);
  if ((header(request, 'content-encoding') ?? '').includes('aws-chunked')) {
    throw new EmuError('NotImplemented', 'The emulator does not accept aws-chunked uploads.', 501);
  }
  const checksums = verifyChecksums(request.headers, request.body);
  const etag = `"${createHash('md5').update(request.body).digest('hex')}"`;
  const contentType = header(request, 'content-type');
  bucket.objects.set(request.key, {
    key: request.key,
    body: Buffer.from(request.body),
    etag,
    lastModified: Math.floor(ctx.now / 1000) * 1000,
    ...(contentType !== undefined ? { contentType } : {}),
    checksums,
    writtenBy: ctx.credential.arn,
  });
  return { headers: { etag, ...checksumHeaders({ checksums } as EmuObject) } };
}

function listObjectsV2(request: RestRequest, world: EmuWorld): RestAnswer {
  const bucket = bucketOf(world, request.bucket);
  const prefix = request.query.get('prefix') ?? '';
  const maxKeys = Math.min(1000, Number(request.query.get('max-keys') ?? 1000));
  const token = request.query.get('continuation-token');
  const after =
    token !== null ? Buffer.from(token, 'base64url').toString('utf8') : request.query.get('start-after');
  const keys = [...bucket.objects.keys()]
    .filter(
      (k) =>
        k.startsWith(prefix) && (after === null || Buffer.compare(Buffer.from(k), Buffer.from(after)) > 0),
    )
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const page = keys.slice(0, maxKeys);
  const truncated = keys.length > page.length;
  const contents = page
    .map((k) => {
      const o = bucket.objects.get(k) as EmuObject;
      return (
        `<Contents>${el('Key', k)}${el('LastModified', new Date(o.lastModified).toISOString())}` +
        `${el('ETag', o.etag)}${el('Size', o.body.length)}<StorageClass>STANDARD</StorageClass></Contents>`
      );
    })
    .join('');
  const next = truncated
    ? el('NextContinuationToken', Buffer.from(page.at(-1) ?? '').toString('base64url'))
    : '';
  return {
    headers: { 'content-type': 'application/xml' },
    body:
      `${XML_HEADER}<ListBucketResult xmlns="${S3_NAMESPACE}">${el('Name', bucket.name)}${el('Prefix', prefix)}` +
      `${el('KeyCount', page.length)}${el('MaxKeys', maxKeys)}${el('IsTruncated', truncated)}${contents}${next}` +
      `${token !== null ? el('ContinuationToken', token) : ''}</ListBucketResult>`,
  };
}

/** Which call a path-style request is, as S3 tells them apart. */
function actionOf(request: RestRequest): string {
  const { method, bucket, key, query } = request;
  if (bucket === '') return '';
  if (key === '') {
    if (method === 'PUT') return 'CreateBucket';
    if (method === 'HEAD') return 'HeadBucket';
    if (method === 'GET' && query.get('list-type') === '2') return 'ListObjectsV2';
    return '';
  }
  if (method === 'PUT' && header(request, 'x-amz-copy-source') === undefined) return 'PutObject';
  if (method === 'GET') return 'GetObject';
  if (method === 'HEAD') return 'HeadObject';
  if (method === 'DELETE') return 'DeleteObject';
  return '';
}

export const s3Service: RestXmlServiceModule = {
  protocol: 'rest-xml',
  signingName: 's3',
  actionOf,
  actions: {
    CreateBucket: (request, ctx) => {
      createBucket(ctx.world, request.bucket);
      return { headers: { location: `/${request.bucket}` } };
    },
    HeadBucket: (request, ctx) => {
      bucketOf(ctx.world, request.bucket);
      return {};
    },
    PutObject: putObject,
    GetObject: (request, ctx) => {
      const object = objectOf(ctx.world, request);
      return { headers: objectHeaders(object, request), body: object.body };
    },
    HeadObject: (request, ctx) => ({ headers: objectHeaders(objectOf(ctx.world, request), request) }),
    DeleteObject: (request, ctx) => {
      bucketOf(ctx.world, request.bucket).objects.delete(request.key);
      return { status: 204 };
    },
    ListObjectsV2: (request, ctx) => listObjectsV2(request, ctx.world),
  },
};
