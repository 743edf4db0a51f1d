// Shared by the unit tests of the run's parts: a real checkpoint in a temp dir, a small in-test Sink (our own
// interface), and IAM users that differ by name and creation date.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCheckpoint, type Checkpoint } from '../../src/checkpoint/index.js';
import type { IamUser } from '../../src/identity/identity.js';
import { silentLogger } from '../../src/log.js';
import { AckLedger, type AckLedgerDeps } from '../../src/run/ack-ledger.js';
import { ScopeTally } from '../../src/run/scope-summary.js';
import type { OutboundEvent, SendResult, Sink } from '../../src/sinks/sink.js';
import { noGroups } from '../ocsf/identity-fixtures.js';

export const SCOPE = '123456789012';
export const RUN_ID = 'run-1';
export const T0 = Date.UTC(2024, 0, 15, 9, 30, 0);

/** Temp dir for checkpoints; call `remove()` in afterAll. */
export function stateDir(): { checkpoint(): Checkpoint; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'iam-run-parts-'));
  let n = 0;
  return {
    checkpoint: () => openCheckpoint(join(dir, `state-${++n}.db`)),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function user(name: string, createDate: number): IamUser {
  return { ...noGroups, userName: name, arn: `arn:aws:iam::${SCOPE}:user/${name}`, createDate };
}

export function keyOf(name: string): string {
  return `arn:aws:iam::${SCOPE}:user/${name}`;
}

export function outbound(key: string, extra: Record<string, unknown> = {}): OutboundEvent {
  const event = { class_uid: 5003, user: { uid: key }, ...extra };
  return { key, event, json: JSON.stringify(event) };
}

/** Records what it was sent; can refuse keys for good, fail every batch, or hold a batch until released. */
export class RecordingSink implements Sink {
  readonly type = 'recording';
  readonly batches: string[][] = [];
  readonly refuse = new Set<string>();
  failWith: string | undefined;
  inFlight = 0;
  maxInFlight = 0;
  private held: (() => void)[] = [];
  hold = false;

  constructor(readonly name = 'recording') {}

  async send(batch: readonly OutboundEvent[]): Promise<SendResult> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.hold) await new Promise<void>((resolve) => this.held.push(resolve));
      else await new Promise((resolve) => setImmediate(resolve));
      if (this.failWith !== undefined) throw new Error(this.failWith);
      this.batches.push(batch.map((e) => e.key));
      return {
        rejected: batch.flatMap((e, index) =>
          this.refuse.has(e.key) ? [{ index, reason: 'too large' }] : [],
        ),
      };
    } finally {
      this.inFlight--;
    }
  }

  /** Lets every held batch go on. */
  release(): void {
    this.hold = false;
    for (const resolve of this.held.splice(0)) resolve();
  }

  async check(): Promise<string> {
    return 'recording sink';
  }

  async close(): Promise<void> {}
}

export function ledgerFor(
  checkpoint: Checkpoint,
  sinks: Sink[],
  options: Partial<AckLedgerDeps> = {},
): { ledger: AckLedger; tally: ScopeTally } {
  const tally = options.tally ?? new ScopeTally(SCOPE, SCOPE);
  const ledger = new AckLedger({
    scope: SCOPE,
    runId: RUN_ID,
    checkpoint,
    sinks,
    batchMaxEvents: 2,
    batchMaxBytes: 1_000_000,
    log: silentLogger(),
    ...options,
    tally,
  });
  return { ledger, tally };
}
