import { rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ErrorCode, ExportError, messageOf } from '../errors.js';
import { NameAllocator } from '../naming/name-allocator.js';
import { NamePlan, type NamingRule } from '../naming/name-plan.js';
import { PlannedNames, type ItemNamer } from '../naming/planned-names.js';
import { splitExtension, safeFileName } from '../naming/safe-name.js';
import { ErrorList, ERROR_LIST_FILE } from '../output/error-list.js';
import { ExportOutput } from '../output/export-output.js';
import { mediaMode, type MediaMode } from '../output/fs-worker-pool.js';
import { MANIFEST_FILE, writeManifest } from '../output/manifest.js';
import { openExportOutput, type ArchiveOptions } from '../output/open-export-output.js';
import { createLimiter } from '../pipeline/limiter.js';
import { stage } from '../pipeline/stage.js';
import { windowed } from '../pipeline/window.js';
import { LogCode } from '../run/log-codes.js';
import type { Reporter } from '../run/reporter.js';
import type { DownloadOptions } from '../sinks/download.js';
import { fatalWriteError } from '../sinks/fatal-write-error.js';
import { toItemSource, type ItemSource, type SourceInput } from '../sources/item-source.js';
import type { Counts, ExportItem, ExportRecord } from '../types.js';
import { nonBlank, nonNegativeInteger, positiveInteger } from '../validate.js';
import { VERSION } from '../version.js';
import type { BaseExporter } from './base-exporter.js';
import type { ExportContext, NamedRecord } from './context.js';
import { ExportIncompleteError } from './export-incomplete-error.js';
import { FileMetrics } from './file-metrics.js';
import { boundHeapGrowth } from './heap-growth.js';
import { toRecords } from './to-records.js';
import { originalNameOf } from './item-name.js';
import { planNames } from './plan-names.js';
import { scopedContext } from './record-scope.js';
import { checkResumable, refuseUnresumable, replayJournal, type ResumedItems } from './resume.js';
import { ExportJournal, JOURNAL_FILE } from '../output/journal.js';

export interface RunOptions {
  /** Export items: a file/stream source, a Readable, or any (async) iterable. */
  source: SourceInput | undefined;
  /** Folder the export directory is created in. */
  output: string | undefined;
  /** Export directory name; `name(1)`, `name(2)`… when taken. */
  name: string | undefined;
  /** Save original media to `origin_files/`. Default true. */
  saveOriginalFile?: boolean | undefined;
  /**
   * Items being saved at once: the window that bounds memory (this many items' data). Default 64:
   * file writes go to the file workers in batches, and a small window leaves them waiting on the
   * main thread (16: 0.6× the speed of 64 on a JSON-only export).
   */
  concurrency?: number;
  /** How local originals land in the export: `copy` (default), `hardlink` or `symlink`. */
  mediaMode?: MediaMode;
  /** Items each hook works on at once (order is kept). Default 1. */
  hookConcurrency?: number;
  /** Downloads running at once. Default 8. */
  downloadConcurrency?: number;
  /** Timeout and retry settings for downloads of original files. */
  download?: Omit<DownloadOptions, 'signal'>;
  /** Cancels the export; it then rejects with code `ERR_ABORTED`. */
  signal?: AbortSignal;
  reporters?: readonly Reporter[];
  /** How many items the source holds, when the caller knows (else the source may tell). */
  total?: number | undefined;
  /** Stop once more items than this have failed (0: at the first failure). Default: never stop. */
  maxErrors?: number;
  /**
   * Continue the interrupted export in this directory instead of starting a new one: items its
   * journal lists with their files intact are skipped, the rest saved. `output` and `name` are
   * then taken from the directory. Give the same source and exporter as the first run.
   */
  resume?: string;
  /** Also (or only) write the export as a zip archive (not with `resume`). */
  archive?: ArchiveOptions | undefined;
  /**
   * How colliding names are told apart: `source-order` (default, the reference's `a`, `a(1)`…)
   * or `by-id` (reads a file source twice to plan; see `NamePlanner`), or a plan made beforehand
   * (what a shard of a sharded export gets).
   */
  naming?: NamingRule | NamePlan;
  /**
   * Hold V8's heap to twice what is live between full collections while the export runs
   * (`--heap-growing-percent=100`, set back to V8's own when the last export ends). Default true:
   * it keeps the peak RSS of a large export 10–60 MB lower, at a speed within the noise. A process
   * started with `--heap-growing-percent` keeps its own setting.
   */
  boundHeapGrowth?: boolean;
}

