import { Command, InvalidArgumentError } from 'commander';
import { ExitCode } from './exit-codes.js';

interface WorkerFlags {
  redis: string;
  concurrency: number;
  staging?: string;
  lockDuration: number;
  quiet: boolean;
}

/**
 * `synapse-export worker --redis redis://…`: takes shards and fan-ins of sharded exports until
 * stopped. SIGTERM or SIGINT lets the shards in flight finish and upload; a second signal stops
 * them at once (BullMQ then hands them to another worker, which starts them over).
 */
export function workerCommand(): Command {
  return new Command('worker')
    .description('Run a worker for sharded exports (run --workers): takes shard jobs from BullMQ on Redis until stopped.')
    .requiredOption('--redis <url>', 'redis://host:6379 of the queue')
    .option('-c, --concurrency <n>', 'shards exported at once by this process', positive, 1)
    .option('--lock-duration <ms>', 'how long a job lock lasts: a killed worker\'s shard goes to another worker after about this long', positive, 30_000)
    .option('--staging <dir>', 'local folder shards are staged in before upload (default: the OS temp folder)')
    .option('-q, --quiet', 'do not print a line per shard', false)
    .addHelpText('after', '\nStorage: S3 credentials and region from the AWS environment variables; the endpoint from the export\'s plan.')
    .action(async (flags: WorkerFlags) => {
      // Loaded only here, so that other commands do not pay for BullMQ's start-up.
      const { ShardWorker } = await import('../scale/shard-worker.js');
      const worker = await ShardWorker.start({
        redis: flags.redis,
        concurrency: flags.concurrency,
        ...(flags.staging === undefined ? {} : { stagingDirectory: flags.staging }),
        lockDurationMs: flags.lockDuration,
        stalledIntervalMs: Math.max(1000, Math.floor(flags.lockDuration / 2)),
        onEvent: (message) => {
          if (!flags.quiet) process.stderr.write(`${new Date().toISOString()} ${message}\n`);
        },
      });
      process.stderr.write(`synapse-export worker ready on ${flags.redis.replace(/\/\/[^@]*@/, '//***@')}\n`);
      await new Promise<void>((resolve) => {
        let stopping = false;
        const onSignal = (signal: NodeJS.Signals): void => {
          if (stopping) {
            process.stderr.write(`${signal} again: stopping the shards in flight now\n`);
            void worker.abort().then(() => process.exit(ExitCode.ABORTED));
            return;
          }
          stopping = true;
          process.stderr.write(`${signal}: finishing the shards in flight… (again to stop them now)\n`);
          void worker.close().then(resolve);
        };
        process.on('SIGTERM', onSignal);
        process.on('SIGINT', onSignal);
      });
    });
}

function positive(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError('takes a whole number of at least 1.');
  return parsed;
}
