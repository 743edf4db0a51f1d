// Syslog over TCP or TLS: RFC 5424 messages framed by octet counting (RFC 6587 section 3.4.1, which RFC 5425
// uses for TLS too), so a message may contain any byte, newlines included, without being split.
//
//   <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA MSG
//
// PRI = facility * 8 + 6 (informational). TIMESTAMP = the OCSF event's `time` (as HEC's `time`), RFC 3339 in
// UTC with milliseconds. MSG = the event JSON in UTF-8 *without* a BOM by default: RFC 5424 allows MSG-ANY,
// and a BOM in front of the JSON breaks JSON parsers on the receiving side; `utf8_bom: true` adds it.
// A message is acknowledged once written and flushed to the socket (the write callback); the receiver has
// no application-level acknowledgement in this protocol.
import net from 'node:net';
import { hostname as osHostname } from 'node:os';
import tls from 'node:tls';
import { SinkDeliveryError } from './delivery-error.js';
import { isLoopbackHost } from './http-transport.js';
import { SYSLOG_FACILITY_NAMES, type SyslogFacility, type SyslogSinkConfig } from '../config/index.js';
import { backoffDelayMs, retryPolicyOf, sleep, type RetryPolicy } from './retry-policy.js';
import {
  transportTime,
  type OutboundEvent,
  type RejectedEvent,
  type SendResult,
  type Sink,
  type SinkContext,
} from './sink.js';
import { readTlsSettings, tlsVerificationFailure, type TlsSettings } from './tls-settings.js';

/** RFC 5424 facility codes by name (a facility's code is its position in the schema's list). */
export const SYSLOG_FACILITIES = Object.fromEntries(
  SYSLOG_FACILITY_NAMES.map((f, code) => [f, code]),
) as Record<SyslogFacility, number>;

const SEVERITY_INFORMATIONAL = 6;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** Frames are handed to the socket in chunks of about this size, each with its own write callback. */
const WRITE_CHUNK_BYTES = 256 * 1024;

/** RFC 5424 header fields are PRINTUSASCII (33..126) with a maximum length; anything else becomes '_'. */
function headerField(value: string, maxLength: number): string {
  const clean = value.replace(/[^\x21-\x7e]/g, '_').slice(0, maxLength);
  return clean === '' ? '-' : clean;
}

