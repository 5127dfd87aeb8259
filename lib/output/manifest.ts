import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import type { Counts } from '../types.js';
import type { MetricsRecord } from '../run/events.js';
import type { ExportOutput } from './export-output.js';

export const MANIFEST_FILE = 'export_manifest.json';
export const MANIFEST_VERSION = 1;

/** Everything the manifest says besides its file list. */
export interface ManifestSummary {
  tool: { name: string; version: string };
  name: string;
  /** True only when every item went through and the flush succeeded. */
  complete: boolean;
  /** Why an incomplete export stopped. */
  stopped: { code: string; message: string } | null;
  started_at: string;
  finished_at: string;
  duration_ms: number;
  counts: Counts;
  metrics: Record<string, MetricsRecord>;
  /** Failed files by list; the messages are in `error_file_list.json`. */
  errors: { json_file_name: number; origin_file_name: number; file: string | null };
}

export interface Manifest extends ManifestSummary {
  manifest_version: number;
  /** `part`: the archive part holding the file, when the archive is split. */
  files: Array<{ path: string; size: number; sha256: string; part?: string }>;
}

/**
 * Writes `export_manifest.json`: the summary, then every file recorded by the output, streamed
 * from its spool so a million-file manifest never sits in memory. Written to a temporary name and
 * renamed last, so a manifest under its final name means the export is complete.
 */
export async function writeManifest(output: ExportOutput, summary: ManifestSummary): Promise<void> {
  // Files still on their way into an archive are listed too.
  await output.settlePending();
  const final = output.resolve(MANIFEST_FILE);
  const temporary = `${final}.partial`;
  const file = createWriteStream(temporary, { flags: 'wx' });
  const failed = once(file, 'error').then(([error]) => {
    throw error as Error;
  });
  const write = async (text: string): Promise<void> => {
    if (!file.write(text)) await Promise.race([once(file, 'drain'), failed]);
  };
  try {
    const header = JSON.stringify({ manifest_version: MANIFEST_VERSION, ...summary }, null, 4);
    await write(`${header.slice(0, -2)},\n    "files": [`);
    let first = true;
    for await (const batch of output.recordedFiles()) {
      let text = '';
      for (const entry of batch) {
        text += `${first ? '' : ','}\n        ${JSON.stringify(entry)}`;
        first = false;
      }
      await write(text);
    }
    await write(first ? ']\n}\n' : '\n    ]\n}\n');
    file.end();
    await Promise.race([once(file, 'close'), failed]);
    await rename(temporary, final);
  } catch (error) {
    file.destroy();
    await rm(temporary, { force: true });
    throw error;
  }
}

/** sha256 of a whole buffer, hex: the manifest's checksum. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
