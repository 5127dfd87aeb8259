import { createHash } from 'node:crypto';
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
 * from its spool so a million-file manifest never sits in memory. It is the export's last file
 * (`ExportOutput.writeLast`): under its final name only once whole, so a manifest there means the
 * export is over, and, when the export is complete, the archive's last entry.
 */
export async function writeManifest(output: ExportOutput, summary: ManifestSummary): Promise<void> {
  // Files still on their way into an archive are listed too.
  await output.settlePending();
  await output.writeLast(MANIFEST_FILE, manifestText(output, summary), summary.complete);
}

/**
 * Characters of the manifest handed on at a time. Under V8's large-object size (128 KB): a larger
 * string is born in the old generation and stays until a full collection; 550 KB pieces made a
 * 100k-item export's heap grow by 20 MB while it wrote its manifest.
 */
const TEXT_PIECE = 64 * 1024;

/** The manifest's text, in pieces of about `TEXT_PIECE` characters. */
async function* manifestText(output: ExportOutput, summary: ManifestSummary): AsyncGenerator<string> {
  const header = JSON.stringify({ manifest_version: MANIFEST_VERSION, ...summary }, null, 4);
  let text = `${header.slice(0, -2)},\n    "files": [`;
  let first = true;
  for await (const batch of output.recordedFiles()) {
    for (const entry of batch) {
      text += `${first ? '' : ','}\n        ${JSON.stringify(entry)}`;
      first = false;
      if (text.length >= TEXT_PIECE) {
        yield text;
        text = '';
      }
    }
  }
  yield `${text}${first ? ']\n}\n' : '\n    ]\n}\n'}`;
}

/** sha256 of a whole buffer, hex: the manifest's checksum. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
