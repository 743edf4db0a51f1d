// Syslog sink against a local octet-counting receiver: exact RFC 5424 header, framing, TLS, reconnects.
import { describe, expect, it } from '@jest/globals';
import { createSink } from '../../src/sinks/registry.js';
import { createOctetServer, freePort } from './support/octet-server.js';
import { FAST_RETRY, failureOf, makeContext, makeEvent, makeEvents } from './support/fixtures.js';
import { makeSelfSignedCert } from './support/self-signed.js';
import { itUnless } from '../support/skip.js';

describe('syslog sink framing and format', () => {
  it('writes octet-counted RFC 5424 messages with the configured header fields', async () => {
    const srv = createOctetServer();
    const port = await srv.listen();
    const sink = createSink(
      {
        type: 'syslog',
        protocol: 'tcp',
        host: '127.0.0.1',
        port,
        hostname: 'collector-1',
        facility: 'local3',
      },
      makeContext(),
    );
    const events = [makeEvent(0), makeEvent(1, { user: { name: 'Zoë Łukasiewicz 山田', note: 'a\nb' } })];
    expect(await sink.send(events)).toEqual({ rejected: [] });
    await sink.close();
    await srv.close();
    expect(srv.messages).toHaveLength(2);
    events.forEach((e, i) => {
      const text = srv.messages[i]!.toString('utf8');
      const time = new Date(e.event.time as number).toISOString();
      // local3 = 19: PRI = 19 * 8 + 6 (informational).
      expect(text).toBe(`<158>1 ${time} collector-1 iam-inventory ${process.pid} user_inventory - ${e.json}`);
    });
    expect(JSON.parse(srv.messages[1]!.toString('utf8').split(' - ')[1]!).user.name).toBe(
      'Zoë Łukasiewicz 山田',
    );
  });

  it('defaults to local0, adds structured data and a BOM when asked, rejects oversize messages', async () => {
    const srv = createOctetServer();
    const port = await srv.listen();
    const sink = createSink(
      {
        type: 'syslog',
        protocol: 'tcp',
        host: '127.0.0.1',
        port,
        app_name: 'iam',
        msgid: 'inv',
        utf8_bom: true,
        structured_data: { 'meta@32473': { env: 'pr"od]' } },
        max_message_bytes: 1000,
      },
      makeContext(),
    );
    const big = makeEvent(1, { padding: 'x'.repeat(2000) });
    const result = await sink.send([makeEvent(0), big]);
    await sink.close();
    await srv.close();
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]!.index).toBe(1);
    expect(result.rejected[0]!.reason).toMatch(/above max_message_bytes 1000/);
    expect(srv.messages).toHaveLength(1);
    const msg = srv.messages[0]!;
    const header = msg.subarray(0, msg.indexOf(Buffer.from([0xef, 0xbb, 0xbf]))).toString('ascii');
    expect(header).toMatch(/^<134>1 \S+ \S+ iam \d+ inv \[meta@32473 env="pr\\"od\\]"\] $/);
  });

  it('reconnects with backoff until the receiver is up', async () => {
    const port = await freePort();
    const srv = createOctetServer();
    const ctx = makeContext();
    ctx.onRetry = (sink, reason) => {
      ctx.retries.push(`${sink}:${reason}`);
      if (ctx.retries.length === 2) void srv.listen(port);
    };
    const sink = createSink(
      {
        type: 'syslog',
        protocol: 'tcp',
        host: '127.0.0.1',
        port,
        retry: { ...FAST_RETRY, max_attempts: 50, max_delay_ms: 20 },
      },
      ctx,
    );
    const events = makeEvents(3);
    await sink.send(events);
    await sink.close();
    await srv.close();
    expect(ctx.retries.length).toBeGreaterThanOrEqual(2);
    expect(srv.messages.map((m) => m.toString('utf8').split(' - ')[1])).toEqual(events.map((e) => e.json));
  });

  it('fails after retry.max_attempts when nobody listens', async () => {
    const port = await freePort();
    const sink = createSink(
      { type: 'syslog', protocol: 'tcp', host: '127.0.0.1', port, retry: FAST_RETRY },
      makeContext(),
    );
    const err = await failureOf(sink.send(makeEvents(1)));
    await sink.close();
    expect(err.message).toMatch(
      new RegExp(`tcp://127.0.0.1:${port} failed after 5 attempt\\(s\\): ECONNREFUSED`),
    );
  });

  const cert = makeSelfSignedCert();
  const tlsIt = itUnless(cert ? undefined : 'openssl is not installed (it makes the test certificate)');

  tlsIt('speaks TLS: an untrusted certificate fails, ca_file makes it work', async () => {
    const srv = createOctetServer({ cert: cert!.cert, key: cert!.key });
    const port = await srv.listen();
    const ctx = makeContext(cert!.dir);
    const untrusted = createSink({ type: 'syslog', host: '127.0.0.1', port, retry: FAST_RETRY }, ctx);
    const err = await failureOf(untrusted.send(makeEvents(1)));
    await untrusted.close();
    expect(err.message).toMatch(/TLS verification failed/);
    expect(ctx.retries).toHaveLength(0);

    const trusted = createSink({ type: 'syslog', host: 'localhost', port, ca_file: 'cert.pem' }, ctx);
    const events = makeEvents(2);
    await trusted.send(events);
    await trusted.close();
    await srv.close();
    expect(srv.messages.map((m) => m.toString('utf8').split(' - ')[1])).toEqual(events.map((e) => e.json));
  });
});
