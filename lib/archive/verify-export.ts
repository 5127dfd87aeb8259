import { createHash } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import { access, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { ErrorCode, ExportError, messageOf } from '../errors.js';
import { MANIFEST_FILE, type Manifest } from '../output/manifest.js';
import { Spool } from '../output/spool.js';
import { parseJsonArray } from '../sources/json-array.js';
import { SourceFailure } from '../sources/source-failure.js';
import { walkTree } from '../walk-tree.js';
import { readZipEntries } from './zip-reader.js';

type ManifestFile = Manifest['files'][number];

/** A file found in the export: its size and sha256, or why it could not be read. */
interface FoundFile {
  path: string;
  size?: number;
  sha256?: string;
  /** The archive part it was found in. */
  part?: string;
  error?: string;
}

/** A file whose content does not match the manifest. */
export interface CorruptFile {
  path: string;
  /** What differs: the size, the sha256, the part holding it, or why it could not be read. */
  reason: string;
}

/** What `verifyExport` found. `ok` only when every listed file is there, intact, and nothing else is. */
export interface VerifyReport {
  /** The export folder, or the archive files (every part of a split archive). */
  checked: string[];
  /** Files the manifest lists. */
  expected: number;
  missing: string[];
  extra: string[];
  corrupt: CorruptFile[];
  ok: boolean;
}

const PART_NAME = /^(.*)\.part\d{3}\.zip$/i;

/**
 * Checks an export against its `export_manifest.json`: every listed file present with its size
 * and sha256, and no file the manifest does not list. `target` is an export folder, a `.zip`, or
 * any part of a split archive (all its parts are checked). Rejects with ARCHIVE_INVALID when
 * there is no readable manifest or the archive itself cannot be read.
 */
export async function verifyExport(target: string): Promise<VerifyReport> {
  const info = await stat(target).catch((error: unknown) => {
    throw new ExportError(`Cannot verify ${target}: ${messageOf(error)}`, { code: ErrorCode.ARCHIVE_INVALID, fileName: target, cause: error });
  });
  return info.isDirectory() ? verifyFolder(target) : verifyArchive(target);
}

async function verifyFolder(root: string): Promise<VerifyReport> {
  const manifestPath = join(root, MANIFEST_FILE);
  await access(manifestPath, constants.R_OK).catch((error: unknown) => {
    throw new ExportError(`${root} has no readable ${MANIFEST_FILE} (the export did not finish, or this is not an export): ${messageOf(error)}`, {
      code: ErrorCode.ARCHIVE_INVALID,
      fileName: manifestPath,
      cause: error,
    });
  });
  return withScratch(async (scratch) => {
    const expected = await spoolManifest(createReadStream(manifestPath), manifestPath, scratch);
    const found = new Spool<FoundFile>(join(scratch, 'found.jsonl'), { compare: byPath });
    for await (const entry of walkTree(root)) {
      if (entry.directory || entry.path === MANIFEST_FILE) continue;
      found.append({ path: entry.path, ...(await digest(createReadStream(entry.absolute))) });
    }
    return compareSorted([root], expected, found);
  });
}

async function verifyArchive(path: string): Promise<VerifyReport> {
  const parts = await partsOf(path);
  return withScratch(async (scratch) => {
    let expected: Spool<ManifestFile> | undefined;
    const found = new Spool<FoundFile>(join(scratch, 'found.jsonl'), { compare: byPath });
    for (const part of parts) {
      for await (const entry of readZipEntries(part)) {
        if (entry.name === MANIFEST_FILE) {
          expected = await spoolManifest(await entry.open(), `${part}: ${MANIFEST_FILE}`, scratch);
          continue;
        }
        try {
          found.append({ path: entry.name, ...(await digest(await entry.open())), part: basename(part) });
        } catch (error) {
          found.append({ path: entry.name, part: basename(part), error: `cannot be read from ${basename(part)}: ${messageOf(error)}` });
        }
      }
    }
    if (expected === undefined) {
      throw new ExportError(`${parts.join(', ')} holds no ${MANIFEST_FILE}: the archive is incomplete or not an export`, {
        code: ErrorCode.ARCHIVE_INVALID,
        fileName: parts[parts.length - 1],
      });
    }
    return compareSorted(parts, expected, found);
  });
}

/** The archive's files: itself, or every `<name>.partNNN.zip` beside it when it is a part. */
async function partsOf(path: string): Promise<string[]> {
  const match = PART_NAME.exec(basename(path));
  if (match === null) return [path];
  const stem = match[1]!;
  const names = await readdir(dirname(path));
  return names
    .filter((name) => PART_NAME.exec(name)?.[1] === stem)
    .sort()
    .map((name) => join(dirname(path), name));
}

/**
 * The manifest's file list, streamed into a spool sorted by path: a million-file manifest is
 * never parsed whole.
 */
async function spoolManifest(input: Readable, where: string, scratch: string): Promise<Spool<ManifestFile>> {
  const files = new Spool<ManifestFile>(join(scratch, 'manifest.jsonl'), { compare: byPath });
  let text = '';
  const kept = async function* (): AsyncGenerator<Buffer> {
    for await (const chunk of input) {
      // Enough of the start to tell "no files list" from an empty one, below.
      if (text.length < 4096) text += (chunk as Buffer).toString('utf8');
      yield chunk as Buffer;
    }
  };
  for await (const value of parseJsonArray(kept(), where, { key: 'files' })) {
    if (value instanceof SourceFailure) throw invalidManifest(where, value.message);
    const file = value as Partial<ManifestFile>;
    if (typeof file.path !== 'string' || typeof file.size !== 'number' || typeof file.sha256 !== 'string') {
      throw invalidManifest(where, `files[${files.size}] is not {path, size, sha256}`);
    }
    files.append(file as ManifestFile);
  }
  if (files.size === 0 && !/"files"\s*:\s*\[/.test(text)) throw invalidManifest(where, 'it has no "files" list');
  return files;
}

function invalidManifest(where: string, reason: string): ExportError {
  return new ExportError(`${where} is not a valid manifest: ${reason}`, { code: ErrorCode.ARCHIVE_INVALID, fileName: where });
}

/**
 * Walks the manifest's files and the files found side by side, both sorted by path: each file is
 * either missing, extra, or compared. Only the problems are kept.
 */
async function compareSorted(checked: string[], expected: Spool<ManifestFile>, found: Spool<FoundFile>): Promise<VerifyReport> {
  const report: VerifyReport = { checked, expected: expected.size, missing: [], extra: [], corrupt: [], ok: false };
  const wants = expected.values();
  const haves = found.values();
  let want = await wants.next();
  let have = await haves.next();
  let previous: FoundFile | undefined;
  while (!want.done || !have.done) {
    if (!have.done && previous !== undefined && have.value.path === previous.path) {
      report.corrupt.push({ path: have.value.path, reason: `appears twice in the archive (again in ${have.value.part ?? 'the same part'})` });
      have = await haves.next();
    } else if (have.done || (!want.done && want.value.path < have.value.path)) {
      report.missing.push(want.value!.path);
      want = await wants.next();
    } else if (want.done || have.value.path < want.value.path) {
      report.extra.push(have.value.path);
      previous = have.value;
      have = await haves.next();
    } else {
      const problem = difference(want.value, have.value);
      if (problem !== undefined) report.corrupt.push({ path: have.value.path, reason: problem });
      previous = have.value;
      want = await wants.next();
      have = await haves.next();
    }
  }
  report.ok = report.missing.length === 0 && report.extra.length === 0 && report.corrupt.length === 0;
  return report;
}

/** What differs between a listed file and the file found, if anything. */
function difference(want: ManifestFile, have: FoundFile): string | undefined {
  if (have.error !== undefined) return have.error;
  if (have.size !== want.size) return `size ${have.size}, manifest says ${want.size}`;
  if (want.part !== undefined && want.part !== have.part) return `found in ${have.part}, manifest says ${want.part}`;
  if (have.sha256 !== want.sha256) return `sha256 ${have.sha256}, manifest says ${want.sha256}`;
  return undefined;
}

/** Runs `task` with a scratch folder for the spools, removed afterwards (nothing is written into the export). */
async function withScratch<T>(task: (scratch: string) => Promise<T>): Promise<T> {
  const scratch = await mkdtemp(join(tmpdir(), 'synapse-export-verify-'));
  try {
    return await task(scratch);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

const byPath = (a: { path: string }, b: { path: string }): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

async function digest(stream: Readable): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, sha256: hash.digest('hex') };
}
