// Faults injected into signed calls: the rules tests set through the admin API (throttle, error, vanish,
// malformed, short_page, latency), and the random 5xx and malformed answers of EmulatorOptions.
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

/** errorRate and malformedRate, drawn from one stream seeded by EmulatorOptions.seed. */
export class RandomFaults {
  private readonly random: SeededRandom;

  constructor(private readonly options: EmulatorOptions) {
    this.random = new SeededRandom(options.seed ?? 1);
  }

  /** A random 503 ServiceUnavailable or 500 InternalFailure for this call, or undefined. */
  error(): EmuError | undefined {
    const errorRate = this.options.errorRate ?? 0;
    if (!(errorRate > 0 && this.random.next() < errorRate)) return undefined;
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
  malformed(): boolean {
    const malformedRate = this.options.malformedRate ?? 0;
    return malformedRate > 0 && this.random.next() < malformedRate;
  }
}
