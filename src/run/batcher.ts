// Groups outbound events into run-level batches by count and serialized size. Each sink may split a batch
// further by its own limits; this bound keeps memory and the "repeat at most one batch" window small.
import type { OutboundEvent } from '../sinks/sink.js';

export class EventBatcher {
  private events: OutboundEvent[] = [];
  private bytes = 0;

  constructor(
    private readonly maxEvents: number,
    private readonly maxBytes: number,
  ) {}

  /** Adds an event; returns the full batch to deliver when adding it would exceed a limit. */
  add(event: OutboundEvent): OutboundEvent[] | undefined {
    const size = Buffer.byteLength(event.json) + 1;
    let ready: OutboundEvent[] | undefined;
    if (
      this.events.length > 0 &&
      (this.events.length >= this.maxEvents || this.bytes + size > this.maxBytes)
    ) {
      ready = this.take();
    }
    this.events.push(event);
    this.bytes += size;
    return ready;
  }

  /** Whatever is pending (possibly empty). */
  take(): OutboundEvent[] {
    const batch = this.events;
    this.events = [];
    this.bytes = 0;
    return batch;
  }

  get size(): number {
    return this.events.length;
  }
}
