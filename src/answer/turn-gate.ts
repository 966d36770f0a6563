/** Turns started per batch when the server does not say (TURNS_PER_BATCH); measured in the README ("Measured quality and speed"). */
export const DEFAULT_TURNS_PER_BATCH = 8;

/**
 * Lets at most `perBatch` turns start per batch of two event-loop passes, in arrival order.
 *
 * Without it, every request read in one pass is answered in that pass and all of them wait for the
 * pass's group commit, so a pass of 30 questions holds the first answer for all 30 and the
 * questions that arrive meanwhile wait for the whole pass before they are even read: latency
 * spreads between one and two pass lengths. With the gate, a batch starts a few turns; their group
 * commit runs in the next pass and the next batch opens in the pass after, so answers leave in
 * small batches, in order, and new requests are read in between. The rhythm assumes a turn reaches
 * its commit without waiting on I/O (extractive answers, the built-in embedders); a turn that awaits
 * a remote embedder or LLM holds no place, so there the gate only paces how fast turns start.
 * Each process (each `WORKERS` worker) has its own gate.
 */
const noop = (): void => undefined;

export class TurnGate {
  private started = 0;
  /** Callers waiting, oldest at `head` (taken by index: shift() copies a long queue each time). */
  private waiting: Array<() => void> = [];
  private head = 0;
  private armed = false;
  private readonly perBatch: number;

  /** `perBatch` ≤ 0 (or not a number) lets every turn start at once. */
  constructor(perBatch: number) {
    this.perBatch = Number.isFinite(perBatch) ? Math.floor(perBatch) : 0;
  }

  /** Settles when the caller may start its turn: at once while the batch has room and nobody waits. */
  enter(): Promise<void> {
    if (this.perBatch <= 0) return Promise.resolve();
    if (this.queued === 0 && this.started < this.perBatch) {
      this.started++;
      this.arm();
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.arm();
    });
  }

  /** Turns waiting for a batch. */
  get queued(): number {
    return this.waiting.length - this.head;
  }

  private arm(): void {
    if (this.armed) return;
    this.armed = true;
    // Two hops: the turns of this batch reach their group commit (a setImmediate of the next pass)
    // before the next batch opens.
    setImmediate(() => setImmediate(() => this.open()));
  }

  private open(): void {
    this.armed = false;
    this.started = 0;
    while (this.queued > 0 && this.started < this.perBatch) {
      this.started++;
      const resolve = this.waiting[this.head]!;
      this.waiting[this.head++] = noop;
      resolve();
    }
    if (this.queued === 0) {
      this.waiting = [];
      this.head = 0;
    } else if (this.head >= 1024) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
    if (this.started > 0) this.arm();
  }
}
