// What the object sinks (security_lake, s3) need from AWS: the writer puts objects under the sink's prefix
// (and deletes the probe object `check` writes), and the caller assumes the sink's role when one is set
// (Security Lake's provider role, which Security Lake itself grants the s3 actions).
import type { Config, SinkConfig } from '../config/config.js';
import type { IamPolicyDocument, IamPolicyStatement } from './required-permissions.js';

export const SINK_OBJECT_ACTIONS: readonly string[] = ['s3:PutObject', 's3:DeleteObject'];

type ObjectSinkConfig = Extract<SinkConfig, { type: 'security_lake' | 's3' }>;

function isObjectSink(sink: SinkConfig): sink is ObjectSinkConfig {
  return sink.type === 'security_lake' || sink.type === 's3';
}

function objectArn(sink: ObjectSinkConfig, partition: string): string {
  const prefix = sink.type === 'security_lake' ? `ext/${sink.source_name}/` : sink.prefix;
  return `arn:${partition}:s3:::${sink.bucket}/${prefix}*`;
}

/** Statements for the object sinks: sts:AssumeRole on their roles, s3 writes by the role or the caller. */
export function sinkPolicyStatements(config: Config, partition = 'aws'): IamPolicyStatement[] {
  const sinks = config.sinks.filter(isObjectSink);
  const statements: IamPolicyStatement[] = [];
  const roles = [...new Set(sinks.flatMap((s) => (s.role_arn !== undefined ? [s.role_arn] : [])))].sort();
  if (roles.length > 0) {
    statements.push({
      Sid: 'IamInventorySinkAssumeRole',
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Resource: roles,
    });
  }
  const direct = sinks.filter((s) => s.role_arn === undefined).map((s) => objectArn(s, partition));
  if (direct.length > 0) {
    statements.push({
      Sid: 'IamInventorySinkObjects',
      Effect: 'Allow',
      Action: [...SINK_OBJECT_ACTIONS],
      Resource: [...new Set(direct)].sort(),
    });
  }
  return statements;
}

/** What each sink role must allow (Security Lake grants it to its provider role), by role ARN. */
export function sinkRolePolicies(config: Config, partition = 'aws'): Map<string, IamPolicyDocument> {
  const byRole = new Map<string, string[]>();
  for (const sink of config.sinks.filter(isObjectSink)) {
    if (sink.role_arn === undefined) continue;
    byRole.set(sink.role_arn, [...(byRole.get(sink.role_arn) ?? []), objectArn(sink, partition)]);
  }
  return new Map(
    [...byRole].map(([role, resources]) => [
      role,
      {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'IamInventorySinkObjects',
            Effect: 'Allow',
            Action: [...SINK_OBJECT_ACTIONS],
            Resource: [...new Set(resources)].sort(),
          },
        ],
      },
    ]),
  );
}
