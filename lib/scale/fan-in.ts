import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCode, ExportError } from '../errors.js';
import { Exporter, type BaseExporter } from '../exporter/base-exporter.js';
import type { ExportContext } from '../exporter/context.js';
import { FileMetrics } from '../exporter/file-metrics.js';
import { ErrorList, ERROR_LIST_FILE, type ErrorEntry } from '../output/error-list.js';
import { ExportOutput } from '../output/export-output.js';
import { MANIFEST_FILE, writeManifest, type Manifest } from '../output/manifest.js';
import { createLimiter } from '../pipeline/limiter.js';
import type { MetricsRecord } from '../run/events.js';
import { ExportRun } from '../run/export-run.js';
import type { Counts } from '../types.js';
import { VERSION } from '../version.js';
import { shardStatePath } from './run-shard.js';
import { FORMAT_PART_FILE, shardFormatExporter } from './shard-format.js';
import { FormatExporter } from '../../formats/shared/format-exporter.js';
import { SHARD_STATE_DIRECTORY, type ShardPlan } from './shard-plan.js';
import type { ShardStore } from './shard-store.js';
import { makeDirectory } from '../make-directory.js';

export interface FanInResult {
  counts: Counts;
  /** `s3://bucket/key` of the finished export. */
  uri: string;
  /** Whether an `error_file_list.json` was written. */
  wroteErrors: boolean;
  durationMs: number;
}

export interface FanInOptions {
  stagingDirectory: string;
  /** Runs `additionalFileSaving` once over the merged export. Default: `Exporter` (writes nothing). */
  exporter?: BaseExporter;
}

/**
 * The fan-in, run once every shard has finished: merges the shard manifests into the export's
 * `export_manifest.json` (files sorted, counts and metrics summed) and their error lists into
 * `error_file_list.json` (sorted, as a single run writes it), runs `additionalFileSaving` once,
 * uploads those files (the manifest last) and then removes the shard state. An export whose
 * manifest is already in storage is left as it is.
 */
export async function fanIn(plan: ShardPlan, store: ShardStore, options: FanInOptions): Promise<FanInResult> {
  const finished = await store.getJson<Manifest>(MANIFEST_FILE);
  if (finished !== undefined) {
    await store.deleteFolder(SHARD_STATE_DIRECTORY);
    return { counts: finished.counts, uri: store.uri, wroteErrors: finished.errors.file !== null, durationMs: finished.duration_ms };
  }

  const directory = join(options.stagingDirectory, plan.exportId, 'fan-in', plan.spec.name);
  await rm(directory, { recursive: true, force: true });
  await makeDirectory(directory);
  const output = new ExportOutput(directory);
  const errors = new ErrorList(output);
  const run = new ExportRun();
  try {
    const counts: Counts = { total: 0, success: 0, failed: 0, skipped: 0 };
    const metrics: Record<string, MetricsRecord> = {};
    for (const range of plan.shards) {
      const manifest = await store.getJson<Manifest>(shardStatePath(range.shard, MANIFEST_FILE));
      if (manifest === undefined) {
        throw new ExportError(`shard ${range.shard} of export ${plan.exportId} has no manifest in ${store.uri}: it has not finished`, { code: ErrorCode.SHARD_FAILED });
      }
      for (const file of manifest.files) if (file.path !== ERROR_LIST_FILE) output.record(file.path, { size: file.size, sha256: file.sha256 });
      for (const key of ['total', 'success', 'failed', 'skipped'] as const) counts[key] += manifest.counts[key];
      addMetrics(metrics, manifest.metrics);
      if (manifest.errors.file !== null) {
        const list = await store.getJson<{ json_file_name: ErrorEntry[]; origin_file_name: ErrorEntry[] }>(shardStatePath(range.shard, ERROR_LIST_FILE));
        if (list === undefined) throw new ExportError(`shard ${range.shard} lists an error file that is not in ${store.uri}`, { code: ErrorCode.SHARD_FAILED });
        for (const [name, message] of list.json_file_name) errors.addJson(name, message);
        for (const [name, message] of list.origin_file_name) errors.addOrigin(name, message);
      }
    }
    const training = plan.spec.training;
    const exporter = options.exporter ?? (training === undefined ? new Exporter({ run }) : shardFormatExporter(training));
    // `datasetPath`: files that name the dataset's folder (YOLO's dataset.yaml) name the store's, not staging.
    const ctx = { ...fanInContext(plan, output, errors, exporter.run, directory, counts.total), datasetPath: store.uri };
    if (training !== undefined && exporter instanceof FormatExporter) await absorbFormatParts(plan, store, exporter, ctx);
    await exporter.additionalFileSaving(directory, ctx);
    const wroteErrors = await errors.writeTo(output);
    const finishedAt = new Date();
    const startedAt = new Date(plan.createdAt);
    await writeManifest(output, {
      tool: { name: 'synapse-export', version: VERSION },
      name: plan.spec.name,
      complete: true,
      stopped: null,
      started_at: startedAt.toISOString(),
      finished_at: finishedAt.toISOString(),
      duration_ms: finishedAt.getTime() - startedAt.getTime(),
      counts,
      metrics,
      errors: { ...errors.counts, file: wroteErrors ? ERROR_LIST_FILE : null },
    });
    // The spools' work folder goes before the upload, so only export files are sent.
    await Promise.all([errors.dispose(), output.dispose()]);
    await store.upload(directory);
    await store.deleteFolder(SHARD_STATE_DIRECTORY);
    return { counts, uri: store.uri, wroteErrors, durationMs: finishedAt.getTime() - startedAt.getTime() };
  } finally {
    await Promise.allSettled([errors.dispose(), output.dispose()]);
    await rm(join(options.stagingDirectory, plan.exportId), { recursive: true, force: true });
  }
}

/** Each shard's part of the format's dataset-wide files, in shard (= source) order. */
async function absorbFormatParts(plan: ShardPlan, store: ShardStore, exporter: FormatExporter<unknown>, ctx: ExportContext): Promise<void> {
  for (const range of plan.shards) {
    const part = await store.getJson<unknown>(shardStatePath(range.shard, FORMAT_PART_FILE));
    if (part === undefined) throw new ExportError(`shard ${range.shard} has no ${FORMAT_PART_FILE} in ${store.uri}: it was exported without --format ${plan.spec.training!.name}`, { code: ErrorCode.SHARD_FAILED });
    await exporter.absorbPart(part, ctx);
  }
}

function addMetrics(into: Record<string, MetricsRecord>, from: Record<string, MetricsRecord>): void {
  for (const [category, record] of Object.entries(from)) {
    const sum = (into[category] ??= { stand_by: 0, success: 0, failed: 0 });
    sum.stand_by += record.stand_by;
    sum.success += record.success;
    sum.failed += record.failed;
  }
}

/** The context `additionalFileSaving` gets in the fan-in: the merged output and error list. */
function fanInContext(plan: ShardPlan, output: ExportOutput, errors: ErrorList, run: ExportRun, directory: string, total: number): ExportContext {
  return {
    run,
    params: { name: plan.spec.name },
    output,
    exportPath: join(directory, '..'),
    uniqueExportPath: directory,
    saveOriginalFile: plan.spec.saveOriginalFile,
    mediaMode: 'copy',
    paths: {},
    errors,
    metrics: new FileMetrics(run, () => total),
    baseDirectory: join(plan.spec.input, '..'),
    download: plan.spec.download,
    limitDownloads: createLimiter(1, 'downloadConcurrency'),
    signal: new AbortController().signal,
  };
}
