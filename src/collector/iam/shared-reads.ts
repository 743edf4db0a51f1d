// One read per key, shared by every caller that asks while it runs or after it succeeded (a group's
// policies for all its members, a managed policy's document for all its holders). A failed read is
// forgotten, so the next caller tries again instead of inheriting the failure.
export class SharedReads<K, V> {
  private readonly byKey = new Map<K, Promise<V>>();

  get(key: K, read: () => Promise<V>): Promise<V> {
    let pending = this.byKey.get(key);
    if (pending === undefined) {
      const started = read();
      pending = started;
      this.byKey.set(key, started);
      started.catch(() => {
        if (this.byKey.get(key) === started) this.byKey.delete(key);
      });
    }
    return pending;
  }

  /** Seeds a value already known another way. */
  set(key: K, value: V): void {
    this.byKey.set(key, Promise.resolve(value));
  }

  get size(): number {
    return this.byKey.size;
  }
}
