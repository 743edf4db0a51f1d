// Sekoia.io intake sink: wire format, per-event and per-request size limits, secrecy of the intake key.
import { afterAll, describe, expect, it } from '@jest/globals';
import { createSink } from '../../src/sinks/registry.js';
import { SEKOIA_MAX_EVENT_BYTES, SEKOIA_MAX_REQUEST_BYTES } from '../../src/sinks/sekoia.js';
import { startCaptureServer, type CaptureServer, type Responder } from './support/capture-server.js';
import { FAST_RETRY, failureOf, makeContext, makeEvent, makeEvents } from './support/fixtures.js';

const INTAKE_KEY = 'intake-key-AbCdEf0123456789';
const servers: CaptureServer[] = [];
async function server(responder: Responder): Promise<CaptureServer> {
  const s = await startCaptureServer(responder);
  servers.push(s);
  return s;
}
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

interface SekoiaBody {
  intake_key: string;
  jsons: string[];
}

/** An event whose JSON is exactly `bytes` long. */
function eventOfSize(i: number, bytes: number) {
  const base = makeEvent(i, { padding: '' });
  return makeEvent(i, { padding: 'p'.repeat(bytes - base.json.length) });
}

describe('sekoia sink', () => {
  it('POSTs {intake_key, jsons} to /batch with each event as a JSON string', async () => {
    const srv = await server(() => ({ status: 200, body: '{"event_ids":["a","b"]}' }));
    const sink = createSink({ type: 'sekoia', intake_url: srv.url, intake_key: INTAKE_KEY }, makeContext());
    const events = [
      makeEvent(0),
      makeEvent(1, { user: { name: 'Zoë Łukasiewicz 山田', note: 'line1\nline2' } }),
    ];
    expect(await sink.send(events)).toEqual({ rejected: [] });
    await sink.close();
    const req = srv.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/batch');
    expect(req.headers['content-type']).toBe('application/json');
    const body = JSON.parse(req.body) as SekoiaBody;
    expect(Object.keys(body)).toEqual(['intake_key', 'jsons']);
    expect(body.intake_key).toBe(INTAKE_KEY);
    expect(body.jsons).toEqual(events.map((e) => e.json));
  });

  it('rejects an event above 250 kB with the reason, and sends the rest', async () => {
    const srv = await server(() => ({ status: 200, body: '{}' }));
    const sink = createSink({ type: 'sekoia', intake_url: srv.url, intake_key: INTAKE_KEY }, makeContext());
    const atLimit = eventOfSize(1, SEKOIA_MAX_EVENT_BYTES);
    const tooBig = eventOfSize(2, SEKOIA_MAX_EVENT_BYTES + 1);
    const result = await sink.send([makeEvent(0), atLimit, tooBig, makeEvent(3)]);
    await sink.close();
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]!.index).toBe(2);
    expect(result.rejected[0]!.reason).toContain(`${SEKOIA_MAX_EVENT_BYTES + 1} bytes`);
    expect(result.rejected[0]!.reason).toContain('250000 bytes per event');
    const sent = (JSON.parse(srv.requests[0]!.body) as SekoiaBody).jsons;
    expect(sent).toHaveLength(3);
    expect(sent[1]).toBe(atLimit.json);
  });

  it('splits a batch into requests of at most 9 MiB, keeping every event and the order', async () => {
    const srv = await server(() => ({ status: 200, body: '{}' }));
    const sink = createSink({ type: 'sekoia', intake_url: srv.url, intake_key: INTAKE_KEY }, makeContext());
    const events = Array.from({ length: 40 }, (_v, i) => eventOfSize(i, 240_000));
    await sink.send(events);
    await sink.close();
    expect(srv.requests.length).toBe(2);
    for (const r of srv.requests) expect(r.raw.length).toBeLessThanOrEqual(SEKOIA_MAX_REQUEST_BYTES);
    const all = srv.requests.flatMap((r) => (JSON.parse(r.body) as SekoiaBody).jsons);
    expect(all).toEqual(events.map((e) => e.json));
  });

  it('never shows the intake key in errors or logs', async () => {
    const srv = await server((r) => ({
      status: 401,
      body: `invalid intake key ${(JSON.parse(r.body) as SekoiaBody).intake_key}`,
    }));
    const ctx = makeContext();
    const sink = createSink(
      { type: 'sekoia', intake_url: srv.url, intake_key: INTAKE_KEY, retry: FAST_RETRY },
      ctx,
    );
    const err = await failureOf(sink.send(makeEvents(1)));
    await sink.close();
    expect(err.message).toContain('HTTP 401: invalid intake key [REDACTED]');
    expect(err.message + ctx.logger.text()).not.toContain(INTAKE_KEY);
  });

  it('uses the public intake by default and refuses plain http to it', () => {
    expect(() =>
      createSink(
        { type: 'sekoia', intake_key: INTAKE_KEY, intake_url: 'http://intake.sekoia.io' },
        makeContext(),
      ),
    ).toThrow(/refusing plain-HTTP intake_url/);
  });
});
