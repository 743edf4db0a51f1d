// A real HTTP(S) server on 127.0.0.1 that records every request (body gunzipped when the client sent gzip)
// and answers with whatever the test's responder returns.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface CapturedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  /** Body as sent on the wire. */
  raw: Buffer;
  /** Body after gunzip when Content-Encoding is gzip. */
  body: string;
  at: number;
}

export interface CannedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Never answer (to exercise timeouts). */
  hang?: boolean;
}

export type Responder = (req: CapturedRequest, index: number) => CannedResponse;

export interface CaptureServer {
  url: string;
  port: number;
  requests: CapturedRequest[];
  close(): Promise<void>;
}

export async function startCaptureServer(
  responder: Responder,
  tls?: { cert: Buffer; key: Buffer },
): Promise<CaptureServer> {
  const requests: CapturedRequest[] = [];
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body =
        req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
      const captured: CapturedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        raw,
        body,
        at: Date.now(),
      };
      requests.push(captured);
      const answer = responder(captured, requests.length - 1);
      if (answer.hang) return;
      res.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers });
      res.end(answer.body ?? '');
    });
  };
  const server = tls
    ? https.createServer({ cert: tls.cert, key: tls.key }, handler)
    : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
