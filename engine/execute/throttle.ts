/**
 * throttle: at most N hosts run a task at once. Hosts here run at their own pace, so each task has its own count
 * of hosts in it, and a host waits for a place.
 */
export class Throttle {
  private readonly running = new WeakMap<object, { count: number; waiting: (() => void)[] }>();

  /** Waits for a place in `task` (at most `limit` hosts in it); returns the function that gives the place back. */
  async enter(task: object, limit: number): Promise<() => void> {
    let state = this.running.get(task);
    if (!state) {
      state = { count: 0, waiting: [] };
      this.running.set(task, state);
    }
    const place = state;
    while (place.count >= limit) await new Promise<void>((resolve) => place.waiting.push(resolve));
    place.count++;
    return () => {
      place.count--;
      place.waiting.shift()?.();
    };
  }
}
