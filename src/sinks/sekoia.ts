// Sekoia.io intake: POST <intake_url>/batch with {"intake_key", "jsons": [<each event as a JSON string>]}.
// Hard limits: 9 MiB per request (measured on the encoded body) and 250 kB (250,000 bytes of UTF-8 JSON) per
// event. A larger event is returned as rejected with that reason: truncating it would corrupt the JSON.
import { readBatchLimits, splitBatch } from './batcher.js';
import { HttpTransport, displayUrl, readHttpTransportConfig } from './http-transport.js';
import type { OutboundEvent, RejectedEvent, SendResult, Sink, SinkConfigBase, SinkContext } from './sink.js';
import { SinkOptions } from './sink-options.js';

export const SEKOIA_MAX_REQUEST_BYTES = 9 * 1024 * 1024;
export const SEKOIA_MAX_EVENT_BYTES = 250_000;

export function createSekoiaSink(config: SinkConfigBase, ctx: SinkContext, name: string): Sink {
  const options = SinkOptions.of(config, name);
  const intakeKey = options.requiredString('intake_key');
  const limits = readBatchLimits(
    options,
    { maxEvents: 5000, maxBytes: SEKOIA_MAX_REQUEST_BYTES },
    SEKOIA_MAX_REQUEST_BYTES,
  );
  const transport = new HttpTransport(
    readHttpTransportConfig(options, ctx, 'intake_url', [intakeKey], 'https://intake.sekoia.io'),
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
