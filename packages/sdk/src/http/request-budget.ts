import { sleep } from './retry-policy.js';

export interface RequestBudgetOptions {
  /** Requests in flight at once. Default 8. */
  maxInFlight?: number;
  /** Requests started per second (a token bucket, bursts up to this many). Default unlimited. */
  maxPerSecond?: number;
}

/**
 * How hard a connection may hit its API: at most `maxInFlight` requests at once and
 * `maxPerSecond` started per second, shared by every stream of a sync (the connector creates
 * one client, with one budget, per sync). `pauseUntil` holds every request back, e.g. after a
 * secondary rate limit, so that one stream's 429 slows all of them.
 */
export class RequestBudget {
  readonly maxInFlight: number;
  readonly maxPerSecond: number;
  #inFlight = 0;
  #waiting: Array<() => void> = [];
  #tokens: number;
  #refilledAt = Date.now();
  #pausedUntil = 0;
  /** Most requests ever in flight at once (for tests and metrics). */
  peakInFlight = 0;
  /** Requests started. */
  started = 0;

  constructor(options: RequestBudgetOptions = {}) {
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 8);
    this.maxPerSecond = options.maxPerSecond ?? Number.POSITIVE_INFINITY;
    this.#tokens = Number.isFinite(this.maxPerSecond) ? this.maxPerSecond : 0;
  }

  /** Waits for a slot; returns the function that gives it back. */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    while (this.#inFlight >= this.maxInFlight) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
      signal?.throwIfAborted();
    }
    this.#inFlight += 1;
    try {
      await this.#waitForPause(signal);
      await this.#waitForToken(signal);
    } catch (error) {
      this.#release();
      throw error;
    }
    this.started += 1;
    this.peakInFlight = Math.max(this.peakInFlight, this.#inFlight);
    let released = false;
    return () => {
      if (!released) {
        released = true;
        this.#release();
      }
    };
  }

  /** Holds every request until `time` (epoch ms). */
  pauseUntil(time: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, time);
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  #release(): void {
    this.#inFlight -= 1;
    this.#waiting.shift()?.();
  }

  async #waitForPause(signal?: AbortSignal): Promise<void> {
    for (let wait = this.#pausedUntil - Date.now(); wait > 0; wait = this.#pausedUntil - Date.now()) {
      await sleep(wait, signal);
    }
  }

  async #waitForToken(signal?: AbortSignal): Promise<void> {
    if (!Number.isFinite(this.maxPerSecond)) return;
    for (;;) {
      const now = Date.now();
      this.#tokens = Math.min(this.maxPerSecond, this.#tokens + ((now - this.#refilledAt) / 1000) * this.maxPerSecond);
      this.#refilledAt = now;
      if (this.#tokens >= 1) {
        this.#tokens -= 1;
        return;
      }
      await sleep(Math.ceil(((1 - this.#tokens) / this.maxPerSecond) * 1000), signal);
    }
  }
}