export interface ExportResult {
  /** The folder the export was created in (the reference's `export_path`). */
  exportPath: string;
  /** The export's own folder, with its `(n)` suffix if it got one. */
  uniqueExportPath: string;
  counts: Counts;
  durationMs: number;
  /** `error_file_list.json` when something failed, else null. */
  errorListPath: string | null;
  manifestPath: string;
  /** The archive's files (`<name>.zip`, or its parts), when one was written to a file. */
  archivePaths: string[];
}

/**
 * The one export engine: builds the stream pipeline from an exporter's hooks and runs it.
 * `BaseExporter.export()` and `runExport()` both come here.
 *
 * However it ends, an export whose directory was created gets its error list and a manifest:
 * `complete: true` only when every item went through and the flush succeeded. A stopped export
 * (cancelled, too many errors, a broken sink) waits for the saves in flight, then rejects with an
 * `ExportIncompleteError` that carries what was done.
 */
export async function executeExport<TItem extends ExportItem>(
  exporter: BaseExporter<TItem>,
  options: RunOptions,
): Promise<ExportResult> {
  const startedAt = new Date();
  const settings = checkOptions(options);
  if (options.resume !== undefined) refuseUnresumable(exporter, options.resume);
  const run = exporter.run;
  const reporters = options.reporters ?? [];
  for (const reporter of reporters) reporter.attach(run);
  const abort = new AbortController();
  const onAbort = (): void => abort.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  const releaseHeap = options.boundHeapGrowth === false ? undefined : boundHeapGrowth();

  let ctx: ExportContext | undefined;
  let journal: ExportJournal | undefined;
  try {
    const source = toItemSource(settings.source);
    const names = await namerFor(options.naming, source, exporter);
    let total = options.total;
    if (total === undefined && source.count !== undefined) {
      // Counting may take a while on a big file; progress gets a total when it is known.
      source.count().then(
        (count) => {
          total ??= count;
        },
        () => undefined,
      );
    }
    ctx = await openExport(exporter, settings, options, source.baseDirectory, () => total, abort.signal);
    const resumed = settings.resume ? await replayJournal(ctx) : undefined;
    if (resumed !== undefined) run.logMessage(`Resuming: ${resumed.done.size} items were already saved.`);
    // An archive-only export's folder is removed however it ends: nothing would read its journal.
    if (ctx.output.keepsFolder) journal = new ExportJournal(join(ctx.uniqueExportPath, JOURNAL_FILE));
    const counts: Counts = { total: 0, success: 0, failed: 0, skipped: 0 };

    let stopped: ExportError | undefined;
    try {
      await runItems(exporter, ctx, settings, source, names, counts, () => total, abort, journal, resumed);
    } catch (error) {
      stopped = asExportError(error, abort.signal);
    }
    try {
      // Under their final names before the flush, which may read them.
      await ctx.output.publish();
    } catch (error) {
      stopped ??=
        (await fatalWriteError(error, ctx.uniqueExportPath, ctx.output.resumable)) ??
        new ExportError(`could not move the staged files under their final names: ${messageOf(error)}`, { code: ErrorCode.WRITE_FAILED, cause: error });
    }
    if (stopped === undefined) {
      ctx.metrics.finish();
      run.setProgress(counts.total, counts.total, 'dataset_conversion');
      run.flush();
      try {
        await exporter.additionalFileSaving(ctx.uniqueExportPath, ctx);
      } catch (error) {
        stopped = new ExportError(`additionalFileSaving failed: ${messageOf(error)}`, { code: ErrorCode.FLUSH_FAILED, cause: error });
      }
      run.endLog();
    }
    await journal?.close().catch((error: unknown) => run.logMessage(`The journal could not be completed: ${messageOf(error)}`, 'warning'));
    let result: ExportResult;
    try {
      result = await closeExport(ctx, settings, counts, startedAt, stopped);
    } catch (error) {
      // When the disk is full the manifest cannot be written either: report why the export stopped.
      if (stopped === undefined) throw error;
      throw new ExportError(`${stopped.message} (and the manifest could not be written: ${messageOf(error)})`, { code: stopped.code, cause: stopped });
    }
    // A complete export needs no journal; a stopped one keeps it for --resume.
    if (stopped === undefined) await rm(join(ctx.uniqueExportPath, JOURNAL_FILE), { force: true });
    if (stopped !== undefined) throw new ExportIncompleteError(stopped, result);
    return result;
  } catch (error) {
    const failure = asExportError(error, abort.signal);
    run.logMessageWithCode(LogCode.EXPORT_FAILED, [failure.message]);
    throw failure;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    run.flush();
    await Promise.allSettled([ctx?.errors.dispose(), ctx?.output.dispose(), journal?.close()]);
    await Promise.allSettled(reporters.map((reporter) => reporter.close?.()));
    releaseHeap?.();
  }
}

