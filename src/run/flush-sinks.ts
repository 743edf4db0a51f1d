// Sinks that acknowledge into a disk buffer (object stores) write it out before the process ends: a
// one-shot run after its collection, the daemon when it stops. What could not be written stays buffered and
// is reported, so the exit code says whether the upload succeeded.
import type { Logger } from '../log.js';
import type { Sink } from '../sinks/sink.js';

/** Flushes every sink that buffers; returns one error line per sink that failed. */
export async function flushSinks(sinks: readonly Sink[], logger: Logger): Promise<string[]> {
  const errors: string[] = [];
  await Promise.all(
    sinks.map(async (sink) => {
      if (sink.flush === undefined) return;
      try {
        await sink.flush();
      } catch (err) {
        const message = `sink ${sink.name}: buffered events not written (kept for the next flush): ${
          err instanceof Error ? err.message : String(err)
        }`;
        logger.error({ sink: sink.name, err: message }, 'flush failed');
        errors.push(message);
      }
    }),
  );
  return errors;
}
