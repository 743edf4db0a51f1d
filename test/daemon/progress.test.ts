import { describe, expect, it } from '@jest/globals';
import { PassThrough, Writable } from 'node:stream';
import { pino } from 'pino';
import { createProgress } from '../../src/run/progress.js';

function captureLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe('progress', () => {
  it('logs scope, done and total periodically without a TTY, and stops', async () => {
    const { logger, lines } = captureLogger();
    const p = createProgress({ tty: false, logger, intervalMs: 20 });
    p.scopeStarted('111111111111', 40);
    p.scopeStarted('identity-center:d-1', undefined);
    p.scopeAdvanced('111111111111', 17);
    p.scopeAdvanced('identity-center:d-1', 5);
    while (lines.length < 2) await new Promise((r) => setTimeout(r, 10));
    p.stop();
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'progress', scope: '111111111111', done: 17, total: 40 }),
    );
    const ic = lines.find((l) => l.scope === 'identity-center:d-1');
    expect(ic).toMatchObject({ done: 5 });
    expect(ic).not.toHaveProperty('total');
  });

  it('draws bars on a terminal stream', () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => (text += d.toString()));
    Object.assign(out, {
      isTTY: true,
      columns: 120,
      cursorTo: () => true,
      clearLine: () => true,
      moveCursor: () => true,
    });
    const { logger } = captureLogger();
    const p = createProgress({ tty: true, logger, stream: out });
    p.scopeStarted('111111111111', 10);
    p.scopeStarted('222222222222', undefined);
    p.scopeAdvanced('111111111111', 4);
    p.scopeAdvanced('222222222222', 7);
    p.scopeAdvanced('111111111111', 12); // an estimate that grew
    p.scopeFinished('111111111111');
    p.scopeFinished('222222222222');
    p.stop();
    expect(text).toContain('111111111111');
    expect(text).toContain('12/12');
    expect(text).toContain('222222222222');
  });
});
