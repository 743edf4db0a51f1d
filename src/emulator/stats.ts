// Call counters the emulator keeps per account. Shape (also served as JSON at GET /_emulator/stats):
//   { total: number,                                   every authenticated request, throttled ones included
//     calls: { [accountId]: { ["iam:ListUsers"]: n } }, per account, keyed "<signingName>:<Action>"
//     throttled: { [accountId]: n },                    requests answered with Throttling (bucket or fault)
//     throttledCalls: { [accountId]: { ["iam:ListUsers"]: n } }, the same per action
//     faults: { [accountId]: n },                       requests answered by an injected fault or random error
//     peakInFlight: { [accountId]: { ["iam:ListUsers"]: n } } } the most calls of an action answered at once

export interface EmulatorStats {
  total: number;
  calls: Record<string, Record<string, number>>;
  throttled: Record<string, number>;
  throttledCalls: Record<string, Record<string, number>>;
  faults: Record<string, number>;
  peakInFlight: Record<string, Record<string, number>>;
}

export class StatsRecorder {
  private stats: EmulatorStats = StatsRecorder.empty();

  private static empty(): EmulatorStats {
    return { total: 0, calls: {}, throttled: {}, throttledCalls: {}, faults: {}, peakInFlight: {} };
  }

  private readonly inFlight = new Map<string, number>();

  /** Counts a call; the returned function ends it, once (for peakInFlight). */
  recordCall(accountId: string, key: string): () => void {
    this.stats.total += 1;
    const perAccount = (this.stats.calls[accountId] ??= {});
    perAccount[key] = (perAccount[key] ?? 0) + 1;
    const id = `${accountId} ${key}`;
    const now = (this.inFlight.get(id) ?? 0) + 1;
    this.inFlight.set(id, now);
    const peaks = (this.stats.peakInFlight[accountId] ??= {});
    peaks[key] = Math.max(peaks[key] ?? 0, now);
    return () => {
      this.inFlight.set(id, (this.inFlight.get(id) ?? 1) - 1);
    };
  }

  recordThrottled(accountId: string, key: string): void {
    this.stats.throttled[accountId] = (this.stats.throttled[accountId] ?? 0) + 1;
    const perAccount = (this.stats.throttledCalls[accountId] ??= {});
    perAccount[key] = (perAccount[key] ?? 0) + 1;
  }

  recordFault(accountId: string): void {
    this.stats.faults[accountId] = (this.stats.faults[accountId] ?? 0) + 1;
  }

  /** A deep copy, so callers can keep it while counting goes on. */
  snapshot(): EmulatorStats {
    return structuredClone(this.stats);
  }

  reset(): void {
    this.stats = StatsRecorder.empty();
  }
}
