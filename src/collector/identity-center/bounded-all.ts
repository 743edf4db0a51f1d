// A few calls at a time, all or nothing: the first failure drops what is still queued and waits for the
// calls already started, so a listing that failed its scope leaves nothing calling AWS in the background.
import pLimit from 'p-limit';

export async function boundedAll<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const limit = pLimit(concurrency);
  const running = new Set<Promise<R>>();
  const tasks = items.map((item) =>
    limit(() => {
      const call = fn(item);
      running.add(call);
      call.then(
        () => running.delete(call),
        () => running.delete(call),
      );
      return call;
    }),
  );
  try {
    return await Promise.all(tasks);
  } catch (error) {
    // Dropped tasks never settle: wait only for those that started.
    limit.clearQueue();
    await Promise.allSettled([...running]);
    throw error;
  }
}
