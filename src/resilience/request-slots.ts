/**
 * A bound on the requests one HTTP client holds at once: those on its sockets plus those waiting for
 * one. undici's Pool queues without limit, so a slow upstream would let waiting requests (and the
 * callers' memory behind them) grow without end; past the bound a request is refused at once (503)
 * instead. `capacity` is the pool's connections plus the queue allowed behind them.
 */
export class RequestSlots {
  #inUse = 0;

  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1)
      throw new TypeError(`RequestSlots capacity must be a positive integer, got ${capacity}`);
  }

  /** Takes a slot; false when all are taken (the caller refuses the request). */
  tryAcquire(): boolean {
    if (this.#inUse >= this.capacity) return false;
    this.#inUse++;
    return true;
  }

  release(): void {
    if (this.#inUse > 0) this.#inUse--;
  }

  /** Requests holding a slot now. */
  get inUse(): number {
    return this.#inUse;
  }
}
