// Fault injection: rules added at run time (tests, admin HTTP), global random knobs, and the per-account
// token bucket that stands in for IAM's request throttling.
import { EmuError } from './service.js';

export type FaultKind = 'error' | 'throttle' | 'malformed' | 'vanish' | 'short_page' | 'latency' | 'reset';

export interface FaultRule {
  /** Signing name, e.g. "iam". Absent = any service. */
  service?: string;
  /** Action name, e.g. "ListUsers". Absent = any action. */
  action?: string;
  accountId?: string;
  /** Matches the request's UserName parameter. */
  userName?: string;
  kind: FaultKind;
  /** For 'error': HTTP status (default 500). */
  status?: number;
  /** For 'error': error code (default InternalFailure). */
  code?: string;
  message?: string;
  /** How many matching calls the rule applies to before it is spent; absent = forever. */
  times?: number;
  /** For 'latency'. */
  latencyMs?: number;
}

export interface FaultRuleInfo extends FaultRule {
  id: number;
  /** Matching calls the rule has applied to so far. */
  applied: number;
}

export interface FaultMatchInput {
  service: string;
  action: string;
  accountId: string;
  userName?: string | undefined;
}

const FAULT_KINDS: readonly FaultKind[] = [
  'error',
  'throttle',
  'malformed',
  'vanish',
  'short_page',
  'latency',
  'reset',
];

/** Checks an untrusted rule (admin HTTP body) and returns it typed. */
export function parseFaultRule(input: unknown): FaultRule {
  if (typeof input !== 'object' || input === null) throw new TypeError('fault rule must be a JSON object');
  const r = input as Record<string, unknown>;
  if (!FAULT_KINDS.includes(r.kind as FaultKind)) {
    throw new TypeError(`fault rule kind must be one of ${FAULT_KINDS.join(', ')}`);
  }
  for (const key of ['service', 'action', 'accountId', 'userName', 'code', 'message'] as const) {
    if (r[key] !== undefined && typeof r[key] !== 'string')
      throw new TypeError(`fault rule ${key} must be a string`);
  }
  for (const key of ['status', 'times', 'latencyMs'] as const) {
    const v = r[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 0)) {
      throw new TypeError(`fault rule ${key} must be a non-negative integer`);
    }
  }
  return r as unknown as FaultRule;
}

export class FaultController {
  private rules: FaultRuleInfo[] = [];
  private nextId = 1;

  /** Adds a rule; returns its id (for remove). */
  add(rule: FaultRule): number {
    const id = this.nextId++;
    this.rules.push({ ...rule, id, applied: 0 });
    return id;
  }

  remove(id: number): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length !== before;
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRuleInfo[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /**
   * The live rules matching a call, each counted as applied once (spent rules are dropped). A rule with a
   * userName only matches calls that carry that UserName.
   */
  take(input: FaultMatchInput): FaultRuleInfo[] {
    const matched: FaultRuleInfo[] = [];
    for (const rule of this.rules) {
      if (rule.service !== undefined && rule.service !== input.service) continue;
      if (rule.action !== undefined && rule.action !== input.action) continue;
      if (rule.accountId !== undefined && rule.accountId !== input.accountId) continue;
      if (rule.userName !== undefined && rule.userName !== input.userName) continue;
      if (rule.times !== undefined && rule.applied >= rule.times) continue;
      rule.applied += 1;
      matched.push(rule);
    }
    this.rules = this.rules.filter((r) => r.times === undefined || r.applied < r.times);
    return matched;
  }
}

/** Mulberry32: small, fast and good enough to make fault decisions reproducible from a seed. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

/**
 * One bucket per account and service, refilled continuously at `rate` tokens per second up to `burst`. AWS
 * throttles IAM, STS and Organizations separately: the AssumeRole calls a management account makes for its
 * members do not spend its IAM rate.
 */
export class AccountThrottle {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** Takes a token for the account's service; false when the bucket is empty (the call is throttled). */
  tryTake(accountId: string, service: string): boolean {
    const now = this.clock();
    const key = `${accountId}/${service}`;
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = { tokens: this.burst, at: now };
      this.buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.rate);
    bucket.at = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}

export function throttlingError(): EmuError {
  return new EmuError('Throttling', 'Rate exceeded', 400);
}
