// The Elasticsearch (or OpenSearch-compatible) bulk API sink.
import Type, { type Static } from 'typebox';
import { HttpTransportSchema, SINK_BASE_PROPERTIES, batchSchema, httpUrl } from './common.js';

export const ElasticsearchSinkSchema = Type.Object(
  {
    type: Type.Literal('elasticsearch'),
    ...SINK_BASE_PROPERTIES,
    url: httpUrl({ description: 'Cluster URL.' }),
    ...HttpTransportSchema.properties,
    index: Type.String({
      minLength: 1,
      default: 'logs-ocsf.user_inventory-default',
      description: 'Data stream or index.',
    }),
    index_in_path: Type.Boolean({
      default: false,
      description: 'POST /<index>/_bulk instead of naming the index in each action.',
    }),
    api_key: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'Encoded API key (secret): Authorization: ApiKey <api_key>.',
        writeOnly: true,
      }),
    ),
    username: Type.Optional(Type.String({ minLength: 1 })),
    password: Type.Optional(
      Type.String({ minLength: 1, description: 'Basic auth password (secret).', writeOnly: true }),
    ),
    batch: batchSchema({ maxEvents: 500, maxBytes: 4194304 }),
  },
  {
    description: 'Elasticsearch bulk API with create actions.',
    additionalProperties: false,
    dependencies: { username: ['password'], password: ['username'] },
    not: { required: ['api_key', 'username'], description: 'api_key and username/password are exclusive' },
  },
);

export type ElasticsearchSinkConfig = Static<typeof ElasticsearchSinkSchema>;
