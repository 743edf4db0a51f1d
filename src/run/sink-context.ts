// What sinks get from the rest of the program, built once from the config: the logger and folders, AWS
// access through the collector's credentials (sinks may not import the collector), and the OCSF record
// schema of the configured version (sinks may not import ocsf).
import { dirname } from 'node:path';
import { assumeRoleCredentials, baseCredentials } from '../collector/index.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../log.js';
import { eventRecordSchema } from '../ocsf/record-schema.js';
import type { SinkContext } from '../sinks/sink.js';

/** Assumed sink roles last an hour; they are refreshed before expiry. */
const SINK_ROLE_SECONDS = 3600;

export function sinkContextFor(config: Config, logger: Logger): SinkContext {
  const { aws } = config;
  const base = baseCredentials(aws.credentials);
  return {
    logger,
    baseDir: config.baseDir,
    stateDir: dirname(config.state.path),
    ocsf: { version: config.ocsf.version, recordSchema: () => eventRecordSchema(config.ocsf.version) },
    aws: {
      endpoint: aws.endpoint,
      maxAttempts: aws.max_attempts,
      credentials: (role) =>
        role === undefined
          ? base
          : assumeRoleCredentials({
              baseCredentials: base,
              roleArn: role.roleArn,
              ...(role.externalId !== undefined ? { externalId: role.externalId } : {}),
              region: aws.region,
              ...(aws.endpoint !== undefined ? { endpoint: aws.endpoint } : {}),
              durationSeconds: SINK_ROLE_SECONDS,
              sessionName: 'iam-inventory-sink',
              maxAttempts: aws.max_attempts,
            }),
    },
  };
}
