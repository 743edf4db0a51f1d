// Keys the sinks that write objects to S3 share (security_lake, s3): the bucket, the role that writes, and
// when a buffered group becomes an object.
import Type from 'typebox';

export const MIB = 1024 * 1024;

export const BUCKET_PROPERTIES = {
  bucket: Type.String({
    minLength: 3,
    maxLength: 63,
    pattern: '^[a-z0-9][a-z0-9.-]*[a-z0-9]$',
    description: 'Bucket name.',
  }),
  region: Type.String({ minLength: 1, description: "The bucket's region (S3 requests are signed for it)." }),
};

export function roleArnSchema(description: string) {
  return Type.String({ pattern: '^arn:aws[a-z-]*:iam::\\d{12}:role/.+$', description });
}

export function externalIdSchema(description: string) {
  return Type.String({ minLength: 2, maxLength: 1224, writeOnly: true, description });
}

export function flushSecondsSchema(minimum: number, description: string) {
  return Type.Integer({ minimum, maximum: 86400, default: 300, description });
}

export const MAX_OBJECT_BYTES = Type.Integer({
  minimum: 1024,
  maximum: 256 * MIB,
  default: 256 * MIB,
  description:
    'A group is written as soon as its buffered events reach this size (NDJSON bytes, which bound the object).',
});
