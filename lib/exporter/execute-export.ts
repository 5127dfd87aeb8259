import { resolve } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ErrorCode, ExportError, messageOf } from '../errors.js';
import { NameAllocator } from '../naming/name-allocator.js';
import { reserveExportDirectory } from '../naming/export-directory.js';
import { splitExtension, safeFileName } from '../naming/safe-name.js';
import { ErrorList, ERROR_LIST_FILE } from '../output/error-list.js';
import { ExportOutput } from '../output/export-output.js';
import { mediaMode, type MediaMode } from '../output/fs-worker-pool.js';
import { MANIFEST_FILE, writeManifest } from '../output/manifest.js';
import { createLimiter } from '../pipeline/limiter.js';
import { stage } from '../pipeline/stage.js';
import { windowed } from '../pipeline/window.js';
import { LogCode } from '../run/log-codes.js';
import type { Reporter } from '../run/reporter.js';
import type { DownloadOptions } from '../sinks/download.js';
import { toItemSource, type SourceInput } from '../sources/item-source.js';
import { SourceFailure } from '../sources/source-failure.js';
import type { Counts, ExportItem, ExportRecord } from '../types.js';
import { nonBlank, positiveInteger } from '../validate.js';
import { VERSION } from '../version.js';
import type { BaseExporter } from './base-exporter.js';
import type { ExportContext, NamedRecord } from './context.js';
import { FileMetrics } from './file-metrics.js';

export interface RunOptions {
  /** Export items: a file/stream source, a Readable, or any (async) iterable. */
  source: SourceInput | undefined;
  /** Folder the export directory is created in. */
  output: string | undefined;
  /** Export directory name; `name(1)`, `name(2)`… when taken. */
  name: string | undefined;
  /** Save original media to `origin_files/`. Default true. */
  saveOriginalFile?: boolean | undefined;
  /** Items being saved at once: the window that bounds memory. Default 16. */
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
}

/**
 * The one export engine: builds the stream pipeline from an exporter's hooks and runs it.
 * `BaseExporter.export()` and `runExport()` both come here.
 */
export async function executeExport<TItem extends ExportItem>(
  exporter: BaseExporter<TItem>,
  options: RunOptions,
): Promise<ExportResult> {
  const startedAt = new Date();
  const settings = checkOptions(options);
  const run = exporter.run;
  const reporters = options.reporters ?? [];
  for (const reporter of reporters) reporter.attach(run);
  const abort = new AbortController();
  const onAbort = (): void => abort.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  let output: ExportOutput | undefined;
  let errors: ErrorList | undefined;
  try {
    const source = toItemSource(settings.source);
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

    const uniqueExportPath = await reserveExportDirectory(settings.exportPath, settings.name);
    output = new ExportOutput(uniqueExportPath);
    errors = new ErrorList(output);
    run.logMessage('Starting export process.');
    const paths = await exporter.setupOutputDirectories(uniqueExportPath, settings.saveOriginalFile);
    const ctx: ExportContext = {
      run,
      params: exporter.params,
      output,
      exportPath: settings.exportPath,
      uniqueExportPath,
      saveOriginalFile: settings.saveOriginalFile,
      mediaMode: settings.mediaMode,
      paths: paths ?? {},
      errors,
      metrics: new FileMetrics(run, () => total),
      baseDirectory: source.baseDirectory ?? process.cwd(),
      download: options.download ?? {},
      limitDownloads: createLimiter(settings.downloadConcurrency, 'downloadConcurrency'),
      signal: abort.signal,
    };

    const counts: Counts = { total: 0, success: 0, failed: 0, skipped: 0 };
    const names = new NameAllocator();
    const hook = (name: 'beforeConvert' | 'convertData' | 'afterConvert') =>
      stage<TItem, TItem>((item) => exporter[name](item, ctx), { name, concurrency: settings.hookConcurrency });

    run.setProgress(0, total, 'dataset_conversion');
    await pipeline(
      Readable.from(toRecords(source.items(), () => run.logMessage('Converting dataset.'))),
      hook('beforeConvert'),
      hook('convertData'),
      hook('afterConvert'),
      stage<TItem, TItem>(
        (item, record) => {
          const fallback = record.id === undefined ? `item-${record.index}` : `item-${String(record.id)}`;
          record.names = names.allocate(exporter.getOriginalFileName(item.files ?? {}) ?? fallback, fallback);
          return item;
        },
        { name: 'naming' },
      ),
      windowed<TItem>(
        async (record) => {
          const saved = await exporter.processFileSaving(record as NamedRecord<TItem>, ctx);
          record.status = saved ? 'success' : 'failed';
        },
        { window: settings.concurrency },
      ),
      tally(counts, (record) => {
        if (record.status === 'failed' && record.failure !== undefined) {
          errors!.addJson(describe(record, exporter), `${record.failure.step}: ${record.failure.message}`);
        }
        run.setProgress(counts.total, total === undefined ? undefined : Math.max(total, counts.total), 'dataset_conversion');
      }),
      { signal: abort.signal },
    );

    ctx.metrics.finish();
    run.setProgress(counts.total, counts.total, 'dataset_conversion');
    run.flush();
    await exporter.additionalFileSaving(uniqueExportPath, ctx);
    run.endLog();
    const wroteErrors = await errors.writeTo(output);
    const finishedAt = new Date();
    await writeManifest(output, {
      tool: { name: 'synapse-export', version: VERSION },
      name: settings.name,
      started_at: startedAt.toISOString(),
      finished_at: finishedAt.toISOString(),
      duration_ms: finishedAt.getTime() - startedAt.getTime(),
      counts,
      metrics: ctx.metrics.snapshot(),
      errors: { ...errors.counts, file: wroteErrors ? ERROR_LIST_FILE : null },
    });
    return {
      exportPath: settings.exportPath,
      uniqueExportPath,
      counts,
      durationMs: finishedAt.getTime() - startedAt.getTime(),
      errorListPath: wroteErrors ? output.resolve(ERROR_LIST_FILE) : null,
      manifestPath: output.resolve(MANIFEST_FILE),
    };
  } catch (error) {
    const failure = asExportError(error, abort.signal);
    run.logMessageWithCode(LogCode.EXPORT_FAILED, [failure.message]);
    throw failure;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    run.flush();
    await Promise.allSettled([errors?.dispose(), output?.dispose()]);
    await Promise.allSettled(reporters.map((reporter) => reporter.close?.()));
  }
}

