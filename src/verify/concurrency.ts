/**
 * The two pieces that let the validator work in parallel yet print exactly what the sequential
 * official CLI prints (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-custom-validation.html): `Limiter` bounds how many objects are
 * fetched and hashed at once; `Ordered` emits results in the order they were queued.
 */

/** Runs at most `n` tasks at once, in submission order. */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly n: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    // a finishing task hands its slot straight to the next waiter, so `active` never exceeds n
    if (this.active >= this.n) await new Promise<void>((r) => this.waiting.push(r));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

/**
 * A queue of results emitted strictly in push order. `push` waits while more than `max` are queued
 * (back-pressure on the producer); the first failure stops all later emits and is thrown by `drain`.
 */
export class Ordered {
  private tail: Promise<void> = Promise.resolve();
  private readonly queued: Promise<void>[] = [];
  constructor(private readonly max: number) {}

  async push<T>(work: Promise<T>, emit: (value: T) => void): Promise<void> {
    work.catch(() => undefined); // observed below, in order
    const step = this.tail.then(async () => emit(await work));
    step.catch(() => undefined);
    this.tail = step;
    this.queued.push(step);
    while (this.queued.length > this.max) await this.queued.shift();
  }

  /** queues a failure after everything already pushed */
  fail(error: unknown): void {
    void this.push(Promise.reject(error), () => undefined).catch(() => undefined);
  }

  async drain(): Promise<void> {
    await this.tail;
  }
}
