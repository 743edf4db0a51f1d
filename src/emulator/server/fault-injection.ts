// Faults injected into signed calls: the rules tests set through the admin API (throttle, error, vanish,
// malformed, short_page, latency, reset), and the random 5xx, malformed, Throttling and reset answers of
// EmulatorOptions.
import { SeededRandom, type FaultRuleInfo } from '../faults.js';
import type { HttpReply, ServiceEndpoint } from '../protocols/service-endpoint.js';
import { EmuError, type EmuRequestContext } from '../service.js';
import type { StatsRecorder } from '../stats.js';
import type { EmulatorOptions } from './emulator-options.js';

export interface FaultOutcome {
  /** Set when a rule answers the call itself. */
  reply?: HttpReply;
  /** Whether the answer must be cut so that it does not parse. */
  malformed: boolean;
}

/** A connection reset instead of an answer. */
export const RESET_REPLY: HttpReply = { status: 0, headers: {}, body: '', reset: true };

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function ruleError(rule: FaultRuleInfo): EmuError {
  const status = rule.status ?? 500;
  return new EmuError(
    rule.code ?? 'InternalFailure',
    rule.message ?? 'The request processing has failed because of an unknown error.',
    status,
    status >= 500 ? 'Receiver' : 'Sender',
  );
}

/** Applies the rules matched by one call: their latencies add up, the first answering rule wins. */
export async function applyFaultRules(
  rules: FaultRuleInfo[],
  endpoint: ServiceEndpoint,
  ctx: EmuRequestContext,
  call: { userName: string | undefined; permission: string },
  stats: StatsRecorder,
): Promise<FaultOutcome> {
  let malformed = false;
  let latency = 0;
  for (const r of rules) if (r.kind === 'latency') latency += r.latencyMs ?? 0;
  if (latency > 0) await sleep(latency);
  for (const rule of rules) {
    switch (rule.kind) {
      case 'throttle':
        stats.recordThrottled(ctx.accountId, call.permission);
        return { reply: endpoint.error(endpoint.throttled(), ctx.requestId), malformed };
      case 'error':
        stats.recordFault(ctx.accountId);
        return { reply: endpoint.error(ruleError(rule), ctx.requestId), malformed };
      case 'reset':
        stats.recordFault(ctx.accountId);
        return { reply: RESET_REPLY, malformed };
      case 'vanish':
        if (call.userName !== undefined) {
          stats.recordFault(ctx.accountId);
          return { reply: endpoint.error(endpoint.userNotFound(call.userName), ctx.requestId), malformed };
        }
        break;
      case 'malformed':
        stats.recordFault(ctx.accountId);
        malformed = true;
        break;
      case 'short_page':
        ctx.shortPage = true;
        break;
      case 'latency':
        break;
    }
  }
  return { malformed };
}

/**
 * errorRate, malformedRate, throttleErrorRate and resetRate, drawn from one stream seeded by
 * EmulatorOptions.seed (a rate of 0 draws nothing, so adding a kind keeps the other kinds' draws), for the
 * actions of faultActions.
 */
export class RandomFaults {
  private readonly random: SeededRandom;
  private readonly actions: Set<string> | undefined;

  constructor(private readonly options: EmulatorOptions) {
    this.random = new SeededRandom(options.seed ?? 1);
    this.actions = options.faultActions === undefined ? undefined : new Set(options.faultActions);
  }

  private draw(rate: number | undefined, permission: string): boolean {
    if (!(rate !== undefined && rate > 0)) return false;
    if (this.actions !== undefined && !this.actions.has(permission)) {
      const action = permission.slice(permission.indexOf(':') + 1);
      if (!this.actions.has(action)) return false;
    }
    return this.random.next() < rate;
  }

  /** A random 503 ServiceUnavailable or 500 InternalFailure for this call, or undefined. */
  error(permission: string): EmuError | undefined {
    if (!this.draw(this.options.errorRate, permission)) return undefined;
    const unavailable = this.random.next() < 0.5;
    return unavailable
      ? new EmuError('ServiceUnavailable', 'Service is unavailable. Please try again.', 503, 'Receiver')
      : new EmuError(
          'InternalFailure',
          'The request processing has failed because of an unknown error.',
          500,
          'Receiver',
        );
  }

  /** Whether this call's answer is randomly malformed. */
  malformed(permission: string): boolean {
    return this.draw(this.options.malformedRate, permission);
  }

  /** Whether this call is randomly answered Throttling, whatever the load. */
  throttled(permission: string): boolean {
    return this.draw(this.options.throttleErrorRate, permission);
  }

  /** Whether this call's connection is randomly reset. */
  reset(permission: string): boolean {
    return this.draw(this.options.resetRate, permission);
  }
}
