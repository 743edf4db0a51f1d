// The S3 side of the object sinks: one client per sink, pointed at aws.endpoint when set (path-style, as
// local S3s need), with the caller's credentials or an assumed role. A put carries a SHA-256 checksum S3
// verifies; it resolves only on S3's 200.
//
// The S3 client module (about 9 MB of resident memory once loaded) is loaded at the first put or delete, so
// that a collector with no object sink never carries it.
import type { S3Client } from '@aws-sdk/client-s3';
import type { SinkAws } from '../sink.js';

export interface S3Target {
  bucket: string;
  region: string;
  roleArn?: string | undefined;
  externalId?: string | undefined;
}

export interface S3Transport {
  /** s3://bucket/ as the logs show it. */
  readonly location: string;
  put(key: string, body: Uint8Array, contentType: string): Promise<void>;
  delete(key: string): Promise<void>;
  close(): void;
}

/** An SDK failure as one line without the request's secrets: the SDK's name and message only. */
function failure(action: string, target: S3Target, key: string, err: unknown): Error {
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  return new Error(
    `S3 ${action} s3://${target.bucket}/${key} failed: ${e.name ?? 'Error'}` +
      `${status !== undefined ? ` (HTTP ${status})` : ''}: ${e.message ?? String(err)}`,
  );
}

export function createS3Transport(target: S3Target, aws: SinkAws): S3Transport {
  const role =
    target.roleArn !== undefined ? { roleArn: target.roleArn, externalId: target.externalId } : undefined;
  const config = {
    region: target.region,
    credentials: aws.credentials(role),
    maxAttempts: aws.maxAttempts,
    ...(aws.endpoint !== undefined ? { endpoint: aws.endpoint, forcePathStyle: true } : {}),
  };
  let sdk: Promise<{ s3: typeof import('@aws-sdk/client-s3'); client: S3Client }> | undefined;
  const load = () =>
    (sdk ??= import('@aws-sdk/client-s3').then((s3) => ({ s3, client: new s3.S3Client(config) })));
  return {
    location: `s3://${target.bucket}/`,
    async put(key, body, contentType) {
      try {
        const { s3, client } = await load();
        await client.send(
          new s3.PutObjectCommand({
            Bucket: target.bucket,
            Key: key,
            Body: body,
            ContentType: contentType,
            ChecksumAlgorithm: 'SHA256',
          }),
        );
      } catch (err) {
        throw failure('PutObject', target, key, err);
      }
    },
    async delete(key) {
      try {
        const { s3, client } = await load();
        await client.send(new s3.DeleteObjectCommand({ Bucket: target.bucket, Key: key }));
      } catch (err) {
        throw failure('DeleteObject', target, key, err);
      }
    },
    // A load that failed was reported by the put or delete that started it.
    close: () => void sdk?.then(({ client }) => client.destroy()).catch(() => undefined),
  };
}
