// Elasticsearch bulk sink: NDJSON create actions, auth headers, per-item failures.
import { afterAll, describe, expect, it } from '@jest/globals';
import { createSink } from '../../src/sinks/registry.js';
import { startCaptureServer, type CaptureServer, type Responder } from './support/capture-server.js';
import { FAST_RETRY, failureOf, makeContext, makeEvents } from './support/fixtures.js';

const API_KEY = 'VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==';
const servers: CaptureServer[] = [];
async function server(responder: Responder): Promise<CaptureServer> {
  const s = await startCaptureServer(responder);
  servers.push(s);
  return s;
}
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

interface BulkLine {
  create?: { _index?: string };
  user?: { name: string };
}

function parseBulk(body: string): BulkLine[] {
  expect(body.endsWith('\n')).toBe(true);
  return body
    .slice(0, -1)
    .split('\n')
    .map((l) => JSON.parse(l) as BulkLine);
}

function bulkAnswer(statuses: number[]): string {
  return JSON.stringify({
    took: 3,
    errors: statuses.some((s) => s >= 300),
    items: statuses.map((status) => ({
      create: {
        _index: '.ds-logs-ocsf.user_inventory-default-000001',
        status,
        ...(status >= 300
          ? {
              error:
                status === 429
                  ? {
                      type: 'es_rejected_execution_exception',
                      reason: 'rejected execution of coordinating operation',
                    }
                  : {
                      type: 'document_parsing_exception',
                      reason: '[1:2] failed to parse field [time] of type [date]',
                    },
            }
          : {}),
      },
    })),
  });
}

describe('elasticsearch sink', () => {
  it('POSTs NDJSON create actions into the default data stream with the API key', async () => {
    const srv = await server((r) => ({
      status: 200,
      body: bulkAnswer(
        parseBulk(r.body)
          .filter((l) => !l.create)
          .map(() => 201),
      ),
    }));
    const sink = createSink({ type: 'elasticsearch', url: srv.url, api_key: API_KEY }, makeContext());
    const events = makeEvents(3);
    expect(await sink.send(events)).toEqual({ rejected: [] });
    await sink.close();
    const req = srv.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/_bulk');
    expect(req.headers['content-type']).toBe('application/x-ndjson');
    expect(req.headers.authorization).toBe(`ApiKey ${API_KEY}`);
    const action = '{"create":{"_index":"logs-ocsf.user_inventory-default"}}';
    expect(req.body).toBe(events.map((e) => `${action}\n${e.json}\n`).join(''));
  });

  it('can name the index in the path and use basic auth', async () => {
    const srv = await server(() => ({ status: 200, body: bulkAnswer([201]) }));
    const sink = createSink(
      {
        type: 'elasticsearch',
        url: srv.url,
        index: 'iam-users',
        index_in_path: true,
        username: 'elastic',
        password: 'pa55word!',
      },
      makeContext(),
    );
    await sink.send(makeEvents(1));
    await sink.close();
    const req = srv.requests[0]!;
    expect(req.url).toBe('/iam-users/_bulk');
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from('elastic:pa55word!').toString('base64')}`);
    expect(req.body.split('\n')[0]).toBe('{"create":{}}');
  });

  it('retries only the 429 items and returns the 400 items as rejected with their error', async () => {
    // First answer: items 0 ok, 1 429, 2 400, 3 429, 4 ok. Second: the two resent items are ok.
    const srv = await server((r, i) => {
      const docs = parseBulk(r.body).filter((l) => !l.create);
      return { status: 200, body: bulkAnswer(i === 0 ? [201, 429, 400, 429, 201] : docs.map(() => 201)) };
    });
    const ctx = makeContext();
    const sink = createSink(
      { type: 'elasticsearch', url: srv.url, api_key: API_KEY, retry: FAST_RETRY },
      ctx,
    );
    const events = makeEvents(5);
    const result = await sink.send(events);
    await sink.close();
    expect(srv.requests).toHaveLength(2);
    const resent = parseBulk(srv.requests[1]!.body).filter((l) => !l.create);
    expect(resent.map((d) => d.user?.name)).toEqual(['user-1', 'user-3']);
    expect(result.rejected).toEqual([
      {
        index: 2,
        reason:
          'Elasticsearch refused the document: HTTP 400 document_parsing_exception: [1:2] failed to parse field [time] of type [date]',
      },
    ]);
    expect(ctx.retries).toEqual(['elasticsearch:bulk_item']);
  });

  it('fails the batch when retryable items keep failing past the retry budget', async () => {
    const srv = await server((r) => ({
      status: 200,
      body: bulkAnswer(
        parseBulk(r.body)
          .filter((l) => !l.create)
          .map(() => 503),
      ),
    }));
    const ctx = makeContext();
    const sink = createSink(
      { type: 'elasticsearch', url: srv.url, api_key: API_KEY, retry: FAST_RETRY },
      ctx,
    );
    const err = await failureOf(sink.send(makeEvents(2)));
    await sink.close();
    expect(srv.requests).toHaveLength(FAST_RETRY.max_attempts);
    expect(err.message).toContain('2 document(s) still failing after 5 bulk attempts');
    expect(err.message + ctx.logger.text()).not.toContain(API_KEY);
  });

  it('fails fast on 401 without leaking credentials', async () => {
    const srv = await server((r) => ({
      status: 401,
      body: JSON.stringify({
        error: { type: 'security_exception', reason: `bad credentials ${String(r.headers.authorization)}` },
      }),
    }));
    const ctx = makeContext();
    const sink = createSink(
      { type: 'elasticsearch', url: srv.url, username: 'elastic', password: 'pa55word!', retry: FAST_RETRY },
      ctx,
    );
    const err = await failureOf(sink.send(makeEvents(1)));
    await sink.close();
    expect(srv.requests).toHaveLength(1);
    expect(err.message).toContain('HTTP 401');
    expect(err.message).toContain('security_exception');
    const basic = Buffer.from('elastic:pa55word!').toString('base64');
    expect(err.message + ctx.logger.text()).not.toContain(basic);
    expect(err.message + ctx.logger.text()).not.toContain('pa55word!');
  });

  it('checks the cluster with GET /', async () => {
    const srv = await server(() => ({
      status: 200,
      body: '{"cluster_name":"siem","version":{"number":"8.15.0"}}',
    }));
    const sink = createSink({ type: 'elasticsearch', url: srv.url, api_key: API_KEY }, makeContext());
    expect(await sink.check()).toContain('cluster siem, version 8.15.0');
    await sink.close();
    expect(srv.requests[0]!.headers.authorization).toBe(`ApiKey ${API_KEY}`);
  });
});
