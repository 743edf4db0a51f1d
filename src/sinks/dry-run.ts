// `dry_run: true`: the sink is built (so its config is checked) but never contacted; each batch is logged
// with what would have been sent and acknowledged as if delivered.
import type { OutboundEvent, SendResult, Sink, SinkContext } from './sink.js';

export function dryRunSink(inner: Sink, ctx: SinkContext): Sink {
  return {
    name: inner.name,
    type: inner.type,
    async send(batch: readonly OutboundEvent[]): Promise<SendResult> {
      const bytes = batch.reduce((sum, e) => sum + Buffer.byteLength(e.json, 'utf8'), 0);
      ctx.logger.info(
        { sink: inner.name, type: inner.type, count: batch.length, bytes, first_key: batch[0]?.key },
        'dry run: would send batch',
      );
      return { rejected: [] };
    },
    async check(): Promise<string> {
      return 'dry run: the destination is not contacted';
    },
    close(): Promise<void> {
      return inner.close();
    },
  };
}
