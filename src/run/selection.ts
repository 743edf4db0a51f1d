// Which listed identities a scope enriches and sends, from what the checkpoint says was delivered: the
// CreateDate watermark, the keys delivered at exactly that time, and every identity delivered before.
import type { Checkpoint, KnownIdentity, Watermark } from '../checkpoint/index.js';
import type { ListedIdentity } from '../collector/index.js';
import type { RunMode } from './types.js';

/** Greatest CreateDate delivered so far, and the keys delivered at exactly that time. */
export class WatermarkTracker {
  max: number;
  keys: Set<string>;

  constructor(initial: Watermark | undefined) {
    this.max = initial?.watermarkMs ?? Number.NEGATIVE_INFINITY;
    this.keys = new Set(initial?.keysAtWatermark ?? []);
  }

  delivered(createDate: number | undefined, key: string): void {
    if (createDate === undefined) return;
    if (createDate > this.max) {
      this.max = createDate;
      this.keys = new Set([key]);
    } else if (createDate === this.max) {
      this.keys.add(key);
    }
  }

  /** Whether any identity with a creation date was delivered (now or before): only then is there a mark. */
  get hasMark(): boolean {
    return Number.isFinite(this.max);
  }
}

export interface SelectionOptions {
  mode: RunMode;
  /** backfill: only identities created at or after this time (epoch ms). */
  since?: number;
}

export class ScopeSelection {
  /** Where the watermark moves to when the scope completes. */
  readonly watermark: WatermarkTracker;
  private readonly listedKeys = new Set<string>();

  constructor(
    private readonly options: SelectionOptions,
    private readonly stored: Watermark | undefined,
    /** The delivered, not deleted identities of the scope. */
    readonly known: ReadonlyMap<string, KnownIdentity>,
  ) {
    this.watermark = new WatermarkTracker(stored);
  }

  static load(checkpoint: Checkpoint, scope: string, options: SelectionOptions): ScopeSelection {
    return new ScopeSelection(options, checkpoint.getWatermark(scope), checkpoint.knownKeys(scope));
  }

  /** Delivered by an earlier run with the same creation date (that run's batches were committed). */
  alreadyDelivered(listed: ListedIdentity): boolean {
    const known = this.known.get(listed.key);
    return known !== undefined && known.createDateMs === (listed.createDate ?? null);
  }

  /** Asked for each listed identity before any enrichment call. */
  shouldEnrich(listed: ListedIdentity): boolean {
    const { mode, since } = this.options;
    if (mode === 'full') return true;
    if (mode === 'backfill')
      return since === undefined || listed.createDate === undefined || listed.createDate >= since;
    if (listed.createDate === undefined) return false;
    const stored = this.stored;
    if (stored) {
      if (listed.createDate < stored.watermarkMs) return false;
      if (listed.createDate === stored.watermarkMs && stored.keysAtWatermark.has(listed.key)) return false;
    }
    // Delivered by an earlier run that did not finish: its batches were acknowledged and committed.
    return !this.alreadyDelivered(listed);
  }

  /**
   * Records one listing page (before its enrichment). Identities delivered before and not enriched again
   * still count toward the watermark; enriched ones count once delivered or found unchanged.
   */
  listed(page: readonly ListedIdentity[]): void {
    for (const listed of page) {
      this.listedKeys.add(listed.key);
      if (!this.shouldEnrich(listed) && this.alreadyDelivered(listed)) {
        this.watermark.delivered(listed.createDate, listed.key);
      }
    }
  }

  /** Known identities the listing did not contain (meaningful only once a listing is complete). */
  unlisted(): string[] {
    return [...this.known.keys()].filter((key) => !this.listedKeys.has(key));
  }

  /** Moves the stored watermark to what this scope delivered (call only once the scope completed). */
  saveWatermark(checkpoint: Checkpoint, scope: string): void {
    if (this.watermark.hasMark) checkpoint.setWatermark(scope, this.watermark.max, this.watermark.keys);
  }
}
