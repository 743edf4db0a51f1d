// The generic HTTP sink and the shared HTTP transport, against real local HTTP(S) servers.
import { afterAll, describe, expect, it } from '@jest/globals';
import { gunzipSync } from 'node:zlib';
import { createSink } from '../../src/sinks/registry.js';
import { retryAfterMs } from '../../src/sinks/retry-policy.js';
import { startCaptureServer, type CaptureServer } from './support/capture-server.js';
import { FAST_RETRY, failureOf, makeContext, makeEvents } from './support/fixtures.js';
import { makeSelfSignedCert } from './support/self-signed.js';
import { itUnless } from '../support/skip.js';

const servers: CaptureServer[] = [];
async function server(...args: Parameters<typeof startCaptureServer>): Promise<CaptureServer> {
  const s = await startCaptureServer(...args);
  servers.push(s);
  return s;
}
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe('http sink wire format', () => {
  it('POSTs NDJSON with the configured headers and splits by batch limits', async () => {
    const srv = await server(() => ({ status: 204 }));
    const ctx = makeContext();
    const sink = createSink(
      { type: 'http', url: `${srv.url}/ingest`, headers: { 'X-Tenant': 'blue' }, batch: { max_events: 2 } },
      ctx,
    );
    const events = makeEvents(5);
    expect(await sink.send(events)).toEqual({ rejected: [] });
    await sink.close();
    expect(srv.requests.map((r) => r.body)).toEqual([
      `${events[0]!.json}\n${events[1]!.json}\n`,
      `${events[2]!.json}\n${events[3]!.json}\n`,
      `${events[4]!.json}\n`,
    ]);
    for (const r of srv.requests) {
      expect(r.method).toBe('POST');
      expect(r.url).toBe('/ingest');
      expect(r.headers['content-type']).toBe('application/x-ndjson');
      expect(r.headers['x-tenant']).toBe('blue');
      expect(r.headers['content-encoding']).toBeUndefined();
      expect(Number(r.headers['content-length'])).toBe(r.raw.length);
    }
  });

  it('sends a JSON array and respects max_bytes', async () => {
    const srv = await server(() => ({ status: 200, body: '{}' }));
    const events = makeEvents(4);
    const oneEvent = Buffer.byteLength(events[0]!.json) + 1;
    const sink = createSink(
      { type: 'http', url: srv.url, format: 'json_array', batch: { max_bytes: 2 + oneEvent * 2 } },
      makeContext(),
    );
    await sink.send(events);
    await sink.close();
    expect(srv.requests).toHaveLength(2);
    expect(srv.requests[0]!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(srv.requests[0]!.body)).toEqual([events[0]!.event, events[1]!.event]);
    expect(JSON.parse(srv.requests[1]!.body)).toEqual([events[2]!.event, events[3]!.event]);
  });

  it('gzips the body when compress is true', async () => {
    const srv = await server(() => ({ status: 200 }));
    const sink = createSink({ type: 'http', url: srv.url, compress: true }, makeContext());
    const events = makeEvents(3);
    await sink.send(events);
    await sink.close();
    const req = srv.requests[0]!;
    expect(req.headers['content-encoding']).toBe('gzip');
    expect(req.raw.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(gunzipSync(req.raw).toString('utf8')).toBe(events.map((e) => e.json + '\n').join(''));
  });
});

describe('http transport retries', () => {
  it('waits for Retry-After on 429, then succeeds', async () => {
    const srv = await server((_r, i) =>
      i === 0 ? { status: 429, headers: { 'Retry-After': '1' }, body: 'slow down' } : { status: 200 },
    );
    const ctx = makeContext();
    const sink = createSink(
      { type: 'http', url: srv.url, retry: { max_attempts: 3, initial_delay_ms: 1, max_delay_ms: 5000 } },
      ctx,
    );
    await sink.send(makeEvents(2));
    await sink.close();
    expect(srv.requests).toHaveLength(2);
    expect(srv.requests[1]!.body).toBe(srv.requests[0]!.body);
    // Honouring the header means the second attempt came no sooner than about a second later.
    expect(srv.requests[1]!.at - srv.requests[0]!.at).toBeGreaterThanOrEqual(900);
    expect(ctx.retries).toEqual(['http:http_429']);
  });

  it('parses Retry-After as seconds or as an HTTP date, capped by max_delay_ms', () => {
    const policy = { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 30_000 };
    const now = Date.parse('2024-06-01T00:00:00Z');
    expect(retryAfterMs('7', policy, now)).toBe(7000);
    expect(retryAfterMs('Sat, 01 Jun 2024 00:00:10 GMT', policy, now)).toBe(10_000);
    expect(retryAfterMs('3600', policy, now)).toBe(30_000);
    expect(retryAfterMs('soon', policy, now)).toBeUndefined();
  });

  it('rides out a 503 storm', async () => {
    const srv = await server((_r, i) => (i < 4 ? { status: 503, body: 'busy' } : { status: 202 }));
    const ctx = makeContext();
    const sink = createSink({ type: 'http', url: srv.url, retry: FAST_RETRY }, ctx);
    await sink.send(makeEvents(1));
    await sink.close();
    expect(srv.requests).toHaveLength(5);
    expect(ctx.retries).toHaveLength(4);
  });

  it('gives up after retry.max_attempts and rejects', async () => {
    const srv = await server(() => ({ status: 500, body: 'boom' }));
    const sink = createSink({ type: 'http', url: srv.url, retry: FAST_RETRY }, makeContext());
    const err = await failureOf(sink.send(makeEvents(1)));
    await sink.close();
    expect(srv.requests).toHaveLength(5);
    expect(err.message).toContain('failed after 5 attempt(s)');
    expect(err.message).toContain('HTTP 500: boom');
  });

  it('retries a request that timed out', async () => {
    const srv = await server((_r, i) => (i === 0 ? { status: 200, hang: true } : { status: 200 }));
    const sink = createSink(
      { type: 'http', url: srv.url, timeout_ms: 300, retry: FAST_RETRY },
      makeContext(),
    );
    await sink.send(makeEvents(1));
    await sink.close();
    expect(srv.requests).toHaveLength(2);
  });

  it('fails fast on 400 with the status and the first 500 bytes of the body, and no secrets', async () => {
    const secret = 'Bearer s3cr3t-header-value-0001';
    const srv = await server((r) => ({
      status: 400,
      body: `bad request, you sent ${String(r.headers.authorization)} ` + 'x'.repeat(1000),
    }));
    const ctx = makeContext();
    const sink = createSink(
      { type: 'http', url: srv.url, headers: { Authorization: secret }, retry: FAST_RETRY },
      ctx,
    );
    const events = makeEvents(1);
    const err = await failureOf(sink.send(events));
    await sink.close();
    expect(srv.requests).toHaveLength(1);
    expect(err.message).toContain('HTTP 400');
    expect(err.message).toContain('bad request, you sent [REDACTED]');
    expect(err.message).not.toContain('s3cr3t');
    expect(err.message).not.toContain(events[0]!.json);
    // 500 bytes of the body as masked.
    const shownPrefix = 'bad request, you sent [REDACTED] ';
    expect(err.message.match(/x+$/)?.[0]).toHaveLength(500 - Buffer.byteLength(shownPrefix));
    expect(ctx.logger.text()).not.toContain('s3cr3t');
  });

  it("masks a header's credential echoed without its scheme, and a secret cut at the excerpt's end", async () => {
    const token = 'tok-SECRETVALUE-0002';
    const echo = await server(() => ({ status: 401, body: `invalid credential: ${token}` }));
    const cut = await server(() => ({ status: 403, body: 'x'.repeat(490) + token }));
    for (const srv of [echo, cut]) {
      const ctx = makeContext();
      const sink = createSink(
        { type: 'http', url: srv.url, headers: { Authorization: `Bearer ${token}` }, retry: FAST_RETRY },
        ctx,
      );
      const err = await failureOf(sink.send(makeEvents(1)));
      await sink.close();
      expect(err.message).toMatch(/HTTP 40[13]/);
      expect(err.message).not.toContain('SECRET');
      expect(ctx.logger.text()).not.toContain('SECRET');
    }
  });
});

describe('http transport safety checks', () => {
  it('refuses http:// to a non-loopback host at creation, naming the sink and url', () => {
    expect(() =>
      createSink({ type: 'http', name: 'siem', url: 'http://192.0.2.1/ingest' }, makeContext()),
    ).toThrow(/sink siem: refusing plain-HTTP url http:\/\/192\.0\.2\.1\/ingest/);
  });

  it('accepts it with allow_insecure_http and warns', async () => {
    const ctx = makeContext();
    const sink = createSink({ type: 'http', url: 'http://192.0.2.1/ingest', allow_insecure_http: true }, ctx);
    await sink.close();
    expect(ctx.logger.lines.some((l) => l.level === 'warn' && /allow_insecure_http/.test(l.msg ?? ''))).toBe(
      true,
    );
  });

  it('rejects a wrong key type at creation', () => {
    expect(() =>
      createSink({ type: 'http', url: 'https://127.0.0.1', timeout_ms: 'soon' }, makeContext()),
    ).toThrow('sink http: timeout_ms must be');
  });

  const cert = makeSelfSignedCert();
  const tlsIt = itUnless(cert ? undefined : 'openssl is not installed (it makes the test certificate)');

  tlsIt('rejects an untrusted certificate without retrying, and trusts it with ca_file', async () => {
    const srv = await server(() => ({ status: 200 }), { cert: cert!.cert, key: cert!.key });
    const ctx = makeContext(cert!.dir);
    const untrusted = createSink({ type: 'http', url: srv.url, retry: FAST_RETRY }, ctx);
    const err = await failureOf(untrusted.send(makeEvents(1)));
    await untrusted.close();
    expect(err.message).toMatch(/TLS verification failed/);
    expect(ctx.retries).toHaveLength(0);
    expect(srv.requests).toHaveLength(0);

    const trusted = createSink({ type: 'http', url: srv.url, ca_file: 'cert.pem', retry: FAST_RETRY }, ctx);
    await trusted.send(makeEvents(2));
    await trusted.close();
    expect(srv.requests).toHaveLength(1);
  });

  tlsIt('accepts any certificate with tls_insecure_skip_verify, loudly', async () => {
    const srv = await server(() => ({ status: 200 }), { cert: cert!.cert, key: cert!.key });
    const ctx = makeContext();
    const sink = createSink({ type: 'http', url: srv.url, tls_insecure_skip_verify: true }, ctx);
    await sink.send(makeEvents(1));
    await sink.close();
    expect(srv.requests).toHaveLength(1);
    expect(
      ctx.logger.lines.some((l) => l.level === 'warn' && /tls_insecure_skip_verify/.test(l.msg ?? '')),
    ).toBe(true);
  });
});
