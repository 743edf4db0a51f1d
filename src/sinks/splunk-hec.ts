// Splunk HTTP Event Collector. Each request is a concatenation of HEC envelopes; with `ack: true` the batch
// counts as delivered only once the indexers confirmed every ackId (indexer acknowledgement), so a HEC
// that accepted a request and then lost it before indexing does not become a silent gap.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { SplunkHecSinkConfig } from '../config/config.js';
import { batchLimitsOf, splitBatch } from './batcher.js';
import { SinkDeliveryError } from './delivery-error.js';
import {
  HttpTransport,
  defaultVerdict,
  displayUrl,
  type HttpResponse,
  type ResponseVerdict,
} from './http-transport.js';
import { transportTime, type OutboundEvent, type SendResult, type Sink, type SinkContext } from './sink.js';

/** HEC error code 9: "Server is busy" — Splunk's way of saying "slow down", whatever the HTTP status. */
const HEC_SERVER_BUSY = 9;

interface HecAnswer {
  text?: string;
  code?: number;
  ackId?: number;
  acks?: Record<string, boolean>;
}

function parseAnswer(response: HttpResponse): HecAnswer | undefined {
  try {
    const parsed: unknown = JSON.parse(response.body.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as HecAnswer) : undefined;
  } catch {
    return undefined;
  }
}

function hecVerdict(response: HttpResponse): ResponseVerdict {
  if (parseAnswer(response)?.code === HEC_SERVER_BUSY && response.status >= 400) return 'retry';
  return defaultVerdict(response);
}

/** Seconds since the epoch with millisecond precision, as HEC's `time` expects. */
export const hecTime = (ms: number): number => Math.round(ms) / 1000;

export function createSplunkHecSink(config: SplunkHecSinkConfig, ctx: SinkContext, name: string): Sink {
  const { token, ack } = config;
  const limits = batchLimitsOf(config.batch);
  const transport = HttpTransport.forSink(
    config,
    { sinkName: name, urlKey: 'url', url: config.url, secrets: [token] },
    ctx,
  );
  // One channel per sink instance: Splunk scopes ack ids to a channel.
  const channel = randomUUID();
  const headers: Record<string, string> = { Authorization: `Splunk ${token}` };
  if (ack) headers['X-Splunk-Request-Channel'] = channel;
  const hec: Hec = { name, config, transport, headers };
  const encode = envelopeEncoder(config);

  return {
    name,
    type: 'splunk_hec',
    async send(batch: readonly OutboundEvent[]): Promise<SendResult> {
      const encoded = batch.map(encode);
      const ackIds: number[] = [];
      for (const chunk of splitBatch(encoded, (s) => Buffer.byteLength(s, 'utf8') + 1, limits)) {
        const ackId = await postEvents(hec, chunk);
        if (ackId !== undefined) ackIds.push(ackId);
      }
      if (ack && ackIds.length > 0) await waitForAcks(hec, ackIds);
      return { rejected: [] };
    },
    async check(): Promise<string> {
      const res = await transport.request({
        method: 'GET',
        path: '/services/collector/health',
        headers,
        once: true,
      });
      const text = parseAnswer(res)?.text ?? `HTTP ${res.status}`;
      return `${displayUrl(transport.config.baseUrl)}: ${text}`;
    },
    async close(): Promise<void> {
      transport.close();
    },
  };
}

/** What one sink's HEC requests share. */
interface Hec {
  name: string;
  config: SplunkHecSinkConfig;
  transport: HttpTransport;
  headers: Record<string, string>;
}

/** An event in its HEC envelope (time, host, source, sourcetype, index), the event JSON spliced in as is. */
function envelopeEncoder(config: SplunkHecSinkConfig): (e: OutboundEvent) => string {
  const envelope = {
    host: config.host ?? hostname(),
    source: config.source,
    sourcetype: config.sourcetype,
    index: config.index,
  };
  return (e) => {
    const head = JSON.stringify({
      time: hecTime(transportTime(e)),
      host: envelope.host,
      source: envelope.source,
      sourcetype: envelope.sourcetype,
      ...(envelope.index !== undefined ? { index: envelope.index } : {}),
    });
    return `${head.slice(0, -1)},"event":${e.json}}`;
  };
}

function fail(hec: Hec, message: string, retryable: boolean): never {
  throw new SinkDeliveryError(hec.transport.mask(`sink ${hec.name}: ${message}`), retryable);
}

/** One request of envelopes; with ack on, the ackId HEC returned for it. */
async function postEvents(hec: Hec, chunk: string[]): Promise<number | undefined> {
  const res = await hec.transport.request({
    method: 'POST',
    path: '/services/collector/event',
    headers: { ...hec.headers, 'Content-Type': 'application/json' },
    body: chunk.join('\n'),
    classify: hecVerdict,
  });
  if (!hec.config.ack) return undefined;
  const ackId = parseAnswer(res)?.ackId;
  if (typeof ackId !== 'number') {
    fail(hec, 'HEC returned no ackId: is indexer acknowledgement enabled for this token?', false);
  }
  return ackId as number;
}

async function waitForAcks(hec: Hec, ackIds: number[]): Promise<void> {
  const { transport } = hec;
  const { ack_timeout_ms: ackTimeoutMs, ack_poll_interval_ms: ackPollIntervalMs } = hec.config;
  const pending = new Set(ackIds);
  const deadline = Date.now() + ackTimeoutMs;
  for (;;) {
    const res = await transport.request({
      method: 'POST',
      path: '/services/collector/ack',
      headers: { ...hec.headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({ acks: [...pending] }),
      compress: false,
      classify: hecVerdict,
    });
    const acks = parseAnswer(res)?.acks;
    if (acks === undefined) fail(hec, `unexpected ack answer: ${transport.excerpt(res.body)}`, true);
    for (const id of [...pending]) if (acks?.[String(id)] === true) pending.delete(id);
    if (pending.size === 0) return;
    const left = deadline - Date.now();
    if (left <= 0) {
      fail(
        hec,
        `${pending.size} of ${ackIds.length} indexer acknowledgements still pending after ack_timeout_ms ` +
          `${ackTimeoutMs}; the batch counts as not delivered`,
        true,
      );
    }
    await transport.sleep(Math.min(ackPollIntervalMs, left));
  }
}