interface Settings {
  source: SourceInput;
  exportPath: string;
  name: string;
  saveOriginalFile: boolean;
  mediaMode: MediaMode;
  concurrency: number;
  hookConcurrency: number;
  downloadConcurrency: number;
}

function checkOptions(options: RunOptions): Settings {
  if (options.source === undefined) throw new ExportError('no source of export items was given', { code: ErrorCode.INVALID_OPTION });
  if (options.output === undefined) throw new ExportError('no output folder was given', { code: ErrorCode.INVALID_OPTION });
  return {
    source: options.source,
    exportPath: resolve(options.output),
    name: nonBlank(options.name ?? '', 'name'),
    // The reference drops this default when the param is omitted (§16.2); here omitted means true.
    saveOriginalFile: options.saveOriginalFile ?? true,
    mediaMode: mediaMode(options.mediaMode),
    concurrency: positiveInteger(options.concurrency ?? 16, 'concurrency'),
    hookConcurrency: positiveInteger(options.hookConcurrency ?? 1, 'hookConcurrency'),
    downloadConcurrency: positiveInteger(options.downloadConcurrency ?? 8, 'downloadConcurrency'),
  };
}

/** Turns what a source yields into records; unreadable entries become failed records. */
async function* toRecords(entries: AsyncIterable<unknown> | Iterable<unknown>, onFirst: () => void): AsyncGenerator<ExportRecord> {
  let index = 0;
  for await (const entry of entries) {
    index += 1;
    if (index === 1) onFirst();
    if (entry instanceof SourceFailure) {
      yield failed(index, undefined, ErrorCode.SOURCE_PARSE, `${entry.location}: ${entry.message}`, 'source');
    } else if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      yield failed(index, undefined, ErrorCode.ITEM_INVALID, `item ${index} is not an object`, 'source');
    } else {
      const id = (entry as { id?: unknown }).id;
      if (typeof id !== 'string' && typeof id !== 'number') {
        yield failed(index, undefined, ErrorCode.ITEM_INVALID, `item ${index} has no id (a string or number)`, 'source');
      } else {
        yield { index, id, item: entry as ExportItem, status: 'pending' };
      }
    }
  }
}

function failed(index: number, id: ExportRecord['id'], code: string, message: string, step: string): ExportRecord {
  return { index, id, item: null, status: 'failed', failure: { code, message, step } };
}

/** The last stage: counts every record once and hands it to `settle`. */
function tally(counts: Counts, settle: (record: ExportRecord) => void): Writable {
  return new Writable({
    objectMode: true,
    highWaterMark: 16,
    write(record: ExportRecord, _encoding, callback) {
      counts.total += 1;
      if (record.status === 'success') counts.success += 1;
      else if (record.status === 'failed') counts.failed += 1;
      else counts.skipped += 1;
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

function asExportError(error: unknown, signal: AbortSignal): ExportError {
  if (signal.aborted) {
    return new ExportError('the export was cancelled; its directory is incomplete (no manifest)', {
      code: ErrorCode.ABORTED,
      cause: error,
    });
  }
  if (error instanceof ExportError) return error;
  return new ExportError(messageOf(error), { code: ErrorCode.FLUSH_FAILED, cause: error });
}
