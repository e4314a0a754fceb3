interface Waiting<In, Out> {
  item: In;
  resolve: (out: Out) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: writes that arrive while earlier ones are being written wait, and go together in
 * the next group — one transaction, a few statements for them all. A write that finds nothing
 * running goes at once (after the requests already read are gathered, `setImmediate`), so a
 * quiet system adds no delay, and a busy one pays per group what it paid per write.
 *
 * `write` answers each item in order: its result, or the error refusing that item alone.
 * An error it throws refuses the whole group.
 */
export class GroupedWrites<In, Out> {
  private readonly waiting: Waiting<In, Out>[] = [];
  private running = 0;
  private scheduled = false;

  constructor(
    private readonly write: (items: In[]) => Promise<(Out | Error)[]>,
    private readonly limits: { groupSize: number; concurrent: () => number },
  ) {}

  submit(item: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.waiting.length === 0) return;
    if (this.running >= this.limits.concurrent()) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.start();
    });
  }

  private start(): void {
    while (this.waiting.length > 0 && this.running < this.limits.concurrent()) {
      const group = this.waiting.splice(0, this.limits.groupSize);
      this.running++;
      this.write(group.map((waiting) => waiting.item))
        .then(
          (results) =>
            group.forEach((waiting, n) => {
              const result = results[n]!;
              if (result instanceof Error) waiting.reject(result);
              else waiting.resolve(result);
            }),
          (error: unknown) => group.forEach((waiting) => waiting.reject(error)),
        )
        .finally(() => {
          this.running--;
          this.schedule();
        });
    }
  }
}
