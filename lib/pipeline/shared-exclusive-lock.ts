interface Waiter {
  exclusive: boolean;
  admit: () => void;
}

/**
 * Tasks that may run together (shared) and tasks that must run alone (exclusive), admitted in
 * arrival order: an exclusive task waits for the shared ones running, and shared ones arriving
 * after it wait for it, so neither kind starves.
 */
export class SharedExclusiveLock {
  private sharing = 0;
  private exclusiveRunning = false;
  private readonly queue: Waiter[] = [];
  private idleWaiters: Array<() => void> = [];

  shared<T>(task: () => Promise<T>): Promise<T> {
    return this.run(false, task);
  }

  exclusive<T>(task: () => Promise<T>): Promise<T> {
    return this.run(true, task);
  }

  /** Resolves once no shared task is running (tasks still queued are not waited for). */
  sharedSettled(): Promise<void> {
    if (this.sharing === 0) return Promise.resolve();
    return new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private async run<T>(exclusive: boolean, task: () => Promise<T>): Promise<T> {
    if (this.queue.length > 0 || !this.canEnter(exclusive)) await new Promise<void>((admit) => this.queue.push({ exclusive, admit }));
    else this.enter(exclusive);
    try {
      return await task();
    } finally {
      this.leave(exclusive);
    }
  }

  private canEnter(exclusive: boolean): boolean {
    return !this.exclusiveRunning && (!exclusive || this.sharing === 0);
  }

  private enter(exclusive: boolean): void {
    if (exclusive) this.exclusiveRunning = true;
    else this.sharing += 1;
  }

  private leave(exclusive: boolean): void {
    if (exclusive) {
      this.exclusiveRunning = false;
    } else {
      this.sharing -= 1;
      if (this.sharing === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
    }
    while (this.queue.length > 0 && this.canEnter(this.queue[0]!.exclusive)) {
      const next = this.queue.shift()!;
      this.enter(next.exclusive);
      next.admit();
    }
  }
}
