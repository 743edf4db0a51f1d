// The emulator's HTTP server (on 127.0.0.1 unless a host is given): serves a world (given or generated) through the request
// handler, keeps connections alive as the SDK expects, and stops by closing every socket.
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { generateWorld } from '../generator/generate-world.js';
import type { GeneratorOptions } from '../generator/generator-options.js';
import type { GroundTruth } from '../ground-truth.js';
import type { FaultController } from '../faults.js';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, type EmuWorld } from '../model.js';
import type { EmulatorStats } from '../stats.js';
import type { EmulatorOptions } from './emulator-options.js';
import { EmulatorHandler } from './request-handler.js';
import { createQueue } from '../services/sqs.js';
import type { EmuQueue } from '../sqs/queue.js';

export interface Emulator {
  /** e.g. "http://127.0.0.1:43123" */
  url: string;
  port: number;
  world: EmuWorld;
  truth?: GroundTruth | undefined;
  stats(): EmulatorStats;
  resetStats(): void;
  faults: FaultController;
  /** Creates (or returns) an SQS queue; its URL points at this emulator. */
  createQueue(name: string, options?: EmulatorQueueOptions): { url: string; queue: EmuQueue };
  /** Client connections open now (kept alive between calls): what a client that was closed leaves behind. */
  openConnections(): number;
  stop(): Promise<void>;
}

export interface EmulatorQueueOptions {
  /** Default: the world's default account. */
  accountId?: string;
  visibilityTimeoutSeconds?: number;
  /** Redrive to `<name>-dlq` after this many receives. */
  maxReceiveCount?: number;
}

/** The world generated when neither `world` nor `generator` is given. */
export const DEFAULT_GENERATOR_OPTIONS: GeneratorOptions = {
  seed: 1,
  accounts: 1,
  usersPerAccount: 100,
  groupsPerAccount: 10,
};

function ensureDefaultCredential(world: EmuWorld): void {
  if (!world.credentials.has(DEFAULT_ACCESS_KEY_ID)) {
    world.credentials.set(DEFAULT_ACCESS_KEY_ID, {
      accessKeyId: DEFAULT_ACCESS_KEY_ID,
      secretAccessKey: DEFAULT_SECRET_ACCESS_KEY,
      accountId: world.defaultAccountId,
      arn: `arn:aws:iam::${world.defaultAccountId}:root`,
      userId: world.defaultAccountId,
    });
  }
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const built =
    options.world !== undefined
      ? { world: options.world, truth: options.truth }
      : generateWorld(options.generator ?? DEFAULT_GENERATOR_OPTIONS);
  const world = built.world;
  ensureDefaultCredential(world);
  const handler = new EmulatorHandler(world, options);
  const sockets = new Set<Socket>();
  const host = options.host ?? '127.0.0.1';
  const server: Server = createServer({ keepAlive: true }, (req, res) => {
    handler.handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(err instanceof Error ? err.message : 'internal error');
    });
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.maxConnections = 10_000;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let stopping: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    world,
    truth: built.truth,
    stats: () => handler.stats.snapshot(),
    resetStats: () => handler.stats.reset(),
    faults: handler.faults,
    openConnections: () => sockets.size,
    createQueue: (name, q = {}) => {
      const accountId = q.accountId ?? world.defaultAccountId;
      const deadLetter =
        q.maxReceiveCount === undefined ? undefined : createQueue(world, accountId, `${name}-dlq`);
      const queue = createQueue(world, accountId, name, {
        visibilityTimeoutSeconds: q.visibilityTimeoutSeconds,
        maxReceiveCount: q.maxReceiveCount,
        deadLetter,
      });
      return { url: `http://127.0.0.1:${port}/${accountId}/${name}`, queue };
    },
    stop: () => {
      stopping ??= new Promise<void>((resolve) => {
        handler.changeFeed?.close();
        for (const q of world.queues?.values() ?? []) q.close();
        server.close(() => resolve());
        server.closeIdleConnections();
        for (const s of sockets) s.destroy();
      });
      return stopping;
    },
  };
}
