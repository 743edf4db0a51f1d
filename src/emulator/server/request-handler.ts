// Every HTTP request the emulator receives: the unsigned admin API under /_emulator/, or a signed AWS call.
// Holds what both share: the world, the call counters and the fault rules.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleAdminRequest } from '../admin.js';
import { FaultController } from '../faults.js';
import type { EmuWorld } from '../model.js';
import type { HttpReply } from '../protocols/service-endpoint.js';
import { StatsRecorder } from '../stats.js';
import type { EmulatorOptions } from './emulator-options.js';
import { SignedCalls } from './signed-calls.js';
import { createQueue } from '../services/sqs.js';
import { ChangeFeed } from '../sqs/change-feed.js';

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export class EmulatorHandler {
  readonly stats = new StatsRecorder();
  readonly faults = new FaultController();
  readonly changeFeed: ChangeFeed | undefined;
  private readonly signedCalls: SignedCalls;

  constructor(
    readonly world: EmuWorld,
    options: EmulatorOptions,
  ) {
    this.signedCalls = new SignedCalls(world, options, this.stats, this.faults);
    const feed = options.changeFeed;
    if (feed !== undefined) {
      const queue = createQueue(world, feed.accountId ?? world.defaultAccountId, feed.queueName);
      this.changeFeed = new ChangeFeed(queue, feed.delayMs ?? 0);
    }
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = req.url ?? '/';
    if (url.startsWith('/_emulator/') || url === '/_emulator') {
      const reply = await handleAdminRequest(req.method ?? 'GET', url, body, this);
      this.send(res, reply);
      return;
    }
    const method = req.method ?? 'POST';
    this.send(res, await this.signedCalls.answer({ method, url, headers: req.headers, body }));
  }

  private send(res: ServerResponse, reply: HttpReply): void {
    if (reply.reset === true) {
      // As a proxy or load balancer dropping the connection: the client sees ECONNRESET, no answer.
      res.socket?.resetAndDestroy();
      return;
    }
    const payload = typeof reply.body === 'string' ? Buffer.from(reply.body, 'utf8') : reply.body;
    // A HEAD answer states the length of the body it does not send.
    res.writeHead(reply.status, { 'content-length': String(payload.length), ...reply.headers });
    res.end(payload);
  }
}
