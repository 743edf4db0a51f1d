// Readiness: the daemon is ready when the last run of every scope (AWS account, Identity Center store)
// succeeded and the last success is younger than the staleness limit. The scopes that count are those of the
// latest finished run, so an account that left the organization does not keep the daemon unready forever.
import type { RunSummary } from '../run/types.js';

export interface ScopeReadiness {
  scope: string;
  /** Status of the scope in the latest run that reached it. */
  lastStatus: 'succeeded' | 'failed';
  lastSuccessAt?: string;
  ageSeconds?: number;
  error?: string;
  ok: boolean;
}

export interface ReadinessReport {
  ready: boolean;
  /** Why not ready, naming the scopes; absent when ready. */
  reason?: string;
  maxStalenessSeconds: number;
  scopes: ScopeReadiness[];
}

/** A scope's last run as the state file recorded it (used to be ready right after a restart). */
export interface RecordedScopeRun {
  scope: string;
  status: string;
  finishedMs: number | null;
  /** The last successful run's finish time, when known. */
  lastSuccessMs?: number | null;
  error?: string | null;
}

interface ScopeState {
  lastStatus: 'succeeded' | 'failed';
  lastSuccessMs?: number;
  error?: string;
}

export class ReadinessTracker {
  private readonly scopes = new Map<string, ScopeState>();
  /** Scopes of the latest finished run; undefined until a run finished (or the state file said so). */
  private currentScopes: string[] | undefined;
  /** Errors of the latest run when it failed before reaching any scope (credentials, Organizations ...). */
  private runLevelErrors: string[] = [];

  constructor(
    readonly maxStalenessSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seeds from the state file at start-up. */
  seed(records: readonly RecordedScopeRun[]): void {
    const scopes: string[] = [];
    for (const r of records) {
      if (r.status !== 'succeeded' && r.status !== 'failed') {
        // running/interrupted: the previous process stopped mid-run; only a recorded success still counts.
        if (r.lastSuccessMs === undefined || r.lastSuccessMs === null) continue;
        this.scopes.set(r.scope, { lastStatus: 'succeeded', lastSuccessMs: r.lastSuccessMs });
        scopes.push(r.scope);
        continue;
      }
      const lastSuccessMs =
        r.status === 'succeeded' && r.finishedMs !== null ? r.finishedMs : (r.lastSuccessMs ?? undefined);
      this.scopes.set(r.scope, {
        lastStatus: r.status,
        ...(lastSuccessMs !== undefined && lastSuccessMs !== null ? { lastSuccessMs } : {}),
        ...(r.status === 'failed' && r.error ? { error: r.error } : {}),
      });
      scopes.push(r.scope);
    }
    if (scopes.length > 0) this.currentScopes = scopes;
  }

  record(summary: RunSummary): void {
    // An interrupted run (shutdown) says nothing new about the scopes it did not finish.
    const finished = summary.scopes.filter((s) => s.status !== 'interrupted');
    for (const s of finished) {
      const previous = this.scopes.get(s.scope);
      if (s.status === 'succeeded') {
        this.scopes.set(s.scope, { lastStatus: 'succeeded', lastSuccessMs: summary.finishedAt });
      } else {
        this.scopes.set(s.scope, {
          lastStatus: 'failed',
          ...(previous?.lastSuccessMs !== undefined ? { lastSuccessMs: previous.lastSuccessMs } : {}),
          error: s.error ?? 'failed',
        });
      }
    }
    if (summary.status === 'interrupted' && finished.length === 0) return;
    if (summary.scopes.length === 0) {
      this.runLevelErrors =
        summary.status === 'failed' ? (summary.errors.length > 0 ? summary.errors : ['run failed']) : [];
      if (summary.status === 'failed') this.currentScopes = this.currentScopes ?? [];
      return;
    }
    this.runLevelErrors = [];
    this.currentScopes = summary.scopes.map((s) => s.scope);
  }

  report(): ReadinessReport {
    const maxStalenessSeconds = this.maxStalenessSeconds;
    if (this.currentScopes === undefined) {
      return { ready: false, reason: 'no collection run has finished yet', maxStalenessSeconds, scopes: [] };
    }
    const now = this.now();
    const scopes: ScopeReadiness[] = this.currentScopes.map((scope) => {
      const st = this.scopes.get(scope) as ScopeState;
      const ageSeconds =
        st.lastSuccessMs !== undefined ? Math.max(0, (now - st.lastSuccessMs) / 1000) : undefined;
      const ok =
        st.lastStatus === 'succeeded' && ageSeconds !== undefined && ageSeconds <= maxStalenessSeconds;
      return {
        scope,
        lastStatus: st.lastStatus,
        ...(st.lastSuccessMs !== undefined
          ? { lastSuccessAt: new Date(st.lastSuccessMs).toISOString() }
          : {}),
        ...(ageSeconds !== undefined ? { ageSeconds: Math.round(ageSeconds) } : {}),
        ...(st.error !== undefined ? { error: st.error } : {}),
        ok,
      };
    });
    const reasons: string[] = [];
    if (this.runLevelErrors.length > 0) reasons.push(`last run failed: ${this.runLevelErrors.join('; ')}`);
    const failed = scopes.filter((s) => s.lastStatus === 'failed');
    if (failed.length > 0) reasons.push(`last run failed for ${failed.map((s) => s.scope).join(', ')}`);
    const stale = scopes.filter((s) => s.lastStatus === 'succeeded' && !s.ok);
    if (stale.length > 0) {
      reasons.push(
        `last success older than ${maxStalenessSeconds} s for ${stale.map((s) => s.scope).join(', ')}`,
      );
    }
    if (reasons.length === 0 && scopes.length === 0) reasons.push('the last run reached no scope');
    return reasons.length === 0
      ? { ready: true, maxStalenessSeconds, scopes }
      : { ready: false, reason: reasons.join('; '), maxStalenessSeconds, scopes };
  }
}
