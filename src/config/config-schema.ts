// The configuration file's schema: one section per top-level key, each in its own file under sections/,
// and the sinks list whose entries follow the sinks document. A new top-level section is one file in
// sections/ and one line here. Build time only (schema:write, tests, types): the running program validates
// with the generated schemas/config.schema.json and never loads TypeBox.
import Type, { type Static } from 'typebox';
import { jsonSchemaOf, type JsonSchemaObject } from './json-schema.js';
import { AwsSchema } from './sections/aws.js';
import { ChangesSchema } from './sections/changes.js';
import { CollectorSchema } from './sections/collector.js';
import { DeliverySchema } from './sections/delivery.js';
import { IdentityCenterSchema } from './sections/identity-center.js';
import { LogSchema } from './sections/log.js';
import { OcsfSchema } from './sections/ocsf.js';
import { OpsSchema } from './sections/ops.js';
import { RiskSchema } from './sections/risk.js';
import { ScheduleSchema } from './sections/schedule.js';
import { StateSchema } from './sections/state.js';
import { CONFIG_SCHEMA_ID, SINKS_SCHEMA_ID } from './schema-documents.js';
import type { SinkConfig } from './sinks/index.js';

export const ConfigFileSchema = Type.Object(
  {
    aws: AwsSchema,
    collector: CollectorSchema,
    identity_center: IdentityCenterSchema,
    ocsf: OcsfSchema,
    risk: RiskSchema,
    state: StateSchema,
    delivery: DeliverySchema,
    schedule: ScheduleSchema,
    changes: ChangesSchema,
    shutdown_grace_seconds: Type.Integer({
      description: 'On SIGTERM/SIGINT, time given to the current batch to finish and commit.',
      default: 30,
      minimum: 0,
      maximum: 3600,
    }),
    ops: OpsSchema,
    log: LogSchema,
    sinks: Type.Array(Type.Unsafe<SinkConfig>({ $ref: SINKS_SCHEMA_ID }), {
      minItems: 1,
      description: 'Destinations; a batch counts as delivered when every sink acknowledged it.',
    }),
  },
  {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: CONFIG_SCHEMA_ID,
    title: 'iam-inventory configuration',
    description:
      'Configuration of iam-inventory. String values may use ${ENV_VAR}, ${ENV_VAR:-default} and ${file:/path} (a mounted secret); $${ escapes a literal ${.',
    additionalProperties: false,
  },
);

/** The file's keys after validation, every default filled in. */
export type ConfigFile = Static<typeof ConfigFileSchema>;

/** schemas/config.schema.json. */
export const CONFIG_DOCUMENT: JsonSchemaObject = jsonSchemaOf(ConfigFileSchema);
