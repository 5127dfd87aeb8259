import type { ExportRun } from '../run/export-run.js';
import type { ShardPlan } from './shard-plan.js';

/**
 * One progress figure for a whole sharded export: each shard job's last reported count (from
 * QueueEvents), summed and shown on the submitting process's run, as a single-process export shows it.
 */
export class ShardProgressTotal {
  private readonly done = new Map<string, number>();
  private readonly sizes = new Map<string, number>();
  private sum = 0;
  private readonly total: number;

  constructor(
    plan: ShardPlan,
    private readonly submission: string,
    private readonly run: ExportRun,
  ) {
    for (const range of plan.shards) this.sizes.set(this.jobId(range.shard), range.count);
    this.total = plan.total;
    run.setProgress(0, this.total, 'dataset_conversion');
  }

  /** The BullMQ job id of a shard of this submission. */
  jobId(shard: number): string {
    return `${this.submission}.shard-${shard}`;
  }

  update(jobId: string, data: unknown): void {
    const done = typeof data === 'object' && data !== null ? (data as { done?: unknown }).done : undefined;
    if (typeof done === 'number') this.set(jobId, done);
  }

  complete(jobId: string): void {
    const size = this.sizes.get(jobId);
    if (size !== undefined) this.set(jobId, size);
  }

  private set(jobId: string, done: number): void {
    if (!this.sizes.has(jobId)) return; // another export's job
    this.sum += done - (this.done.get(jobId) ?? 0);
    this.done.set(jobId, done);
    this.run.setProgress(this.sum, this.total, 'dataset_conversion');
  }
}
