// What both object sinks build the same way: the disk buffer under the state folder (one folder per sink
// name) and the S3 transport from the run's AWS access.
import { join } from 'node:path';
import type { SinkContext } from '../sink.js';
import { DiskBuffer } from './disk-buffer.js';
import { ObjectSink, type ObjectSinkOptions } from './object-sink.js';
import { createS3Transport, type S3Target } from './s3-transport.js';

/** The keys both object sinks' configs have. */
export interface ObjectSinkSettings {
  bucket: string;
  region: string;
  role_arn?: string | undefined;
  external_id?: string | undefined;
  flush_seconds: number;
  max_object_bytes: number;
}

function targetOf(settings: ObjectSinkSettings): S3Target {
  return {
    bucket: settings.bucket,
    region: settings.region,
    roleArn: settings.role_arn,
    externalId: settings.external_id,
  };
}

export function openObjectSink(
  ctx: SinkContext,
  name: string,
  settings: ObjectSinkSettings,
  parts: Pick<ObjectSinkOptions, 'type' | 'format' | 'keyOf' | 'probeKey'>,
): ObjectSink {
  if (ctx.aws === undefined || ctx.stateDir === undefined) {
    throw new Error(`sink ${name}: an object sink needs AWS access and the state folder from its caller`);
  }
  return new ObjectSink({
    ...parts,
    name,
    buffer: new DiskBuffer(join(ctx.stateDir, 'buffers', name)),
    transport: createS3Transport(targetOf(settings), ctx.aws),
    flushSeconds: settings.flush_seconds,
    maxObjectBytes: settings.max_object_bytes,
    logger: ctx.logger,
  });
}
