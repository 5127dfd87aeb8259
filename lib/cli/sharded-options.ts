import { ErrorCode, ExportError, ExportValidationError } from '../errors.js';
import type { Reporter } from '../run/reporter.js';
import type { ShardedExportOptions } from '../scale/run-sharded-export.js';
import { SHARDABLE_FORMATS, type ShardableFormat } from '../scale/shard-format.js';

/** The `run` flags a sharded export (`--workers`) reads. */
export interface ShardedRunFlags {
  input: string;
  out?: string;
  name?: string;
  workers?: string;
  shards?: number;
  originalFiles: boolean;
  mediaMode: string;
  concurrency: number;
  downloadConcurrency: number;
  downloadTimeout: number;
  downloadRetries: number;
  format: string;
  naming: string;
  resume?: string;
  classes?: string[];
  rename?: string[];
  split?: unknown;
  validate: boolean;
  zip: boolean;
  zipOnly: boolean;
  zipLevel?: number;
  zipSplitSize?: number;
  maxErrors?: number;
  failFast: boolean;
}

/**
 * `run --workers redis://… --shards N --out s3://bucket/prefix|<shared folder>` as library options. The S3
 * endpoint comes from `AWS_ENDPOINT_URL_S3` or `AWS_ENDPOINT_URL` (MinIO, moto…), credentials and
 * region from the usual AWS variables, on the submitting machine and on every worker.
 */
export function shardedOptions(flags: ShardedRunFlags, name: string, reporters: Reporter[], signal: AbortSignal): ShardedExportOptions {
  const usage = (message: string, field: string): ExportError => new ExportValidationError(message, field);
  const workers = flags.workers!;
  if (!/^rediss?:\/\//.test(workers)) throw usage(`--workers takes a redis:// URL, not ${workers}`, 'workers');
  const unsupported: Array<[boolean, string]> = [
    [flags.input === '-', '--input - (the workers read the input file themselves)'],
    [flags.format !== 'dm' && !(SHARDABLE_FORMATS as readonly string[]).includes(flags.format), `--format ${flags.format} (coco, yolo, yolo-seg and yolo-pose are)`],
    [flags.resume !== undefined, '--resume (run the same command again: finished shards are kept)'],
    [flags.zipOnly, '--zip-only'],
    [flags.classes !== undefined || (flags.rename ?? []).length > 0 || flags.validate || flags.split !== undefined, '--classes/--rename/--validate/--split'],
    [flags.maxErrors !== undefined || flags.failFast, '--max-errors/--fail-fast'],
    [flags.mediaMode !== 'copy', `--media-mode ${flags.mediaMode}`],
  ];
  for (const [given, what] of unsupported) if (given) throw usage(`${what} is not supported with --workers yet`, 'workers');
  if (flags.out === undefined) throw usage('--workers needs --out s3://bucket/prefix, or a folder every worker mounts at the same path', 'out');
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(flags.out);
  if (flags.zip && match !== null) throw usage('--zip with --workers writes the archive beside a folder --out; not for s3:// yet', 'zip');
  const endpoint = process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  return {
    redis: workers,
    input: flags.input,
    output: match === null ? flags.out : { bucket: match[1]!, prefix: match[2]!, ...(endpoint ? { endpoint } : {}), ...(region ? { region } : {}) },
    name,
    ...(flags.shards === undefined ? {} : { shards: flags.shards }),
    saveOriginalFile: flags.originalFiles,
    ...(flags.format === 'dm' ? {} : { format: flags.format as ShardableFormat }),
    ...(flags.zip ? { archive: { ...(flags.zipLevel === undefined ? {} : { level: flags.zipLevel }), ...(flags.zipSplitSize === undefined ? {} : { splitSize: flags.zipSplitSize }) } } : {}),
    concurrency: flags.concurrency,
    downloadConcurrency: flags.downloadConcurrency,
    download: { timeoutMs: flags.downloadTimeout, retries: flags.downloadRetries },
    reporters,
    signal,
  };
}

/** `--shards` without `--workers` is a mistake worth saying. */
export function checkShardFlags(flags: Pick<ShardedRunFlags, 'workers' | 'shards'>): void {
  if (flags.shards !== undefined && flags.workers === undefined) {
    throw new ExportError('--shards needs --workers redis://…', { code: ErrorCode.INVALID_OPTION });
  }
}
