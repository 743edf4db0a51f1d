// S3 in the emulator, driven by the unmodified @aws-sdk/client-s3 over HTTP (path-style), and the Security
// Lake provider role assumed with its external id.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { FinalizeRequestMiddleware, MetadataBearer } from '@smithy/types';
import { addSecurityLakeSource, type Emulator, startEmulator } from '../../src/emulator/index.js';
import { ACCOUNT_A, fixtureWorld } from './fixture-world.js';
import { DEFAULT_KEYS, failure, type KeyPair, stsClient } from './sdk-clients.js';

const LAKE_ACCOUNT = '999988887777';
const BUCKET = 'aws-security-data-lake-us-east-1-lake';
let emu: Emulator;

function s3(keys: KeyPair = DEFAULT_KEYS): S3Client {
  return new S3Client({
    endpoint: emu.url,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: keys,
    maxAttempts: 1,
  });
}

beforeAll(async () => {
  emu = await startEmulator({ world: fixtureWorld(3) });
  addSecurityLakeSource(emu.world, {
    lakeAccountId: LAKE_ACCOUNT,
    bucket: BUCKET,
    sourceName: 'iaminv',
    region: 'us-east-1',
    externalId: 'ext-123',
    trustedAccountId: ACCOUNT_A,
  });
  emu.world.credentials.get(DEFAULT_KEYS.accessKeyId)!.accountId = ACCOUNT_A;
});

afterAll(async () => emu.stop());

describe('emulator S3', () => {
  it('puts, lists, heads, gets and deletes objects with keys that need encoding', async () => {
    const client = s3();
    await client.send(new CreateBucketCommand({ Bucket: 'plain' }));
    const keys = ['ext/a/region=us-east-1/accountId=1/eventDay=20261201/x y+z.parquet', 'ext/b/1', 'ext/b/2'];
    for (const [i, Key] of keys.entries()) {
      await client.send(new PutObjectCommand({ Bucket: 'plain', Key, Body: Buffer.from(`body ${i}`) }));
    }
    // The SDK's default checksum (CRC32) was sent and verified.
    expect(Object.keys(emu.world.buckets!.get('plain')!.objects.get('ext/b/1')!.checksums)).toEqual([
      'crc32',
    ]);
    const first = await client.send(
      new ListObjectsV2Command({ Bucket: 'plain', Prefix: 'ext/', MaxKeys: 2 }),
    );
    expect(first.Contents?.map((c) => c.Key)).toEqual([keys[0], keys[1]]);
    expect(first.IsTruncated).toBe(true);
    const rest = await client.send(
      new ListObjectsV2Command({
        Bucket: 'plain',
        Prefix: 'ext/',
        ContinuationToken: first.NextContinuationToken,
      }),
    );
    expect(rest.Contents?.map((c) => c.Key)).toEqual([keys[2]]);
    const head = await client.send(new HeadObjectCommand({ Bucket: 'plain', Key: keys[0] }));
    expect(head.ContentLength).toBe(6);
    const got = await client.send(new GetObjectCommand({ Bucket: 'plain', Key: keys[0] }));
    expect(await got.Body?.transformToString()).toBe('body 0');
    await client.send(new DeleteObjectCommand({ Bucket: 'plain', Key: keys[0] }));
    expect(
      await failure(client.send(new HeadObjectCommand({ Bucket: 'plain', Key: keys[0] }))),
    ).toMatchObject({
      status: 404,
    });
    expect(await failure(client.send(new GetObjectCommand({ Bucket: 'plain', Key: keys[0] })))).toMatchObject(
      {
        name: 'NoSuchKey',
      },
    );
    expect(
      await failure(client.send(new PutObjectCommand({ Bucket: 'nope', Key: 'k', Body: 'x' }))),
    ).toMatchObject({ name: 'NoSuchBucket', status: 404 });
    client.destroy();
  });

  it('rejects a body that does not match its checksum, its Content-MD5 or its signed payload hash', async () => {
    const client = s3();
    const put = (extra: Record<string, string>) =>
      client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'k', Body: 'payload', ...extra }));
    const wrongSha = Buffer.alloc(32).toString('base64');
    expect(await failure(put({ ChecksumSHA256: wrongSha }))).toMatchObject({
      name: 'BadDigest',
      status: 400,
    });
    expect(await failure(put({ ContentMD5: Buffer.alloc(16).toString('base64') }))).toMatchObject({
      name: 'BadDigest',
    });
    // The body changed after signing: x-amz-content-sha256 no longer matches it.
    const tamper: FinalizeRequestMiddleware<object, MetadataBearer> = (next) => async (args) => {
      (args.request as { body: unknown }).body = 'PAYLOAD';
      return next(args);
    };
    client.middlewareStack.addRelativeTo(tamper, {
      relation: 'after',
      toMiddleware: 'httpSigningMiddleware',
      name: 'tamper',
    });
    expect(await failure(put({}))).toMatchObject({ name: 'XAmzContentSHA256Mismatch', status: 400 });
    expect(emu.world.buckets!.get(BUCKET)!.objects.has('k')).toBe(false);
    client.destroy();
  });

  it('lets the writer assume the provider role only with its external id, and write as that role', async () => {
    const sts = stsClient(emu.url);
    const RoleArn = `arn:aws:iam::${LAKE_ACCOUNT}:role/AmazonSecurityLake-Provider-iaminv-us-east-1`;
    for (const ExternalId of [undefined, 'wrong']) {
      const denied = await failure(
        sts.send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'probe', ExternalId })),
      );
      expect(denied).toMatchObject({ name: 'AccessDenied', status: 403 });
    }
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({ RoleArn, RoleSessionName: 'writer', ExternalId: 'ext-123' }),
    );
    const client = s3({
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken!,
    });
    await client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'ext/iaminv/o.parquet',
        Body: 'x',
        ChecksumAlgorithm: 'SHA256',
      }),
    );
    const object = emu.world.buckets!.get(BUCKET)!.objects.get('ext/iaminv/o.parquet')!;
    expect(object.writtenBy).toBe(
      `arn:aws:sts::${LAKE_ACCOUNT}:assumed-role/AmazonSecurityLake-Provider-iaminv-us-east-1/writer`,
    );
    expect(Object.keys(object.checksums)).toEqual(['sha256']);
    client.destroy();
    sts.destroy();
  });

  it('answers 503 while an S3 outage rule is on', async () => {
    const client = s3();
    const id = emu.faults.add({ service: 's3', kind: 'error', status: 503, code: 'ServiceUnavailable' });
    const err = await failure(client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'down', Body: 'x' })));
    expect(err).toMatchObject({ status: 503 });
    emu.faults.remove(id);
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'down', Body: 'x' }));
    client.destroy();
  });
});