/** Creates the export directory and its folders, and the context every hook gets. */
async function openExport<TItem extends ExportItem>(
  exporter: BaseExporter<TItem>,
  settings: Settings,
  options: RunOptions,
  baseDirectory: string | undefined,
  total: () => number | undefined,
  signal: AbortSignal,
): Promise<ExportContext> {
  let uniqueExportPath: string;
  let output: ExportOutput;
  if (settings.resume) {
    if (options.archive !== undefined) {
      throw new ExportError('an archived export cannot be resumed: resume the folder export, then archive it', { code: ErrorCode.INVALID_OPTION });
    }
    uniqueExportPath = join(settings.exportPath, settings.name);
    await checkResumable(uniqueExportPath);
    output = new ExportOutput(uniqueExportPath);
  } else {
    ({ uniqueExportPath, output } = await openExportOutput(settings.exportPath, settings.name, options.archive));
  }
  exporter.run.logMessage('Starting export process.');
  const paths = await exporter.setupOutputDirectories(uniqueExportPath, settings.saveOriginalFile);
  await output.beginStaging();
  return {
    run: exporter.run,
    params: exporter.params,
    output,
    exportPath: settings.exportPath,
    uniqueExportPath,
    saveOriginalFile: settings.saveOriginalFile,
    mediaMode: settings.mediaMode,
    paths: paths ?? {},
    errors: new ErrorList(output),
    metrics: new FileMetrics(exporter.run, total),
    baseDirectory: baseDirectory ?? process.cwd(),
    download: options.download ?? {},
    limitDownloads: createLimiter(settings.downloadConcurrency, 'downloadConcurrency'),
    signal,
  };
}

/**
 * Streams every item through the hooks, the naming stage and the savers. When the pipeline
 * stops early, waits for the saves already started so no file is left half-written by us.
 */