function sdName(value: string): string {
  return value.replace(/[^\x21-\x7e]|[= \]"]/g, '_').slice(0, 32);
}

function sdValue(value: string): string {
  return value.replace(/[\\"\]]/g, (c) => `\\${c}`);
}

/** STRUCTURED-DATA from `structured_data: {sd-id: {param: value}}`; "-" when none. */
export function renderStructuredData(data: Record<string, Record<string, string>>): string {
  const elements = Object.entries(data).map(
    ([id, params]) =>
      `[${sdName(id)}${Object.entries(params)
        .map(([k, v]) => ` ${sdName(k)}="${sdValue(v)}"`)
        .join('')}]`,
  );
  return elements.length === 0 ? '-' : elements.join('');
}

export interface SyslogMessageFields {
  facility: number;
  hostname: string;
  appName: string;
  procId: string;
  msgId: string;
  structuredData: string;
  bom: boolean;
}

/** One RFC 5424 message (without framing). */
export function formatSyslogMessage(
  fields: SyslogMessageFields,
  event: OutboundEvent,
  now = Date.now(),
): Buffer {
  const time = transportTime(event, now);
  const header =
    `<${fields.facility * 8 + SEVERITY_INFORMATIONAL}>1 ${new Date(time).toISOString()} ` +
    `${fields.hostname} ${fields.appName} ${fields.procId} ${fields.msgId} ${fields.structuredData} `;
  const parts = [Buffer.from(header, 'ascii')];
  if (fields.bom) parts.push(UTF8_BOM);
  parts.push(Buffer.from(event.json, 'utf8'));
  return Buffer.concat(parts);
}

/** RFC 6587 octet counting: "MSG-LEN SP SYSLOG-MSG". */
export function frameOctetCounted(message: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${message.length} `, 'ascii'), message]);
}

interface SyslogEndpoint {
  host: string;
  port: number;
  protocol: 'tcp' | 'tls';
  tls: TlsSettings;
  timeoutMs: number;
}

class SyslogConnection {
  private socket: net.Socket | undefined;

  constructor(private readonly endpoint: SyslogEndpoint) {}

  async open(): Promise<net.Socket> {
    if (this.socket && !this.socket.destroyed && this.socket.writable) return this.socket;
    this.drop();
    const { host, port, protocol, timeoutMs } = this.endpoint;
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s =
        protocol === 'tls'
          ? tls.connect({
              host,
              port,
              ca: this.endpoint.tls.ca,
              rejectUnauthorized: this.endpoint.tls.rejectUnauthorized,
              servername: net.isIP(host) === 0 ? host : undefined,
            })
          : net.connect({ host, port });
      const timer = setTimeout(() => {
        s.destroy();
        reject(
          Object.assign(new Error(`no connection within timeout_ms ${timeoutMs}`), { code: 'ETIMEDOUT' }),
        );
      }, timeoutMs);
      s.once(protocol === 'tls' ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        s.off('error', reject);
        resolve(s);
      });
      s.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
    // Errors after connecting surface through write callbacks and 'close'; this listener keeps them from
    // becoming uncaught exceptions.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (this.socket === socket) this.socket = undefined;
    });
    socket.setNoDelay(true);
    socket.resume();
    this.socket = socket;
    return socket;
  }

  write(socket: net.Socket, data: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      const onClose = () => reject(new Error('connection closed by the receiver'));
      socket.once('close', onClose);
      socket.write(data, (err) => {
        socket.off('close', onClose);
        if (err) reject(err);
        else resolve();
      });
    });
  }

  drop(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  async close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (!socket || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        socket.destroy();
        resolve();
      }, 2000);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.end();
    });
  }
}

export function createSyslogSink(config: SyslogSinkConfig, ctx: SinkContext, name: string): Sink {
  const fields = messageFields(config);
  const maxMessageBytes = config.max_message_bytes;
  const endpoint = endpointOf(config, ctx, name);
  const connection = new SyslogConnection(endpoint);
  const abort = new AbortController();
  const where = `${endpoint.protocol}://${endpoint.host}:${endpoint.port}`;
  const link: SyslogLink = { name, where, ctx, connection, retry: retryPolicyOf(config.retry), abort };
  let queue: Promise<unknown> = Promise.resolve();

  return {
    name,
    type: 'syslog',
    send(batch: readonly OutboundEvent[]): Promise<SendResult> {
      const run = queue.then(async () => {
        const { frames, rejected } = frameBatch(batch, fields, maxMessageBytes);
        if (frames.length > 0) await deliver(link, frames);
        return { rejected };
      });
      queue = run.catch(() => undefined);
      return run;
    },
    async check(): Promise<string> {
      try {
        await connection.open();
      } catch (err) {
        connection.drop();
        throw new Error(`sink ${name}: cannot connect to ${where}: ${describe(err).reason}`);
      }
      return `connected to ${where}`;
    },
    async close(): Promise<void> {
      // Stop waiting to reconnect first: a send stuck in backoff would otherwise hold close() for minutes.
      abort.abort();
      await queue;
      await connection.close();
    },
  };
}

/** The RFC 5424 header fields and structured data every message of this sink carries. */
function messageFields(config: SyslogSinkConfig): SyslogMessageFields {
  return {
    facility: SYSLOG_FACILITIES[config.facility],
    hostname: headerField(config.hostname ?? osHostname(), 255),
    appName: headerField(config.app_name, 48),
    procId: headerField(String(process.pid), 128),
    msgId: headerField(config.msgid, 32),
    structuredData: renderStructuredData(config.structured_data ?? {}),
    bom: config.utf8_bom,
  };
}

function endpointOf(config: SyslogSinkConfig, ctx: SinkContext, name: string): SyslogEndpoint {
  const { protocol, host } = config;
  const port = config.port ?? (protocol === 'tls' ? 6514 : 514);
  const endpoint: SyslogEndpoint = {
    host,
    port,
    protocol,
    tls: protocol === 'tls' ? readTlsSettings(name, config, ctx) : { rejectUnauthorized: true },
    timeoutMs: config.timeout_ms,
  };
  if (protocol === 'tcp' && !isLoopbackHost(host)) {
    ctx.logger.warn({ sink: name, host }, 'syslog over plain TCP: events cross the network unencrypted');
  }
  return endpoint;
}

/** Octet-counted frames of the messages that fit max_message_bytes; the others are rejected, never truncated. */
function frameBatch(
  batch: readonly OutboundEvent[],
  fields: SyslogMessageFields,
  maxMessageBytes: number,
): { frames: Buffer[]; rejected: RejectedEvent[] } {
  const rejected: RejectedEvent[] = [];
  const frames: Buffer[] = [];
  batch.forEach((event, index) => {
    const message = formatSyslogMessage(fields, event);
    if (message.length > maxMessageBytes) {
      rejected.push({
        index,
        reason: `syslog message is ${message.length} bytes, above max_message_bytes ${maxMessageBytes} (not sent, never truncated)`,
      });
    } else {
      frames.push(frameOctetCounted(message));
    }
  });
  return { frames, rejected };
}

function describe(err: unknown): { reason: string; retryable: boolean } {
  const e = err as NodeJS.ErrnoException;
  const tlsReason = tlsVerificationFailure(err);
  if (tlsReason !== undefined) return { reason: tlsReason, retryable: false };
  return { reason: `${e.code ?? ''} ${e.message}`.trim(), retryable: true };
}

/** What one sink's deliveries share. */
interface SyslogLink {
  name: string;
  /** protocol://host:port, for messages. */
  where: string;
  ctx: SinkContext;
  connection: SyslogConnection;
  retry: RetryPolicy;
  /** Aborted by close(): stops a reconnect backoff. */
  abort: AbortController;
}

/** The end (exclusive) of the next write starting at frame `next`: at least one frame, else up to WRITE_CHUNK_BYTES. */
function chunkEnd(frames: Buffer[], next: number): number {
  let end = next;
  let bytes = 0;
  while (
    end < frames.length &&
    (end === next || bytes + (frames[end] as Buffer).length <= WRITE_CHUNK_BYTES)
  ) {
    bytes += (frames[end] as Buffer).length;
    end++;
  }
  return end;
}

/** Writes every frame, reconnecting with backoff and resending from the first frame not written. */
async function deliver(link: SyslogLink, frames: Buffer[]): Promise<void> {
  const { name, where, ctx, connection, retry, abort } = link;
  let next = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      const socket = await connection.open();
      while (next < frames.length) {
        const end = chunkEnd(frames, next);
        await connection.write(socket, Buffer.concat(frames.slice(next, end)));
        next = end;
      }
      return;
    } catch (err) {
      connection.drop();
      const { reason, retryable } = describe(err);
      if (!retryable || abort.signal.aborted) {
        throw new SinkDeliveryError(`sink ${name}: ${where}: ${reason}`, false);
      }
      if (attempt >= retry.maxAttempts) {
        throw new SinkDeliveryError(
          `sink ${name}: ${where} failed after ${attempt} attempt(s): ${reason}`,
          true,
        );
      }
      const delay = backoffDelayMs(retry, attempt);
      ctx.logger.warn(
        { sink: name, attempt, max_attempts: retry.maxAttempts, delay_ms: delay, reason, resend_from: next },
        'syslog connection failed; reconnecting',
      );
      ctx.onRetry?.(name, 'network');
      try {
        await sleep(delay, abort.signal);
      } catch {
        throw new SinkDeliveryError(`sink ${name}: closed while waiting to reconnect`, true);
      }
    }
  }
}
