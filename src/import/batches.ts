import type { PreparedCase } from './prepare.js';

/**
 * Groups prepared cases into batches by the year of their case-number series and has up to `writers` batches
 * written at once, never two of the same year. A batch reserves its year's numbers in its own transaction, so two
 * batches of one year would only wait for each other; taken one after another they also keep a year's numbers in
 * the order the file gives. Batches of different years share no counter and no statistics group, so they run side
 * by side on their own connections.
 *
 * A writer does not wait idle for a full batch: when one is free and nothing it could take is queued, a year with
 * at least a fifth of a batch goes out early (so writing starts soon after the file is opened). Memory is bounded:
 * when more than `size × (writers + 1)` cases wait, the fullest year goes out early, and `add` waits while `writers`
 * batches are queued behind those being written.
 */
export class BatchScheduler {
  private buffers = new Map<number, PreparedCase[]>();
  private buffered = 0;
  private queue: { year: number; cases: PreparedCase[] }[] = [];
  private running = new Set<number>();
  private done: Promise<void>[] = [];
  private wake: (() => void) | null = null;

  constructor(
    private readonly size: number,
    private readonly writers: number,
    private readonly write: (batch: PreparedCase[]) => Promise<void>,
  ) {}

  /** Adds a case; returns a promise to wait for when there is no room for more (nothing when there is). */
  add(c: PreparedCase): Promise<void> | undefined {
    let buffer = this.buffers.get(c.year);
    if (!buffer) this.buffers.set(c.year, (buffer = []));
    buffer.push(c);
    this.buffered++;
    if (buffer.length >= this.size) this.enqueue(c.year);
    else if (this.buffered > this.size * (this.writers + 1)) this.enqueue(this.fullest(() => true)!);
    else if (this.running.size < this.writers && !this.queue.some((b) => !this.running.has(b.year))) {
      const year = this.fullest((y, n) => !this.running.has(y) && n >= this.size / 5);
      if (year !== undefined) this.enqueue(year);
    }
    return this.queue.length > this.writers ? this.room() : undefined;
  }

  private async room(): Promise<void> {
    while (this.queue.length > this.writers) await new Promise<void>((resolve) => (this.wake = resolve));
  }

  /** Writes what is left and resolves when every batch is written. */
  async finish(): Promise<void> {
    for (const year of [...this.buffers.keys()]) this.enqueue(year);
    while (this.queue.length > 0 || this.running.size > 0) {
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    await Promise.all(this.done);
  }

  /** The year with the most buffered cases among those the filter accepts. */
  private fullest(accept: (year: number, buffered: number) => boolean): number | undefined {
    let best: number | undefined;
    for (const [year, cases] of this.buffers) {
      if (accept(year, cases.length) && (best === undefined || cases.length > this.buffers.get(best)!.length)) best = year;
    }
    return best;
  }

  private enqueue(year: number): void {
    const cases = this.buffers.get(year)!;
    this.buffers.delete(year);
    this.buffered -= cases.length;
    this.queue.push({ year, cases });
    this.pump();
  }

  private pump(): void {
    while (this.running.size < this.writers) {
      const next = this.queue.findIndex((b) => !this.running.has(b.year));
      if (next < 0) return;
      const [{ year, cases }] = this.queue.splice(next, 1);
      this.running.add(year);
      this.done.push(this.write(cases).finally(() => {
        this.running.delete(year);
        this.pump();
        this.wake?.();
        this.wake = null;
      }));
    }
  }
}
