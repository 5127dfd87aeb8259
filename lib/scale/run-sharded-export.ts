import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { ErrorCode, ExportError, messageOf } from '../errors.js';
import { Exporter } from '../exporter/base-exporter.js';
import { DEFAULT_CONCURRENCY, DEFAULT_DOWNLOAD_CONCURRENCY } from '../exporter/execute-export.js';
import { MANIFEST_FILE } from '../output/manifest.js';
import { ERROR_LIST_FILE } from '../output/error-list.js';
import { ExportRun } from '../run/export-run.js';
import type { Reporter } from '../run/reporter.js';
import { DATASET_ITEM_FILES, type InputFormat } from '../sources/file-source.js';
import type { Counts } from '../types.js';
import { nonBlank, positiveInteger } from '../validate.js';
import type { FanInResult } from './fan-in.js';
import { planFileShards } from './plan-shards.js';
import { planBackendShards } from './plan-backend-shards.js';
import { listingLabel, type BackendListing } from './backend-listing.js';
import { resolveClientOptions, type JsonObject } from '../platform/client/index.js';
import { FAN_IN_QUEUE, redisConnection, SHARD_ATTEMPTS, SHARD_QUEUE, type FanInJobData, type ShardJobData } from './queues.js';
import { PLAN_FILE, storePlan } from './read-plan.js';
import type { ShardPlan, ShardTarget } from './shard-plan.js';
import { ShardProgressTotal } from './shard-progress-total.js';
import { archiveShardedExport, type ShardedArchiveOptions } from './archive-sharded-export.js';
import { planFormat, SHARDABLE_FORMATS, type ShardableFormat } from './shard-format.js';
import { openShardStore, type ShardStore } from './shard-store.js';

export interface ShardedExportOptions {
  /** `redis://host:6379` of the workers' queue (`synapse-export worker --redis …`). */
  redis: string;
  /** Items file (`.jsonl`, `.json`) or dataset folder; every worker must read it at the same path. Give this or `backend`. */
  input?: string;
  /** Items from the platform backend instead: a target's listing, sharded by page ranges. Give this or `input`. */
  backend?: BackendExportSource;
  /**
   * Where the export directory is created: a bucket and key prefix, or a folder every worker
   * mounts at the same path (NFS, or one machine's disk for local workers).
   */
  output: string | S3Location;
  /** Export directory name; `name(1)`… when taken. An unfinished sharded export of the same input under that name is continued. */
  name: string;
  /** Slices the export is cut into (default 16); more shards than workers lets fast workers take more. */
  shards?: number;
  saveOriginalFile?: boolean;
  /**
   * A training format (default: the `dm` layout). Shards write the per-item files; the fan-in
   * stitches COCO's `annotations.json` from the shards' parts, and YOLO's class list comes from a
   * pre-pass the planner makes over the input (as a single-process run does).
   */
  format?: ShardableFormat;
  /** After the fan-in, stream the export from the store into `<folder>.zip` (split when asked); folder outputs only. */
  archive?: ShardedArchiveOptions;
  concurrency?: number;
  downloadConcurrency?: number;
  download?: { timeoutMs?: number; retries?: number };
  /** Hear the whole export's progress (aggregated over shards) and messages. */
  reporters?: readonly Reporter[];
  /** Stops waiting (the jobs stay queued, and a re-run with the same name continues them). */
  signal?: AbortSignal;
}

/**
 * A backend listing to export sharded. Host, token and tenant come from each process's environment
 * (`SYNAPSE_HOST`, `SYNAPSE_ACCESS_TOKEN`, `SYNAPSE_TENANT`) as for the export action; only the
 * host is stored in the plan, never a token.
 */
export interface BackendExportSource {
  /** A built-in target: `assignment`, `ground_truth` or `task`. */
  target: string;
  /** The target's filter (`{project: 3}`); `expand: 'data'` is added, as the export action adds it. */
  filter: JsonObject;
  /** Default: `SYNAPSE_HOST`. */
  host?: string;
  /** Items per page, and so per slice of a shard (default 100). */
  pageSize?: number;
}

