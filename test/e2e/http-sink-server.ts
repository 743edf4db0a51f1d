// A real local HTTP endpoint standing in for a SIEM intake: records NDJSON batches, can fail or be slow.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SinkServer {
  url: string;
  /** Every event received (parsed), in arrival order. */
  events: Record<string, unknown>[];
  requests: number;
  /** HTTP status to answer with (200 = accept). */
  status: number;
  /** Delay before answering, ms. */
  delayMs: number;
  /** When set, answer 503 once this many requests have been accepted (an intake that goes down mid-run). */
  acceptLimit?: number;
  /** Called as each request has arrived, before it is answered (with its 1-based number). */
  onRequest?: (request: number) => void;
  close(): Promise<void>;
}

export async function startSinkServer(): Promise<SinkServer> {
  const state: SinkServer = {
    url: '',
    events: [],
    requests: 0,
    status: 200,
    delayMs: 0,
    close: async () => undefined,
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.requests++;
      state.onRequest?.(state.requests);
      const answer = (): void => {
        const accepted = state.requests - 1;
        const status = state.acceptLimit !== undefined && accepted >= state.acceptLimit ? 503 : state.status;
        if (status >= 200 && status < 300) {
          for (const line of Buffer.concat(chunks).toString('utf8').split('\n')) {
            if (line.trim().length > 0) state.events.push(JSON.parse(line) as Record<string, unknown>);
          }
        }
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(status < 300 ? '{"ok":true}' : '{"error":"intake unavailable"}');
      };
      if (state.delayMs > 0) setTimeout(answer, state.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
