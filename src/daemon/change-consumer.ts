// The change-feed consumer: long-polls the queue, gathers a burst (see keepGathering), applies it
// (src/run/change-burst.ts) and deletes only the messages whose events were all acknowledged. The daemon
// runs it beside its schedules; `changes --once` drains the queue once and stops.
import type { Checkpoint } from '../checkpoint/index.js';
import {
  ChangeQueue,
  openSources,
  type IdentitySource,
  type OpenedSources,
  type QueueMessage,
  type Shard,
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
  /** The daemon's `--shard K/N`: only its scopes' changes are applied; the others stay on the queue. */
  shard?: Shard | undefined;
}

/** Most messages one burst holds: bounds the memory and the time before the first acknowledgement. */
const MAX_BURST_MESSAGES = 100;
/** The first retry of a message whose apply failed; each later one waits twice as long. */
const RETRY_BASE_SECONDS = 5;

/**
 * Whether a burst waits for more messages. Coalescing starts at the first message and lasts at most
 * changes.coalesce_ms, but ends as soon as a receive comes back with fewer than max_messages: the queue is
 * drained, so waiting out the window would only add its length to every change's lag. A real burst (a
 * script, a Terraform apply) keeps receives full and is still coalesced, each identity read once; a change
 * that lands just after a flush costs one more read of its identities, and the fingerprint keeps it silent
 * when nothing changed.
 */
export function keepGathering(s: {
  lastReceived: number;
  maxMessages: number;
  held: number;
  elapsedMs: number;
  coalesceMs: number;
}): boolean {
  return s.lastReceived >= s.maxMessages && s.elapsedMs < s.coalesceMs && s.held < MAX_BURST_MESSAGES;
}

/**
 * The visibility timeout of a message whose apply failed (a read, a sink): 5 s, 10 s, 20 s ... up to
 * changes.visibility_timeout_seconds, so a passing failure is retried in seconds rather than minutes while a
 * long outage is not polled in a hot loop (the redrive policy counts receives: deploy/aws sets 10).
 */
export function retryVisibilitySeconds(receiveCount: number, visibilityTimeoutSeconds: number): number {
  const exponent = Math.min(Math.max(receiveCount, 1) - 1, 16);
  return Math.min(visibilityTimeoutSeconds, RETRY_BASE_SECONDS * 2 ** exponent);
}

export interface DrainSummary {
  received: number;
  applied: number;
  ignored: number;
  malformed: number;
  kept: number;
}

interface OpenedScopes {
  sources: IdentitySource[];
  /** Destroys the opening's SDK clients. */
  close: () => void;
  unavailable: Set<string>;
  identityCenterUnavailable: boolean;
  elsewhere: OpenedSources['elsewhere'];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class ChangeConsumer {
  /** When the last ReceiveMessage answered (epoch ms); /readyz reports a consumer that stopped polling. */
  lastPollAt: number | undefined;
  private readonly queue: ChangeQueue;
  private readonly malformedSeen = new Set<string>();
  private readonly elsewhereSeen = new Set<string>();
  private opened: OpenedScopes | undefined;
  private readonly preparer: EventPreparer;

  constructor(
    private readonly config: Config,
    private readonly deps: ChangeConsumerDeps,
  ) {
    this.queue = new ChangeQueue(config);
    this.preparer = createEventPreparer(config.ocsf, config.risk);
  }

  /** One burst: waits up to `waitSeconds` for a first message, then gathers more (see keepGathering). */
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
    await this.gather(messages, signal);
    const result = await this.keptHidden(messages, () => this.apply(messages, signal));
    const failed = await this.queue.delete(result.done.map((d) => d.message));
    if (failed.length > 0)
      this.deps.logger.warn({ messages: failed }, 'SQS did not delete some messages; they will come back');
    this.deps.metrics?.burst(result, Date.now());
    await this.backOff(result.retry);
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
    this.opened?.close();
    this.queue.close();
  }

  private async open(): Promise<OpenedScopes> {
    const o = await openSources(this.config, {
      logger: this.deps.logger,
      ...(this.deps.shard !== undefined ? { shard: this.deps.shard } : {}),
    });
    for (const f of o.failures)
      this.deps.logger.error({ scope: f.scope, err: f.error }, 'change consumer: scope could not be opened');
    return {
      sources: o.sources,
      close: o.close,
      // The store's failure is recorded under its host account, whose own IAM may have opened fine.
      unavailable: new Set(o.failures.filter((f) => f !== o.identityCenterFailure).map((f) => f.accountId)),
      identityCenterUnavailable: o.identityCenterFailure !== undefined,
      elsewhere: o.elsewhere,
    };
  }

  /** Adds to `messages` while keepGathering says so. */
  private async gather(messages: QueueMessage[], signal?: AbortSignal): Promise<void> {
    const started = Date.now();
    let lastReceived = messages.length;
    const { max_messages: maxMessages, coalesce_ms: coalesceMs } = this.config.changes;
    while (
      keepGathering({
        lastReceived,
        maxMessages,
        held: messages.length,
        elapsedMs: Date.now() - started,
        coalesceMs,
      })
    ) {
      const more = await this.receive(0, signal);
      messages.push(...more);
      lastReceived = more.length;
    }
  }

  /**
   * Runs `work` while the messages stay hidden: past half the visibility timeout their visibility is extended,
   * so a long apply (a policy with many holders, a slow sink) is not handed out again meanwhile.
   */
  private async keptHidden<T>(messages: readonly QueueMessage[], work: () => Promise<T>): Promise<T> {
    const seconds = this.config.changes.visibility_timeout_seconds;
    const extend = (): void => {
      this.queue
        .changeVisibility(messages.map((message) => ({ message, seconds })))
        .catch((error: unknown) =>
          this.deps.logger.warn(
            { err: error instanceof Error ? error.message : String(error) },
            'change consumer: could not extend the visibility of a burst being applied',
          ),
        );
    };
    const timer = setInterval(extend, seconds * 500);
    try {
      return await work();
    } finally {
      clearInterval(timer);
    }
  }

  /** A failed message comes back after its backoff instead of the whole visibility timeout. */
  private async backOff(retry: readonly QueueMessage[]): Promise<void> {
    if (retry.length === 0) return;
    const timeout = this.config.changes.visibility_timeout_seconds;
    const entries = retry.map((message) => ({
      message,
      seconds: retryVisibilitySeconds(message.receiveCount, timeout),
    }));
    try {
      await this.queue.changeVisibility(entries);
    } catch (error) {
      // The message then comes back after the visibility timeout: later, never lost.
      this.deps.logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'change consumer: could not shorten the visibility of a failed change',
      );
    }
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
    // The clients of this opening are then closed once the burst is done with them.
    if (opened.unavailable.size > 0 || opened.identityCenterUnavailable) this.opened = undefined;
    try {
      return await this.applyWith(opened, messages, signal);
    } finally {
      if (this.opened !== opened) opened.close();
    }
  }

  private applyWith(
    opened: OpenedScopes,
    messages: QueueMessage[],
    signal: AbortSignal | undefined,
  ): Promise<ChangeBurstResult> {
    return applyChangeBurst(messages, {
      config: this.config,
      checkpoint: this.deps.checkpoint,
      sinks: this.deps.sinks,
      preparer: this.preparer,
      logger: this.deps.logger,
      signal,
      sources: opened.sources,
      unavailableAccounts: opened.unavailable,
      identityCenterUnavailable: opened.identityCenterUnavailable,
      elsewhere: opened.elsewhere,
      elsewhereSeen: this.elsewhereSeen,
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