/** A folder in an S3-compatible bucket; `endpoint` for MinIO and other S3-compatible servers. */
export interface S3Location {
  bucket: string;
  prefix: string;
  endpoint?: string;
  region?: string;
}

export interface ShardedExportResult {
  /** `s3://bucket/prefix`: where the export directory was created. */
  exportPath: string;
  /** `s3://bucket/prefix/name[(n)]`. */
  uniqueExportPath: string;
  counts: Counts;
  durationMs: number;
  shards: number;
  /** `…/error_file_list.json` when something failed, else null. */
  errorListPath: string | null;
  manifestPath: string;
  archivePaths: string[];
  /** True when an unfinished export of the same input was continued. */
  continued: boolean;
}

/**
 * Runs one export across the workers of a BullMQ queue: plans it (the input read once, by-id names
 * planned, the plan stored beside the export), adds one flow (a shard job per slice, the fan-in as
 * their parent), shows the whole export's progress, and resolves when the fan-in has written the
 * manifest. Names follow the by-id rule, so the result equals `runExport({naming: 'by-id'})` of
 * the same items, file for file.
 */
export async function runShardedExport(options: ShardedExportOptions): Promise<ShardedExportResult> {
  const startedAt = Date.now();
  // BullMQ loads on first use, so that importing the library does not pay for it.
  const { FlowProducer, QueueEvents } = await import('bullmq');
  const run = new ExportRun();
  for (const reporter of options.reporters ?? []) reporter.attach(run);
  const connection = redisConnection(options.redis);
  const shardEvents = new QueueEvents(SHARD_QUEUE, { connection });
  const fanInEvents = new QueueEvents(FAN_IN_QUEUE, { connection });
  const flows = new FlowProducer({ connection });
  let store: ShardStore | undefined;
  try {
    const { path, format, inputBytes, listing } = await exportSource(options);
    const name = nonBlank(options.name, 'name');
    const shards = positiveInteger(options.shards ?? 16, 'shards');
    const formatName = options.format === undefined ? undefined : shardableFormat(options.format);
    if (options.archive !== undefined && typeof options.output !== 'string') {
      throw new ExportError('the archive of a sharded export is written beside a folder output; for S3, archive a folder export or download the export first', { code: ErrorCode.INVALID_OPTION });
    }
    if (listing !== undefined && formatName !== undefined) {
      throw new ExportError('a sharded backend export writes the dm layout only, so far: export the listing without a format, or to an items file first', { code: ErrorCode.INVALID_OPTION });
    }
    const found = await exportFolder(options.output, name, path, inputBytes);
    store = found.store;
    let plan = found.plan;
    if (plan === undefined) {
      run.logMessage(`Planning ${shards} shards of ${path}.`);
      const { names, listing: counted, ...slices } =
        listing === undefined ? { ...(await planFileShards(path, format, shards, new Exporter())), listing: undefined } : await planBackendShards(listing, shards, new Exporter());
      const training = formatName === undefined ? undefined : await planFormat(formatName, path, format);
      plan = {
        version: 1,
        exportId: randomUUID(),
        createdAt: new Date().toISOString(),
        target: store.target,
        spec: {
          input: path,
          inputBytes,
          format,
          ...(counted === undefined ? {} : { backend: counted }),
          name: found.name,
          saveOriginalFile: options.saveOriginalFile ?? true,
          concurrency: positiveInteger(options.concurrency ?? DEFAULT_CONCURRENCY, 'concurrency'),
          downloadConcurrency: positiveInteger(options.downloadConcurrency ?? DEFAULT_DOWNLOAD_CONCURRENCY, 'downloadConcurrency'),
          download: options.download ?? {},
          ...(training === undefined ? {} : { training }),
        },
        ...slices,
      };
      await storePlan(store, plan, names);
    } else {
      run.logMessage(`Continuing the unfinished export ${store.uri}: finished shards are kept.`);
    }
    run.logMessage(`Exporting ${plan.total} items in ${plan.shards.length} shards to ${store.uri}.`);
    await Promise.all([shardEvents.waitUntilReady(), fanInEvents.waitUntilReady()]);

    // Each submission gets its own job ids: shards finished before (their manifests in storage)
    // complete at once, so a re-run after a lost Redis or a failed export costs only what is left.
    const submission = `${plan.exportId}.${Date.now().toString(36)}`;
    const progress = new ShardProgressTotal(plan, submission, run);
    shardEvents.on('progress', ({ jobId, data }) => progress.update(jobId, data));
    shardEvents.on('completed', ({ jobId }) => progress.complete(jobId));
    const flow = await flows.add({
      name: 'fan-in',
      queueName: FAN_IN_QUEUE,
      data: { target: plan.target } satisfies FanInJobData,
      opts: { jobId: `${submission}.fan-in`, removeOnComplete: { age: 86_400 }, removeOnFail: { age: 86_400 } },
      children: plan.shards.map((range) => ({
        name: 'shard',
        queueName: SHARD_QUEUE,
        data: { target: plan.target, shard: range.shard } satisfies ShardJobData,
        opts: {
          jobId: progress.jobId(range.shard),
          attempts: SHARD_ATTEMPTS,
          backoff: { type: 'exponential', delay: 1000 },
          failParentOnFailure: true,
          removeOnComplete: { age: 86_400 },
          removeOnFail: { age: 86_400 },
        },
      })),
    });
    const finished = await untilAborted(flow.job.waitUntilFinished(fanInEvents), options.signal, store.uri).catch((error: unknown) => {
      if (error instanceof ExportError) throw error;
      throw new ExportError(`the sharded export ${store!.uri} failed: ${messageOf(error)}`, { code: ErrorCode.SHARD_FAILED, cause: error });
    });
    const result = (typeof finished === 'string' ? JSON.parse(finished) : finished) as FanInResult;
    run.setProgress(result.counts.total, result.counts.total, 'dataset_conversion');
    run.flush();
    let archivePaths: string[] = [];
    if (options.archive !== undefined && store.target.kind === 'folder') {
      run.logMessage(`Archiving ${store.uri} into ${store.target.path}.zip.`);
      archivePaths = await archiveShardedExport(store, `${store.target.path}.zip`, options.archive);
    }
    return {
      exportPath: typeof options.output === 'string' ? resolve(options.output) : `s3://${options.output.bucket}/${trimSlashes(options.output.prefix)}`,
      uniqueExportPath: store.uri,
      counts: result.counts,
      durationMs: Date.now() - startedAt,
      shards: plan.shards.length,
      errorListPath: result.wroteErrors ? `${store.uri}/${ERROR_LIST_FILE}` : null,
      manifestPath: `${store.uri}/${MANIFEST_FILE}`,
      archivePaths,
      continued: found.plan !== undefined,
    };
  } finally {
    run.flush();
    store?.destroy();
    await Promise.allSettled([shardEvents.close(), fanInEvents.close(), flows.close()]);
    await Promise.allSettled((options.reporters ?? []).map((reporter) => reporter.close?.()));
  }
}

