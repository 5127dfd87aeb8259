import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job, Worker } from 'bullmq';
import { fanIn, type FanInResult } from './fan-in.js';
import { JobProgressReporter } from './job-progress.js';
import { FAN_IN_QUEUE, redisConnection, SHARD_QUEUE, type FanInJobData, type ShardJobData } from './queues.js';
import { readPlan } from './read-plan.js';
import { runShard, type ShardOutcome } from './run-shard.js';
import { openShardStore } from './shard-store.js';

export interface ShardWorkerOptions {
  /** `redis://host:6379` of the queue. */
  redis: string;
  /** Shards this process exports at once. Default 1 (a shard already saves many items at once). */
  concurrency?: number;
  /** Local folder shards are staged in. Default `<os temp>/synapse-export-shards`. */
  stagingDirectory?: string;
  /**
   * How long a job's lock lasts without renewal (default 30 s): a killed worker's shard is handed
   * to another worker once its lock has run out and the stalled-job check has seen it.
   */
  lockDurationMs?: number;
  /** How often stalled jobs are looked for. Default 30 s. */
  stalledIntervalMs?: number;
  /** Told of each job as it starts and ends (the CLI prints it). */
  onEvent?: (message: string) => void;
}

/**
 * A process's share of sharded exports: takes shard and fan-in jobs from BullMQ until closed.
 * `close()` lets the shards in flight finish (their files uploaded, their manifests written);
 * `abort()` stops them now, and BullMQ gives them to another worker.
 */
export class ShardWorker {
  private readonly workers: Worker[];
  private readonly abortController = new AbortController();

  /** Starts a worker; resolves once it listens to both queues. */
  static async start(options: ShardWorkerOptions): Promise<ShardWorker> {
    // BullMQ loads on first use, so that importing the library does not pay for it.
    const { Worker } = await import('bullmq');
    const worker = new ShardWorker(options, Worker);
    await Promise.all(worker.workers.map((w) => w.waitUntilReady()));
    return worker;
  }

  private constructor(options: ShardWorkerOptions, Worker: typeof import('bullmq').Worker) {
    const stagingDirectory = options.stagingDirectory ?? join(tmpdir(), 'synapse-export-shards');
    const tell = options.onEvent ?? (() => undefined);
    const common = {
      connection: redisConnection(options.redis),
      lockDuration: options.lockDurationMs ?? 30_000,
      stalledInterval: options.stalledIntervalMs ?? 30_000,
      // A worker killed twice on the same shard is bad luck, not a bad shard.
      maxStalledCount: 3,
    };
    const shardWorker = new Worker<ShardJobData, ShardOutcome>(
      SHARD_QUEUE,
      async (job: Job<ShardJobData, ShardOutcome>) => {
        const store = openShardStore(job.data.target);
        const progress = new JobProgressReporter(job);
        try {
          tell(`shard ${job.data.shard} of ${store.uri}: started (attempt ${job.attemptsMade + 1})`);
          const plan = await readPlan(store);
          const outcome = await runShard(plan, job.data.shard, store, { stagingDirectory, reporters: [progress], signal: this.abortController.signal });
          await job.updateProgress({ done: outcome.counts.total });
          tell(`shard ${job.data.shard} of ${store.uri}: ${outcome.skipped ? 'already finished' : `${outcome.counts.total} items`}`);
          return outcome;
        } finally {
          store.destroy();
        }
      },
      { ...common, concurrency: options.concurrency ?? 1 },
    );
    const fanInWorker = new Worker<FanInJobData, FanInResult>(
      FAN_IN_QUEUE,
      async (job: Job<FanInJobData, FanInResult>) => {
        const store = openShardStore(job.data.target);
        try {
          const result = await fanIn(await readPlan(store), store, { stagingDirectory });
          tell(`fan-in of ${store.uri}: ${result.counts.total} items`);
          return result;
        } finally {
          store.destroy();
        }
      },
      { ...common, concurrency: 1 },
    );
    for (const worker of [shardWorker, fanInWorker]) worker.on('failed', (job, error) => tell(`${job?.name ?? 'job'} ${job?.id ?? ''} failed: ${error.message}`));
    // BullMQ reports lost connections as errors on the worker; it reconnects by itself.
    for (const worker of [shardWorker, fanInWorker]) worker.on('error', (error) => tell(`queue error: ${error.message}`));
    this.workers = [shardWorker, fanInWorker];
  }

  /** Stops taking jobs and waits for the ones in flight to finish. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
  }

  /** Stops the shards in flight now (each keeps its journal for the retry), then closes. */
  async abort(): Promise<void> {
    this.abortController.abort();
    await this.close();
  }
}
