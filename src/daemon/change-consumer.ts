// The change-feed consumer: long-polls the queue, gathers a burst for changes.coalesce_ms, applies it
// (src/run/change-burst.ts) and deletes only the messages whose events were all acknowledged. The daemon
// runs it beside its schedules; `changes --once` drains the queue once and stops.
import type { Checkpoint } from '../checkpoint/index.js';
import {
  ChangeQueue,
  openSources,
  type AccountHandle,
  type IdentitySource,
  type QueueMessage,
} from '../collector/index.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../log.js';
import { createEventPreparer, type EventPreparer } from '../ocsf/event-preparer.js';
import { applyChangeBurst, type ChangeBurstResult } from '../run/change-burst.js';
import type { Sink } from '../sinks/sink.js';
import type { ChangeMetrics } from './change-metrics.js';
import type { ReadinessReport } from './readiness.js';

export interface ChangeConsumerDeps {
  checkpoint: Checkpoint;
  sinks: readonly Sink[];
  logger: Logger;
  metrics?: ChangeMetrics | undefined;
}

/** Most messages one burst holds: bounds the memory and the time before the first acknowledgement. */
const MAX_BURST_MESSAGES = 100;
const COALESCE_PAUSE_MS = 50;

export interface DrainSummary {
  received: number;
  applied: number;
  ignored: number;
  malformed: number;
  kept: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class ChangeConsumer {
  /** When the last ReceiveMessage answered (epoch ms); /readyz reports a consumer that stopped polling. */
  lastPollAt: number | undefined;
  private readonly queue: ChangeQueue;
  private readonly malformedSeen = new Set<string>();
  private opened:
    { sources: IdentitySource[]; handles: AccountHandle[]; unavailable: Set<string> } | undefined;
  private readonly preparer: EventPreparer;

  constructor(
    private readonly config: Config,
    private readonly deps: ChangeConsumerDeps,
  ) {
    this.queue = new ChangeQueue(config);
    this.preparer = createEventPreparer(config.ocsf, config.risk);
  }

  /** One burst: waits up to `waitSeconds` for a first message, then gathers for coalesce_ms. */
  async burst(
    waitSeconds: number,
    signal?: AbortSignal,
    seen?: Set<string>,
  ): Promise<ChangeBurstResult | undefined> {
    const messages = await this.receive(waitSeconds, signal);
    if (messages.length === 0 || (seen !== undefined && messages.every((m) => seen.has(m.messageId)))) {
      return undefined;
    }
    for (const m of messages) seen?.add(m.messageId);
    const started = Date.now();
    while (Date.now() - started < this.config.changes.coalesce_ms && messages.length < MAX_BURST_MESSAGES) {
      const more = await this.receive(0, signal);
      if (more.length === 0) await sleep(Math.min(COALESCE_PAUSE_MS, this.config.changes.coalesce_ms));
      messages.push(...more);
    }
    const result = await this.apply(messages, signal);
    const failed = await this.queue.delete(result.done.map((d) => d.message));
    if (failed.length > 0)
      this.deps.logger.warn({ messages: failed }, 'SQS did not delete some messages; they will come back');
    this.deps.metrics?.burst(result, Date.now());
    this.deps.logger.info(
      {
        received: result.received,
        applied: result.applied,
        ignored: result.ignored,
        malformed: result.malformed,
        kept: result.kept.length,
      },
      'change burst',
    );
    return result;
  }

  /**
   * Until a receive finds nothing new: a message kept for a retry (or malformed) comes back after its
   * visibility timeout, and draining stops rather than apply it again in the same pass.
   */
  async drain(signal?: AbortSignal): Promise<DrainSummary> {
    const total: DrainSummary = { received: 0, applied: 0, ignored: 0, malformed: 0, kept: 0 };
    const seen = new Set<string>();
    for (;;) {
      const r = await this.burst(1, signal, seen);
      if (r === undefined || signal?.aborted === true) return total;
      total.received += r.received;
      total.applied += r.applied;
      total.ignored += Object.values(r.ignored).reduce((a, b) => a + b, 0);
      total.malformed += r.malformed;
      total.kept += r.kept.length - r.malformed;
    }
  }

  /** Long-polls until the signal aborts; a failed burst is logged and the messages come back. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.burst(this.config.changes.wait_seconds, signal);
        const depth = await this.queue.depth();
        this.deps.metrics?.depth(depth.visible, depth.inFlight);
      } catch (error) {
        if (signal.aborted) break;
        this.deps.logger.error(
          { err: error instanceof Error ? error.message : String(error) },
          'change consumer: poll failed',
        );
        await sleep(1000);
      }
    }
  }

  close(): void {
    for (const h of this.opened?.handles ?? []) h.iam.destroy();
    this.queue.close();
  }

  private async open(): Promise<{
    sources: IdentitySource[];
    handles: AccountHandle[];
    unavailable: Set<string>;
  }> {
    const o = await openSources(this.config, { logger: this.deps.logger });
    for (const f of o.failures)
      this.deps.logger.error({ scope: f.scope, err: f.error }, 'change consumer: scope could not be opened');
    return {
      sources: o.sources,
      handles: o.handles,
      unavailable: new Set(o.failures.map((f) => f.accountId)),
    };
  }

  private async receive(waitSeconds: number, signal?: AbortSignal): Promise<QueueMessage[]> {
    const got = await this.queue.receive(waitSeconds, signal);
    this.lastPollAt = Date.now();
    return got;
  }

  private async apply(messages: QueueMessage[], signal?: AbortSignal): Promise<ChangeBurstResult> {
    // Accounts are opened once (credentials refresh themselves): a change costs only its reads.
    const opened = (this.opened ??= await this.open());
    // An account that failed to open is tried again at the next burst; its messages wait on the queue.
    if (opened.unavailable.size > 0) this.opened = undefined;
    return applyChangeBurst(messages, {
      config: this.config,
      checkpoint: this.deps.checkpoint,
      sinks: this.deps.sinks,
      preparer: this.preparer,
      logger: this.deps.logger,
      signal,
      sources: opened.sources,
      unavailableAccounts: opened.unavailable,
      includeRoles: this.config.collector.include_roles,
      malformedSeen: this.malformedSeen,
    });
  }
}

/**
 * /readyz with the consumer: not ready when it has not polled for three long-poll waits plus a minute
 * (a poll that hangs, credentials that stopped working, a loop that died).
 */
export function withConsumerReadiness(
  report: ReadinessReport,
  consumer: ChangeConsumer,
  waitSeconds: number,
  startedAt: number,
  now = Date.now(),
): ReadinessReport {
  const limitMs = (3 * waitSeconds + 60) * 1000;
  const last = consumer.lastPollAt ?? startedAt;
  if (now - last <= limitMs) return report;
  const stale = `change consumer has not polled for ${Math.round((now - last) / 1000)} s`;
  return {
    ...report,
    ready: false,
    reason: report.reason === undefined ? stale : `${report.reason}; ${stale}`,
  };
}