function shardableFormat(format: string): ShardableFormat {
  if ((SHARDABLE_FORMATS as readonly string[]).includes(format)) return format as ShardableFormat;
  throw new ExportError(`format ${format} does not run sharded; these do: ${SHARDABLE_FORMATS.join(', ')} (or none, for the dm layout)`, { code: ErrorCode.INVALID_OPTION });
}

/** What the export reads: an items file (its path, format and size), or a backend listing (its label). */
async function exportSource(options: ShardedExportOptions): Promise<{ path: string; format: InputFormat; inputBytes: number; listing?: BackendListing }> {
  if ((options.input === undefined) === (options.backend === undefined)) {
    throw new ExportError('give a sharded export either `input` (an items file) or `backend` (a backend listing)', { code: ErrorCode.INVALID_OPTION });
  }
  if (options.input !== undefined) {
    const file = await itemsFile(options.input);
    return { ...file, inputBytes: (await stat(file.path)).size };
  }
  const { target, filter, host, pageSize } = options.backend!;
  const listing: BackendListing = {
    kind: 'backend',
    host: resolveClientOptions(host === undefined ? {} : { host }).baseUrl.href,
    target: nonBlank(target, 'backend.target'),
    filter: { ...filter, expand: 'data' },
    pageSize: positiveInteger(pageSize ?? 100, 'backend.pageSize'),
  };
  return { path: listingLabel(listing), format: 'jsonl', inputBytes: 0, listing };
}

