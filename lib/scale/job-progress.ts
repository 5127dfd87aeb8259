import type { Job } from 'bullmq';
import type { ExportRun } from '../run/export-run.js';
import type { Reporter } from '../run/reporter.js';

/** What a shard job reports as its progress: items settled so far in the shard. */
export interface ShardProgress {
  done: number;
}

/**
 * Passes a shard's progress on to its BullMQ job (`job.updateProgress`), which the submitting
 * process hears through QueueEvents. The run already throttles progress to a few updates a
 * second, so a shard costs a few Redis writes a second, whatever its size.
 */
export class JobProgressReporter implements Reporter {
  private pending: Promise<unknown> = Promise.resolve();

  constructor(private readonly job: Pick<Job, 'updateProgress'>) {}

  attach(run: ExportRun): void {
    run.on('progress', (event) => {
      const progress: ShardProgress = { done: event.current };
      // One update at a time, in order; a lost update only delays the bar.
      this.pending = this.pending.then(() => this.job.updateProgress(progress)).catch(() => undefined);
    });
  }

  async close(): Promise<void> {
    await this.pending;
  }
}
