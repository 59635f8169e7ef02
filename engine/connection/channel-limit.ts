/**
 * Caps how many exec channels run at once on one SSH connection. sshd allows MaxSessions (10 by default)
 * sessions per connection and frees a slot only after it has processed the channel close, so we stay below
 * the limit and queue the rest in arrival order.
 */

export const MAX_CHANNELS = 8;

export class ChannelLimit {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private max: number = MAX_CHANNELS) {
    if (max < 1) throw new RangeError("ChannelLimit needs at least one slot");
  }

  get limit(): number {
    return this.max;
  }

  /**
   * The server refused a channel while `running` of ours were open: it allows fewer sessions than we assumed
   * (a MaxSessions below ours), so run at most one fewer from now on.
   */
  refusedAt(running: number): void {
    this.max = Math.max(1, Math.min(this.max, running - 1));
  }

  /** Runs `task` once a slot is free; the slot is held until the task settles. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  /** Channels running now (for tests and profiling). */
  get running(): number {
    return this.active;
  }

  /** Tasks waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  private acquire(): Promise<void> {
    if (this.active < this.max) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    this.active--;
    while (this.active < this.max) {
      const next = this.waiting.shift();
      if (!next) break;
      this.active++;
      next();
    }
  }
}

/**
 * The retry delays after a refused channel open: short first, since a slot usually frees within a round trip;
 * longer later, for a server whose session limit is below ours until our other channels finish.
 */
export const CHANNEL_OPEN_RETRY_DELAYS_MS: readonly number[] = [10, 25, 50, 100, 200, 400, 800, 1600];
