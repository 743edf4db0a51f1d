// NDJSON on standard output (or the stream injected through the context): one event per line.
import type { StdoutSinkConfig } from '../config/config.js';
import type { OutboundEvent, SendResult, Sink, SinkContext } from './sink.js';

export function createStdoutSink(_config: StdoutSinkConfig, ctx: SinkContext, name: string): Sink {
  const stream = ctx.stdout ?? process.stdout;
  return {
    name,
    type: 'stdout',
    async send(batch: readonly OutboundEvent[]): Promise<SendResult> {
      if (batch.length === 0) return { rejected: [] };
      const text = batch.map((e) => e.json).join('\n') + '\n';
      await new Promise<void>((resolve, reject) => {
        stream.write(text, (err) =>
          err ? reject(new Error(`sink ${name}: write to stdout failed: ${err.message}`)) : resolve(),
        );
      });
      return { rejected: [] };
    },
    async check(): Promise<string> {
      return 'writes NDJSON to standard output';
    },
    async close(): Promise<void> {},
  };
}
