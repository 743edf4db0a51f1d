// Sekoia.io intake: POST <intake_url>/batch with {"intake_key", "jsons": [<each event as a JSON string>]}.
// Hard limits: 9 MiB per request (measured on the encoded body) and 250 kB (250,000 bytes of UTF-8 JSON) per
// event. A larger event is returned as rejected with that reason: truncating it would corrupt the JSON.
import type { SekoiaSinkConfig } from '../config/config.js';
import { batchLimitsOf, splitBatch } from './batcher.js';
import { HttpTransport, displayUrl } from './http-transport.js';
import type { OutboundEvent, RejectedEvent, SendResult, Sink, SinkContext } from './sink.js';

export { SEKOIA_MAX_REQUEST_BYTES } from '../config/index.js';
export const SEKOIA_MAX_EVENT_BYTES = 250_000;

export function createSekoiaSink(config: SekoiaSinkConfig, ctx: SinkContext, name: string): Sink {
  const intakeKey = config.intake_key;
  const limits = batchLimitsOf(config.batch);
  const transport = HttpTransport.forSink(
    config,
    { sinkName: name, urlKey: 'intake_url', url: config.intake_url, secrets: [intakeKey] },
    ctx,
  );
  const head = `{"intake_key":${JSON.stringify(intakeKey)},"jsons":[`;
  const overhead = Buffer.byteLength(head, 'utf8') + 2;

  return {
    name,
    type: 'sekoia',
    async send(batch: readonly OutboundEvent[]): Promise<SendResult> {
      const rejected: RejectedEvent[] = [];
      const accepted: { encoded: string; bytes: number }[] = [];
      batch.forEach((e, index) => {
        const eventBytes = Buffer.byteLength(e.json, 'utf8');
        if (eventBytes > SEKOIA_MAX_EVENT_BYTES) {
          rejected.push({
            index,
            reason: `event is ${eventBytes} bytes, above the Sekoia intake limit of ${SEKOIA_MAX_EVENT_BYTES} bytes per event (not sent, never truncated)`,
          });
          return;
        }
        const encoded = JSON.stringify(e.json);
        accepted.push({ encoded, bytes: Buffer.byteLength(encoded, 'utf8') + 1 });
      });
      for (const chunk of splitBatch(accepted, (e) => e.bytes, limits, overhead)) {
        await transport.request({
          method: 'POST',
          path: '/batch',
          headers: { 'Content-Type': 'application/json' },
          body: head + chunk.map((e) => e.encoded).join(',') + ']}',
        });
      }
      if (rejected.length > 0) {
        ctx.logger.warn(
          { sink: name, rejected: rejected.length },
          'events above the Sekoia per-event size limit',
        );
      }
      return { rejected };
    },
    async check(): Promise<string> {
      // The intake has no authenticated health endpoint; a verified TLS connection and any answer is the check.
      const res = await transport.request({ method: 'GET', path: '/', once: true, classify: () => 'ok' });
      return `${displayUrl(transport.config.baseUrl)} reachable (HTTP ${res.status})`;
    },
    async close(): Promise<void> {
      transport.close();
    },
  };
}