async function runItems<TItem extends ExportItem>(
  exporter: BaseExporter<TItem>,
  ctx: ExportContext,
  settings: Settings,
  source: ItemSource,
  names: ItemNamer,
  counts: Counts,
  total: () => number | undefined,
  abort: AbortController,
  journal: ExportJournal | undefined,
  resumed: ResumedItems | undefined,
): Promise<void> {
  const { run, errors } = ctx;
  const hook = (name: 'beforeConvert' | 'convertData' | 'afterConvert') =>
    stage<TItem, TItem>((item) => exporter[name](item, ctx), { name, concurrency: settings.hookConcurrency, highWaterMark: STAGE_BUFFER });
  // Counts, error list, progress and the error policy, once per record. Saved records are settled
  // by the save itself, so those finishing after a stop are still counted; the rest at the end.
  const settle = (record: ExportRecord): void => {
    counts.total += 1;
    counts[record.status === 'success' ? 'success' : record.status === 'skipped' ? 'skipped' : 'failed'] += 1;
    if (record.status === 'failed' && record.failure !== undefined) {
      errors.addJson(describe(record, exporter), `${record.failure.step}: ${record.failure.message}`);
    }
    const known = total();
    run.setProgress(counts.total, known === undefined ? undefined : Math.max(known, counts.total), 'dataset_conversion');
    if (counts.failed > settings.maxErrors && !abort.signal.aborted) {
      abort.abort(new ExportError(`stopped after ${counts.failed} failed items (at most ${settings.maxErrors} allowed)`, { code: ErrorCode.TOO_MANY_ERRORS }));
    }
  };
  const saved = new WeakSet<ExportRecord>();
  const saving = windowed<TItem>(
    async (record) => {
      if (resumed?.done.has(record.index)) {
        // Saved by the interrupted run; its files and failures came back from the journal.
        record.status = resumed.failed.has(record.index) ? 'failed' : 'success';
      } else {
        // The journal hears what the save did through a scoped context (views cost per item: none without a journal).
        const scoped = journal === undefined ? undefined : { journal, ...scopedContext(ctx) };
        const ok = await exporter.processFileSaving(record as NamedRecord<TItem>, scoped?.ctx ?? ctx);
        record.status = ok ? 'success' : 'failed';
        scoped?.journal.append({ i: record.index, id: record.id, status: record.status, ...scoped.scope });
      }
      saved.add(record);
      settle(record);
    },
    { window: settings.concurrency },
  );

  run.setProgress(0, total(), 'dataset_conversion');
  try {
    await pipeline(
      Readable.from(toRecords(source.items(), run, source.firstIndex), { highWaterMark: STAGE_BUFFER }),
      hook('beforeConvert'),
      hook('convertData'),
      hook('afterConvert'),
      stage<TItem, TItem>(
        (item, record) => {
          const { raw, fallback } = originalNameOf(exporter, item, record);
          record.names = names.allocate(raw, fallback, record.index);
          return item;
        },
        { name: 'naming', highWaterMark: STAGE_BUFFER },
      ),
      saving,
      settleRest((record) => {
        if (!saved.has(record)) settle(record);
      }),
      { signal: abort.signal },
    );
  } catch (error) {
    await saving.idle();
    throw error;
  }
}

/** The namer for the `naming` option; `by-id` plans here, before the export directory exists. */
async function namerFor(naming: RunOptions['naming'], source: ItemSource, exporter: BaseExporter<ExportItem>): Promise<ItemNamer> {
  if (naming instanceof NamePlan) return new PlannedNames(naming);
  if (naming === 'by-id') return new PlannedNames(await planNames(source, exporter));
  if (naming === undefined || naming === 'source-order') return new NameAllocator();
  throw new ExportError(`naming must be 'source-order' or 'by-id', not ${JSON.stringify(naming)}`, { code: ErrorCode.INVALID_OPTION });
}

/** Writes the error list and the manifest (`complete` unless the export stopped) and sums up. */
async function closeExport(ctx: ExportContext, settings: Settings, counts: Counts, startedAt: Date, stopped: ExportError | undefined): Promise<ExportResult> {
  const { output, errors } = ctx;
  const wroteErrors = await errors.writeTo(output);
  const finishedAt = new Date();
  await writeManifest(output, {
    tool: { name: 'synapse-export', version: VERSION },
    name: settings.name,
    complete: stopped === undefined,
    stopped: stopped === undefined ? null : { code: stopped.code, message: stopped.message },
    started_at: startedAt.toISOString(),
    finished_at: finishedAt.toISOString(),
    duration_ms: finishedAt.getTime() - startedAt.getTime(),
    counts,
    metrics: ctx.metrics.snapshot(),
    errors: { ...errors.counts, file: wroteErrors ? ERROR_LIST_FILE : null },
  });
  // Only a complete export becomes an archive; a stopped one keeps no partial archive.
  const archivePaths = stopped === undefined ? await output.complete() : [];
  return {
    exportPath: settings.exportPath,
    uniqueExportPath: ctx.uniqueExportPath,
    counts,
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    errorListPath: wroteErrors ? output.resolve(ERROR_LIST_FILE) : null,
    manifestPath: output.resolve(MANIFEST_FILE),
    archivePaths,
  };
}