/** The items file an input names, and its format. */
async function itemsFile(input: string): Promise<{ path: string; format: InputFormat }> {
  const absolute = resolve(input);
  const info = await stat(absolute).catch((cause: unknown) => {
    throw new ExportError(`Cannot read the input ${input}: ${messageOf(cause)}`, { code: ErrorCode.INPUT_UNREADABLE, fileName: input, cause });
  });
  let path = absolute;
  if (info.isDirectory()) {
    const candidates = DATASET_ITEM_FILES.map((file) => join(absolute, file));
    const existing = await Promise.all(candidates.map((file) => stat(file).then((s) => s.isFile(), () => false)));
    const index = existing.indexOf(true);
    if (index < 0) throw new ExportError(`${input} is a folder without ${DATASET_ITEM_FILES.join(' or ')}`, { code: ErrorCode.INPUT_UNREADABLE, fileName: input });
    path = candidates[index]!;
  }
  return { path, format: extname(path).toLowerCase() === '.json' ? 'json' : 'jsonl' };
}

/**
 * The export's folder: `name`, else `name(1)`…, the first with nothing in it, unless an earlier
 * folder holds an unfinished sharded export of the same input, which is then continued.
 */
async function exportFolder(output: ShardedExportOptions['output'], name: string, input: string, inputBytes: number): Promise<{ store: ShardStore; name: string; plan?: ShardPlan }> {
  const prefix = typeof output === 'string' ? '' : trimSlashes(output.prefix);
  for (let n = 0; ; n += 1) {
    const candidate = n === 0 ? name : `${name}(${n})`;
    const target: ShardTarget =
      typeof output === 'string'
        ? { kind: 'folder', path: join(resolve(output), candidate) }
        : {
            kind: 's3',
            bucket: output.bucket,
            key: prefix === '' ? candidate : `${prefix}/${candidate}`,
            ...(output.endpoint === undefined ? {} : { endpoint: output.endpoint }),
            ...(output.region === undefined ? {} : { region: output.region }),
          };
    const store = openShardStore(target);
    try {
      if (await store.isEmpty()) return { store, name: candidate };
      if (!(await store.exists(MANIFEST_FILE))) {
        const plan = await store.getJson<ShardPlan>(PLAN_FILE);
        if (plan !== undefined && plan.spec.input === input && plan.spec.inputBytes === inputBytes) return { store, name: candidate, plan };
      }
    } catch (error) {
      store.destroy();
      throw error;
    }
    store.destroy();
  }
}

function trimSlashes(prefix: string): string {
  return prefix.replace(/^\/+|\/+$/g, '');
}

/** The wait, unless the signal fires first: the jobs then go on, and a re-run continues them. */
function untilAborted<T>(waiting: Promise<T>, signal: AbortSignal | undefined, uri: string): Promise<T> {
  if (signal === undefined) return waiting;
  return new Promise<T>((resolvePromise, reject) => {
    const onAbort = (): void =>
      reject(new ExportError(`stopped waiting for ${uri}; its shards stay queued on the workers (run the same command again to wait for them)`, { code: ErrorCode.ABORTED }));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    waiting.then(resolvePromise, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
