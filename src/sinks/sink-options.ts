// Typed access to one sink's config keys. The config schema already rejects bad keys when the config comes
// from a file; this second check exists because sinks are also built from code (tests, the demo), and a
// wrong type must fail at creation with the sink and key named, not as a confusing error mid-delivery.
import type { SinkConfigBase } from './sink.js';

export class SinkOptions {
  constructor(
    readonly sinkName: string,
    private readonly config: Record<string, unknown>,
    private readonly prefix = '',
  ) {}

  static of(config: SinkConfigBase, sinkName: string): SinkOptions {
    return new SinkOptions(sinkName, config);
  }

  private fail(key: string, expected: string): never {
    throw new Error(`sink ${this.sinkName}: ${this.prefix}${key} must be ${expected}`);
  }

  keys(): string[] {
    return Object.keys(this.config);
  }

  has(key: string): boolean {
    return this.config[key] !== undefined;
  }

  optionalString(key: string): string | undefined {
    const v = this.config[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') this.fail(key, 'a string');
    return v;
  }

  string(key: string, fallback: string): string {
    return this.optionalString(key) ?? fallback;
  }

  requiredString(key: string): string {
    const v = this.optionalString(key);
    if (v === undefined || v === '') this.fail(key, 'a non-empty string (it is required)');
    return v;
  }

  number(key: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    const v = this.config[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
      this.fail(key, `a number between ${min} and ${max}`);
    }
    return v;
  }

  integer(key: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    const v = this.number(key, fallback, min, max);
    if (!Number.isInteger(v)) this.fail(key, 'an integer');
    return v;
  }

  boolean(key: string, fallback: boolean): boolean {
    const v = this.config[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') this.fail(key, 'true or false');
    return v;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
    const v = this.optionalString(key);
    if (v === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(v)) this.fail(key, `one of ${allowed.join(', ')}`);
    return v as T;
  }

  stringMap(key: string): Record<string, string> {
    const v = this.config[key];
    if (v === undefined) return {};
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(key, 'a map of strings');
    const out: Record<string, string> = {};
    for (const [k, val] of Object.entries(v)) {
      if (typeof val !== 'string') this.fail(`${key}.${k}`, 'a string');
      out[k] = val;
    }
    return out;
  }

  /** A nested object (retry, batch, rotate); absent = an empty one, so its keys take their defaults. */
  section(key: string): SinkOptions {
    const v = this.config[key];
    if (v === undefined) return new SinkOptions(this.sinkName, {}, `${this.prefix}${key}.`);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(key, 'an object');
    return new SinkOptions(this.sinkName, v as Record<string, unknown>, `${this.prefix}${key}.`);
  }
}
