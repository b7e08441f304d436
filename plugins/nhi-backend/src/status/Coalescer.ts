/**
 * Runs `work` over gathered items, one run at a time. Items that arrive while a run is going
 * gather and go together in the next run, so a burst of requests costs one run per round
 * rather than one per request, and every caller still resolves once its items are done (or
 * rejects with the error of the run that carried them).
 */
export class Coalescer<T> {
  private pending = new Set<T>();
  private next?: Promise<void>;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly work: (items: T[]) => Promise<void>) {}

  run(items: T[]): Promise<void> {
    for (const item of items) this.pending.add(item);
    if (!this.next) {
      this.next = this.running.then(() => {
        this.next = undefined;
        const batch = [...this.pending];
        this.pending = new Set();
        return this.work(batch);
      });
      this.running = this.next.catch(() => {});
    }
    return this.next;
  }
}
