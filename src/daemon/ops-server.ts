// The operations HTTP server: liveness, readiness and Prometheus metrics for orchestrators and scrapers.
// It serves no data and accepts no input, so it has no authentication; bind it to loopback (the default)
// unless the network around it is trusted (a container's pod network).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../config/errors.js';
import type { ReadinessReport } from './readiness.js';

export interface OpsServerOptions {
  /** "host:port" ("[::1]:9464" for IPv6); port 0 picks a free port. */
  listen: string;
  /** True while the process is alive and its scheduler running. */
  isLive: () => boolean;
  readiness: () => ReadinessReport;
  metrics: () => Promise<string>;
  metricsContentType: string;
}

export interface OpsServer {
  /** The bound address as "host:port" (with the real port when 0 was asked). */
  readonly address: string;
  readonly url: string;
  close(): Promise<void>;
}

/** Splits "host:port", "[v6]:port" or ":port" (all interfaces). */
export function parseListen(listen: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(listen.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || !Number.isInteger(port) || port > 65535) {
    throw new ConfigError(`ops.listen: expected "host:port" (e.g. 127.0.0.1:9464), got "${listen}"`);
  }
  const host = m[1] ?? (m[2] === undefined || m[2] === '' ? '0.0.0.0' : m[2]);
  return { host, port };
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(body)}\n`);
}

export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const { host, port } = parseListen(options.listen);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      sendJson(res, 405, { error: 'method not allowed' });
      return;
    }
    if (path === '/healthz') {
      const live = options.isLive();
      sendJson(res, live ? 200 : 503, { status: live ? 'ok' : 'scheduler stopped' });
    } else if (path === '/readyz') {
      const report = options.readiness();
      sendJson(res, report.ready ? 200 : 503, { status: report.ready ? 'ready' : 'not ready', ...report });
    } else if (path === '/metrics') {
      send(res, 200, options.metricsContentType, await options.metrics());
    } else {
      sendJson(res, 404, { error: 'not found', endpoints: ['/healthz', '/readyz', '/metrics'] });
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: (error as Error).message ?? String(error) });
      else res.destroy();
    });
  });
  // Scrapers keep connections alive; close() must not wait for them.
  server.keepAliveTimeout = 5000;

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void => {
      reject(
        Object.assign(new Error(`ops.listen: cannot listen on ${options.listen}: ${error.message}`), {
          exitCode: 2,
        }),
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });

  const bound = server.address() as AddressInfo;
  const shownHost = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  const address = `${shownHost}:${bound.port}`;
  return {
    address,
    url: `http://${address}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
