// Splunk HEC sink against a local server speaking HEC's answers (including indexer acknowledgement).
import { afterAll, describe, expect, it } from '@jest/globals';
import { createSink } from '../../src/sinks/registry.js';
import { startCaptureServer, type CaptureServer, type Responder } from './support/capture-server.js';
import { FAST_RETRY, failureOf, makeContext, makeEvent, makeEvents } from './support/fixtures.js';

const TOKEN = '11111111-2222-3333-4444-555555555555';
const servers: CaptureServer[] = [];
async function server(responder: Responder): Promise<CaptureServer> {
  const s = await startCaptureServer(responder);
  servers.push(s);
  return s;
}
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

const success = { status: 200, body: '{"text":"Success","code":0}' };

describe('splunk_hec sink', () => {
  it('sends concatenated HEC envelopes with the token and the event', async () => {
    const srv = await server(() => success);
    const sink = createSink(
      {
        type: 'splunk_hec',
        url: srv.url,
        token: TOKEN,
        host: 'collector-1',
        index: 'iam',
        batch: { max_events: 2 },
      },
      makeContext(),
    );
    const events = [makeEvent(0), makeEvent(1, { time: 1718000000999 }), makeEvent(2)];
    await sink.send(events);
    await sink.close();
    expect(srv.requests).toHaveLength(2);
    const first = srv.requests[0]!;
    expect(first.method).toBe('POST');
    expect(first.url).toBe('/services/collector/event');
    expect(first.headers.authorization).toBe(`Splunk ${TOKEN}`);
    expect(first.headers['x-splunk-request-channel']).toBeUndefined();
    const lines = first.body.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(
      `{"time":1718000000.123,"host":"collector-1","source":"iam-inventory","sourcetype":"ocsf:user_inventory","index":"iam","event":${events[0]!.json}}`,
    );
    expect(JSON.parse(lines[1]!)).toEqual({
      time: 1718000000.999,
      host: 'collector-1',
      source: 'iam-inventory',
      sourcetype: 'ocsf:user_inventory',
      index: 'iam',
      event: events[1]!.event,
    });
    expect(JSON.parse(srv.requests[1]!.body).event).toEqual(events[2]!.event);
  });

  it('omits index when not set and uses the default sourcetype', async () => {
    const srv = await server(() => success);
    const sink = createSink({ type: 'splunk_hec', url: srv.url, token: TOKEN }, makeContext());
    await sink.send(makeEvents(1));
    await sink.close();
    const envelope = JSON.parse(srv.requests[0]!.body) as Record<string, unknown>;
    expect(Object.keys(envelope)).toEqual(['time', 'host', 'source', 'sourcetype', 'event']);
    expect(envelope.sourcetype).toBe('ocsf:user_inventory');
  });

  it('polls the ack endpoint on its channel until every ack id is true', async () => {
    let nextAck = 7;
    let polls = 0;
    const srv = await server((req) => {
      if (req.url === '/services/collector/event') {
        return { status: 200, body: JSON.stringify({ text: 'Success', code: 0, ackId: nextAck++ }) };
      }
      polls++;
      const asked = (JSON.parse(req.body) as { acks: number[] }).acks;
      // Ack 7 is confirmed on the first poll, ack 8 only on the third.
      return {
        status: 200,
        body: JSON.stringify({
          acks: Object.fromEntries(asked.map((id) => [String(id), id === 7 || polls >= 3])),
        }),
      };
    });
    const sink = createSink(
      {
        type: 'splunk_hec',
        url: srv.url,
        token: TOKEN,
        ack: true,
        ack_poll_interval_ms: 10,
        batch: { max_events: 1 },
      },
      makeContext(),
    );
    await sink.send(makeEvents(2));
    await sink.close();
    const channel = srv.requests[0]!.headers['x-splunk-request-channel'];
    expect(channel).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const ackPolls = srv.requests.filter((r) => r.url === '/services/collector/ack');
    expect(ackPolls).toHaveLength(3);
    expect(JSON.parse(ackPolls[0]!.body)).toEqual({ acks: [7, 8] });
    expect(JSON.parse(ackPolls[1]!.body)).toEqual({ acks: [8] });
    for (const r of srv.requests) {
      expect(r.headers['x-splunk-request-channel']).toBe(channel);
      expect(r.headers.authorization).toBe(`Splunk ${TOKEN}`);
    }
  });

  it('fails the batch when the acks never come within ack_timeout_ms', async () => {
    const srv = await server((req) =>
      req.url === '/services/collector/event'
        ? { status: 200, body: '{"text":"Success","code":0,"ackId":0}' }
        : { status: 200, body: '{"acks":{"0":false}}' },
    );
    const ctx = makeContext();
    const sink = createSink(
      {
        type: 'splunk_hec',
        url: srv.url,
        token: TOKEN,
        ack: true,
        ack_timeout_ms: 150,
        ack_poll_interval_ms: 20,
      },
      ctx,
    );
    const err = await failureOf(sink.send(makeEvents(1)));
    await sink.close();
    expect(err.message).toMatch(/1 of 1 indexer acknowledgements still pending after ack_timeout_ms 150/);
    expect(err.message).not.toContain(TOKEN);
  });

  it('retries "server busy" (code 9) and fails fast on a bad token without leaking it', async () => {
    const busy = await server((_r, i) =>
      i < 2 ? { status: 503, body: '{"text":"Server is busy","code":9}' } : success,
    );
    const ctx = makeContext();
    const sink = createSink({ type: 'splunk_hec', url: busy.url, token: TOKEN, retry: FAST_RETRY }, ctx);
    await sink.send(makeEvents(1));
    await sink.close();
    expect(busy.requests).toHaveLength(3);

    const denied = await server(() => ({ status: 403, body: '{"text":"Invalid token","code":4}' }));
    const sink2 = createSink({ type: 'splunk_hec', url: denied.url, token: TOKEN, retry: FAST_RETRY }, ctx);
    const err = await failureOf(sink2.send(makeEvents(1)));
    await sink2.close();
    expect(denied.requests).toHaveLength(1);
    expect(err.message).toContain('HTTP 403: {"text":"Invalid token","code":4}');
    expect(err.message + ctx.logger.text()).not.toContain(TOKEN);
  });

  it('checks /services/collector/health', async () => {
    const srv = await server(() => ({ status: 200, body: '{"text":"HEC is healthy","code":17}' }));
    const sink = createSink({ type: 'splunk_hec', url: srv.url, token: TOKEN }, makeContext());
    expect(await sink.check()).toContain('HEC is healthy');
    await sink.close();
    expect(srv.requests[0]!.method).toBe('GET');
    expect(srv.requests[0]!.url).toBe('/services/collector/health');
  });
});
