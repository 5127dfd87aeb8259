import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { readFile, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ErrorCode, ExportError, messageOf } from '../errors.js';
import { IndexSet } from '../index-set.js';
import { ERROR_LIST_FILE } from '../output/error-list.js';
import { WORK_DIRECTORY, type ExportOutput } from '../output/export-output.js';
import { ExportJournal, JOURNAL_FILE, type JournalEntry } from '../output/journal.js';
import { MANIFEST_FILE } from '../output/manifest.js';
import { walkTree } from '../walk-tree.js';
import type { ExportContext } from './context.js';

/** Items an earlier run of this export saved, by position in the source. */
export interface ResumedItems {
  done: IndexSet;
  failed: IndexSet;
}

/** Files checked at once while a journal is replayed. */
const CHECK_CONCURRENCY = 64;

/**
 * Throws `ERR_RESUME_REFUSED` when `exporter` cannot continue the export in `directory` (see
 * `BaseExporter.resumable`). The CLI asks before a format's pre-pass over the input.
 */
export function refuseUnresumable(exporter: { readonly resumable: boolean }, directory: string): void {
  if (exporter.resumable) return;
  const at = resolve(directory);
  throw new ExportError(`cannot resume ${at} with ${exporter.constructor.name}: its dataset-wide files would lack the items already saved; export again instead`, {
    code: ErrorCode.RESUME_REFUSED,
    fileName: at,
  });
}

/**
 * Makes an interrupted export directory ready to continue, and refuses one that cannot be: what
 * the stopped run wrote last (manifest, error list, work folder, partial files) is removed.
 * Throws `ERR_RESUME_REFUSED` for a folder that is not an interrupted export.
 */
export async function checkResumable(directory: string): Promise<void> {
  const refuse = (why: string): ExportError => new ExportError(`cannot resume ${directory}: ${why}`, { code: ErrorCode.RESUME_REFUSED, fileName: directory });
  const journal = await stat(join(directory, JOURNAL_FILE)).catch(() => undefined);
  if (journal === undefined) {
    const manifest = await readFile(join(directory, MANIFEST_FILE), 'utf8').catch(() => undefined);
    if (manifest !== undefined && (JSON.parse(manifest) as { complete?: boolean }).complete === true) throw refuse('the export is already complete');
    throw refuse(`it has no ${JOURNAL_FILE} (is it an export directory?)`);
  }
  await Promise.all([MANIFEST_FILE, ERROR_LIST_FILE, WORK_DIRECTORY].map((name) => rm(join(directory, name), { recursive: true, force: true })));
  await removePartialFiles(directory);
}

/**
 * Replays the journal of an interrupted export (made ready by `checkResumable`): every entry whose
 * files are all still there with their recorded size counts as done (its files, failures and
 * metrics go back into this run's manifest, error list and metrics); the others will be saved
 * again. The journal is rewritten with the entries kept, so it never lists an item twice.
 */
export async function replayJournal(ctx: ExportContext): Promise<ResumedItems> {
  const root = ctx.uniqueExportPath;

  const done = new IndexSet();
  const failed = new IndexSet();
  const journalPath = join(root, JOURNAL_FILE);
  const compacted = createWriteStream(`${journalPath}.compacting`);
  let batch: JournalEntry[] = [];
  const keepValid = async (): Promise<void> => {
    const valid = await Promise.all(batch.map((entry) => filesIntact(ctx.output, entry)));
    let text = '';
    batch.forEach((entry, i) => {
      if (!valid[i] || done.has(entry.i)) return;
      done.add(entry.i);
      if (entry.status === 'failed') failed.add(entry.i);
      for (const file of entry.files) ctx.output.record(file.path, file);
      for (const [name, message] of entry.errors.json) ctx.errors.addJson(name, message);
      for (const [name, message] of entry.errors.origin) ctx.errors.addOrigin(name, message);
      for (const [category, status] of Object.entries(entry.metrics)) ctx.metrics.replay(category, status);
      text += `${JSON.stringify(entry)}\n`;
    });
    batch = [];
    if (text !== '' && !compacted.write(text)) await once(compacted, 'drain');
  };
  try {
    for await (const entry of ExportJournal.read(journalPath)) {
      batch.push(entry);
      if (batch.length >= CHECK_CONCURRENCY) await keepValid();
    }
    await keepValid();
    compacted.end();
    await once(compacted, 'close');
    await rename(`${journalPath}.compacting`, journalPath);
  } catch (error) {
    compacted.destroy();
    throw new ExportError(`cannot read the journal of ${root}: ${messageOf(error)}`, { code: ErrorCode.RESUME_REFUSED, cause: error });
  }
  return { done, failed };
}

async function filesIntact(output: ExportOutput, entry: JournalEntry): Promise<boolean> {
  // A staged file comes first: it replaces the one under its final name when published.
  const sizes = await Promise.all(entry.files.map(async (file) => (await output.locate(file.path)).size));
  return entry.files.every((file, i) => sizes[i] === file.size);
}

/** Temporary files a crash left behind: none of them is part of the export. */
async function removePartialFiles(root: string): Promise<void> {
  for await (const entry of walkTree(root)) {
    if (!entry.directory && entry.path.endsWith('.partial')) await rm(entry.absolute, { force: true });
  }
}