/**
 * Records each stage before the savers holds ready for the next. One: the saving window is what
 * keeps the files busy, and every record buffered ahead of it keeps its item alive through young-
 * generation collections (measured on 100k items with originals: 16 per stage cost 1.9 s of
 * scavenging, 1 cost 1.4 s).
 */
const STAGE_BUFFER = 1;

/** `RunOptions.concurrency` when not given. */
export const DEFAULT_CONCURRENCY = 64;
/** `RunOptions.downloadConcurrency` when not given. */
export const DEFAULT_DOWNLOAD_CONCURRENCY = 8;

interface Settings {
  source: SourceInput;
  exportPath: string;
  name: string;
  saveOriginalFile: boolean;
  mediaMode: MediaMode;
  concurrency: number;
  hookConcurrency: number;
  downloadConcurrency: number;
  maxErrors: number;
  resume: boolean;
}

function checkOptions(options: RunOptions): Settings {
  if (options.source === undefined) throw new ExportError('no source of export items was given', { code: ErrorCode.INVALID_OPTION });
  const resumeAt = options.resume === undefined ? undefined : resolve(options.resume);
  const output = resumeAt === undefined ? options.output : dirname(resumeAt);
  if (output === undefined) throw new ExportError('no output folder was given', { code: ErrorCode.INVALID_OPTION });
  return {
    source: options.source,
    exportPath: resolve(output),
    name: resumeAt === undefined ? nonBlank(options.name ?? '', 'name') : basename(resumeAt),
    resume: resumeAt !== undefined,
    // The reference drops this default when the param is omitted (§16.2); here omitted means true.
    saveOriginalFile: options.saveOriginalFile ?? true,
    mediaMode: mediaMode(options.mediaMode),
    concurrency: positiveInteger(options.concurrency ?? DEFAULT_CONCURRENCY, 'concurrency'),
    hookConcurrency: positiveInteger(options.hookConcurrency ?? 1, 'hookConcurrency'),
    downloadConcurrency: positiveInteger(options.downloadConcurrency ?? DEFAULT_DOWNLOAD_CONCURRENCY, 'downloadConcurrency'),
    maxErrors: options.maxErrors === undefined ? Infinity : nonNegativeInteger(options.maxErrors, 'maxErrors'),
  };
}

/** The last stage: hands every record to `settle`. */
function settleRest(settle: (record: ExportRecord) => void): Writable {
  return new Writable({
    objectMode: true,
    highWaterMark: 16,
    write(record: ExportRecord, _encoding, callback) {
      settle(record);
      callback();
    },
  });
}

/** The name an item failed under, for the error list: its JSON name, else what it would have been. */
function describe(record: ExportRecord, exporter: Pick<BaseExporter, 'getOriginalFileName'>): string {
  if (record.names !== undefined) return record.names.jsonFileName;
  const item = record.item as ExportItem | null;
  const raw = item?.files ? exporter.getOriginalFileName(item.files) : undefined;
  if (raw !== undefined) return `${splitExtension(safeFileName(raw, 'item')).stem}.json`;
  return record.id === undefined ? `item ${record.index}` : `item ${String(record.id)}`;
}

/** What stopped an export, as a typed error: the abort's own reason when it gave one. */
function asExportError(error: unknown, signal: AbortSignal): ExportError {
  if (error instanceof ExportError) return error;
  if (signal.aborted) {
    if (signal.reason instanceof ExportError) return signal.reason;
    return new ExportError('the export was cancelled', { code: ErrorCode.ABORTED, cause: error });
  }
  return new ExportError(messageOf(error), { code: ErrorCode.FLUSH_FAILED, cause: error });
}
