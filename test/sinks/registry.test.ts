// Sink registry (names, unknown types, dry run) and the sinks JSON schema as ajv applies it.
import { describe, expect, it } from '@jest/globals';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/package-root.js';
import { assignSinkNames, createSink, createSinks } from '../../src/sinks/index.js';
import { startCaptureServer } from './support/capture-server.js';
import { makeContext, makeEvents } from './support/fixtures.js';

describe('sink registry', () => {
  it('names sinks by configured name, else type, else type-N', () => {
    expect(
      assignSinkNames([
        { type: 'http', url: 'https://a' },
        { type: 'http', url: 'https://b' },
        { type: 'file', path: 'x', name: 'http-2' },
        { type: 'http', url: 'https://c' },
        { type: 'stdout' },
      ]),
    ).toEqual(['http', 'http-3', 'http-2', 'http-4', 'stdout']);
    expect(() =>
      assignSinkNames([
        { type: 'stdout', name: 'a' },
        { type: 'file', path: 'x', name: 'a' },
      ]),
    ).toThrow('the name "a" is used by more than one sink');
  });

  it('builds every sink type and rejects an unknown one', async () => {
    const sinks = createSinks(
      [
        { type: 'stdout' },
        { type: 'file', path: '/tmp/never-written.ndjson' },
        { type: 'http', url: 'https://127.0.0.1:9/x' },
        { type: 'splunk_hec', url: 'https://127.0.0.1:9', token: 'tok-tok-tok' },
        { type: 'sekoia', intake_key: 'key-key-key' },
        { type: 'elasticsearch', url: 'https://127.0.0.1:9' },
        { type: 'syslog', host: '127.0.0.1' },
        { type: 'stdout' },
      ],
      makeContext(),
    );
    expect(sinks.map((s) => [s.name, s.type])).toEqual([
      ['stdout', 'stdout'],
      ['file', 'file'],
      ['http', 'http'],
      ['splunk_hec', 'splunk_hec'],
      ['sekoia', 'sekoia'],
      ['elasticsearch', 'elasticsearch'],
      ['syslog', 'syslog'],
      ['stdout-2', 'stdout'],
    ]);
    await Promise.all(sinks.map((s) => s.close()));
    expect(() => createSink({ type: 'kafka' }, makeContext())).toThrow('unknown type "kafka"');
  });

  it('dry_run logs what it would send and sends nothing', async () => {
    const srv = await startCaptureServer(() => ({ status: 200 }));
    const ctx = makeContext();
    const sink = createSink({ type: 'http', url: srv.url, dry_run: true, name: 'preview' }, ctx);
    const events = makeEvents(3);
    expect(await sink.send(events)).toEqual({ rejected: [] });
    await sink.close();
    await srv.close();
    expect(srv.requests).toHaveLength(0);
    const line = ctx.logger.lines.find((l) => l.msg === 'dry run: would send batch');
    expect(line?.obj).toEqual({
      sink: 'preview',
      type: 'http',
      count: 3,
      bytes: events.reduce((n, e) => n + Buffer.byteLength(e.json), 0),
      first_key: events[0]!.key,
    });
  });
});

describe('sinks.schema.json', () => {
  const ajv = new Ajv({ allErrors: true, useDefaults: true });
  addFormats.default(ajv);
  ajv.addSchema(
    JSON.parse(readFileSync(join(packageRoot, 'schemas', 'sinks.schema.json'), 'utf8')) as object,
  );
  // A synchronous schema: getSchema's type also admits async ones, whose result is a promise.
  const validate = ajv.getSchema('sinks.schema.json') as ValidateFunction;
  const errors = (config: object) => {
    validate({ ...config });
    return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
  };

  it('accepts every type with its keys and fills defaults', () => {
    const http = { type: 'http', url: 'https://siem.example.com/in', headers: { 'X-A': 'b' } };
    expect(validate(http)).toBe(true);
    expect(http).toMatchObject({ format: 'ndjson', timeout_ms: 30000, compress: false });
    for (const config of [
      { type: 'stdout' },
      { type: 'file', path: 'out/e.ndjson', rotate: { max_bytes: 1000, keep: 2 } },
      { type: 'splunk_hec', url: 'https://h:8088', token: 't', ack: true, index: 'main' },
      { type: 'sekoia', intake_key: 'k', batch: { max_events: 100 } },
      { type: 'elasticsearch', url: 'https://es:9200', api_key: 'k', retry: { max_attempts: 3 } },
      {
        type: 'syslog',
        host: 'h',
        protocol: 'tcp',
        port: 601,
        structured_data: { 'meta@32473': { env: 'prod' } },
      },
    ]) {
      expect(errors(config)).toEqual([]);
    }
  });

  it('rejects misspelled keys and wrong types with the key path', () => {
    expect(errors({ type: 'http', url: 'https://x', hedaers: {} })).toContain(
      ' must NOT have additional properties {"additionalProperty":"hedaers"}',
    );
    expect(errors({ type: 'splunk_hec', url: 'https://x', token: 't', retry: { max_atempts: 2 } })).toContain(
      '/retry must NOT have additional properties {"additionalProperty":"max_atempts"}',
    );
    expect(errors({ type: 'http', url: 'https://x', timeout_ms: '30s' })).toContain(
      '/timeout_ms must be integer {"type":"integer"}',
    );
    expect(errors({ type: 'sekoia', intake_key: 'k', batch: { max_bytes: 10 * 1024 * 1024 } })[0]).toMatch(
      /^\/batch\/max_bytes must be <= 9437184/,
    );
    expect(errors({ type: 'syslog', host: 'h', facility: 'local9' })[0]).toMatch(
      /^\/facility must be equal to one/,
    );
    expect(errors({ type: 'kafka' })[0]).toMatch(/^\/type must be equal to one of the allowed values/);
    expect(errors({ type: 'splunk_hec', url: 'https://x' })).toContain(
      ' must have required property \'token\' {"missingProperty":"token"}',
    );
  });
});
