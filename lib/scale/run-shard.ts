import { rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCode, ExportError } from '../errors.js';
import { Exporter } from '../exporter/base-exporter.js';
import { ExportIncompleteError } from '../exporter/export-incomplete-error.js';
import { runExport } from '../exporter/run-export.js';
import { readShardNames } from './read-plan.js';
import { ERROR_LIST_FILE } from '../output/error-list.js';
import { JOURNAL_FILE } from '../output/journal.js';
import { MANIFEST_FILE, type Manifest } from '../output/manifest.js';
import type { Reporter } from '../run/reporter.js';
import { SHARD_STATE_DIRECTORY, shardLabel, type ShardPlan } from './shard-plan.js';
import { shardSource } from './shard-source.js';
import { FORMAT_PART_FILE, shardFormatExporter } from './shard-format.js';
import type { ShardStore } from './shard-store.js';
import type { Counts } from '../types.js';
import { makeDirectory } from '../make-directory.js';

export interface RunShardOptions {
  /** Local folder shards are staged in before upload. */
  stagingDirectory: string;
  reporters?: readonly Reporter[];
  signal?: AbortSignal;
}

export interface ShardOutcome {
  shard: number;
  counts: Counts;
  /** True when the shard's manifest was already in storage: nothing was exported again. */
  skipped: boolean;
}

/** Where a shard's manifest and error list are kept until the fan-in. */
export function shardStatePath(shard: number, file: string): string {
  return `${SHARD_STATE_DIRECTORY}/${shardLabel(shard)}/${file}`;
}

/**
 * Runs one shard: the ordinary export over its slice, into a local staging folder, then its files
 * to the export's folder in storage and, last, its manifest and error list to `_shards/<shard>/`:
 * a shard manifest in storage means the shard is finished, and such a shard is never run again.
 *
 * A shard run twice (a killed worker's job retried elsewhere) writes the same keys with the same
 * bytes, since names come from the plan, never from timing. Retried on the machine that staged
 * it, the shard resumes from its journal; elsewhere it starts over from its first item.
 */
export async function runShard(plan: ShardPlan, shard: number, store: ShardStore, options: RunShardOptions): Promise<ShardOutcome> {
  const range = plan.shards[shard];
  if (range === undefined) throw new ExportError(`export ${plan.exportId} has no shard ${shard}`, { code: ErrorCode.SHARD_FAILED });
  const done = await store.getJson<Manifest>(shardStatePath(shard, MANIFEST_FILE));
  if (done !== undefined) return { shard, counts: done.counts, skipped: true };

  const staging = join(options.stagingDirectory, plan.exportId, shardLabel(shard));
  const exportDirectory = join(staging, plan.spec.name);
  // The shard's manifest, error list and format part are its state, not export files: they go to
  // _shards/, last. Kept beside the staging folder, so no export name can clash with it.
  const state = `${staging}.state`;
  const training = plan.spec.training;
  const exporter = training === undefined ? new Exporter() : shardFormatExporter(training, join(state, FORMAT_PART_FILE));
  // A format's writer keeps dataset-wide state in memory, which a resumed run would not have: such a shard starts over.
  const resumable = exporter.resumable && (await stat(join(exportDirectory, JOURNAL_FILE)).then(() => true, () => false));
  if (!resumable) await rm(staging, { recursive: true, force: true });
  await rm(state, { recursive: true, force: true });
  await makeDirectory(staging);
  await makeDirectory(state);
  let counts: Counts;
  try {
    const result = await runExport({
      exporter,
      source: shardSource(plan.spec, range),
      output: resumable ? undefined : staging,
      name: resumable ? undefined : plan.spec.name,
      ...(resumable ? { resume: exportDirectory } : {}),
      naming: await readShardNames(store, shard),
      total: range.count,
      saveOriginalFile: plan.spec.saveOriginalFile,
      concurrency: plan.spec.concurrency,
      downloadConcurrency: plan.spec.downloadConcurrency,
      download: plan.spec.download,
      reporters: options.reporters ?? [],
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    counts = result.counts;
  } catch (error) {
    // A stopped shard keeps its journal for the retry; anything else starts over.
    if (!(error instanceof ExportIncompleteError)) await rm(staging, { recursive: true, force: true });
    throw error;
  }
  await rename(join(exportDirectory, MANIFEST_FILE), join(state, MANIFEST_FILE));
  await rename(join(exportDirectory, ERROR_LIST_FILE), join(state, ERROR_LIST_FILE)).catch(() => undefined);
  await store.upload(exportDirectory);
  await store.upload(state, `${SHARD_STATE_DIRECTORY}/${shardLabel(shard)}`);
  await Promise.all([rm(staging, { recursive: true, force: true }), rm(state, { recursive: true, force: true })]);
  return { shard, counts, skipped: false };
}
