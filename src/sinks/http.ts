// Generic HTTP sink: POSTs NDJSON (default) or a JSON array to `url`; any 2xx acknowledges the request.
import type { HttpSinkConfig } from '../config/config.js';
import { batchLimitsOf, splitBatch } from './batcher.js';
import { HttpTransport, displayUrl } from './http-transport.js';
import type { OutboundEvent, SendResult, Sink, SinkContext } from './sink.js';

export function createHttpSink(config: HttpSinkConfig, ctx: SinkContext, name: string): Sink {
  const headers = config.headers ?? {};
  const format = config.format;
  const limits = batchLimitsOf(config.batch);
  const transport = HttpTransport.forSink(
    config,
    { sinkName: name, urlKey: 'url', url: config.url, secrets: Object.values(headers) },
    ctx,
  );
  const contentType = format === 'ndjson' ? 'application/x-ndjson' : 'application/json';
  return {
    name,
    type: 'http',
    async send(batch: readonly OutboundEvent[]): Promise<SendResult> {
      const sized = batch.map((e) => ({ json: e.json, bytes: Buffer.byteLength(e.json, 'utf8') + 1 }));
      for (const chunk of splitBatch(sized, (e) => e.bytes, limits, format === 'json_array' ? 2 : 0)) {
        const body =
          format === 'ndjson'
            ? chunk.map((e) => e.json).join('\n') + '\n'
            : '[' + chunk.map((e) => e.json).join(',') + ']';
        await transport.request({
          method: 'POST',
          path: '',
          headers: { 'Content-Type': contentType, ...headers },
          body,
        });
      }
      return { rejected: [] };
    },
    async check(): Promise<string> {
      // Any HTTP answer proves the endpoint is reachable over a verified connection; a POST would send data.
      const res = await transport.request({
        method: 'GET',
        path: '',
        headers,
        once: true,
        classify: () => 'ok',
      });
      return `${displayUrl(transport.config.baseUrl)} reachable (GET answered HTTP ${res.status})`;
    },
    async close(): Promise<void> {
      transport.close();
    },
  };
}
