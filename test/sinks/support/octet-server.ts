// A plain TCP (or TLS) syslog receiver that parses RFC 6587 octet-counted frames.
import net from 'node:net';
import tls from 'node:tls';

export interface OctetServer {
  port: number;
  messages: Buffer[];
  connections: number;
  listen(port?: number): Promise<number>;
  close(): Promise<void>;
}

export function createOctetServer(tlsOptions?: { cert: Buffer; key: Buffer }): OctetServer {
  const messages: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const onSocket = (socket: net.Socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const space = buffer.indexOf(0x20);
        if (space < 0) return;
        const length = Number(buffer.subarray(0, space).toString('ascii'));
        if (!Number.isInteger(length))
          throw new Error(`bad frame length: ${buffer.subarray(0, space).toString()}`);
        if (buffer.length < space + 1 + length) return;
        messages.push(buffer.subarray(space + 1, space + 1 + length));
        buffer = buffer.subarray(space + 1 + length);
      }
    });
  };
  const server = tlsOptions ? tls.createServer(tlsOptions, onSocket) : net.createServer(onSocket);
  const state: OctetServer = {
    port: 0,
    messages,
    connections: 0,
    listen: (port = 0) =>
      new Promise<number>((resolve) =>
        server.listen(port, '127.0.0.1', () => {
          state.port = (server.address() as net.AddressInfo).port;
          resolve(state.port);
        }),
      ),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        if (!server.listening) resolve();
        else server.close(() => resolve());
      }),
  };
  return state;
}

/** A loopback port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
