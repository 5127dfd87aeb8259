import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { ErrorCode, ExportError, messageOf } from '../errors.js';
import { MANIFEST_FILE, type Manifest } from '../output/manifest.js';
import { readZipEntries } from './zip-reader.js';

type ManifestFile = Manifest['files'][number];

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
  const text = await readFile(manifestPath, 'utf8').catch((error: unknown) => {
    throw new ExportError(`${root} has no readable ${MANIFEST_FILE} (the export did not finish, or this is not an export): ${messageOf(error)}`, {
      code: ErrorCode.ARCHIVE_INVALID,
      fileName: manifestPath,
      cause: error,
    });
  });
  const expected = listed(parseManifest(text, manifestPath));
  const report = emptyReport([root], expected.size);
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = relative(root, join(entry.parentPath, entry.name)).split(sep).join('/');
    if (path === MANIFEST_FILE) continue;
    const want = expected.get(path);
    if (want === undefined) {
      report.extra.push(path);
      continue;
    }
    expected.delete(path);
    const file = join(root, path);
    const size = (await stat(file)).size;
    if (size !== want.size) report.corrupt.push({ path, reason: `size ${size}, manifest says ${want.size}` });
    else compare(report, path, want, (await digest(createReadStream(file))).sha256);
  }
  return finish(report, expected);
}

async function verifyArchive(path: string): Promise<VerifyReport> {
  const parts = await partsOf(path);
  let manifest: Manifest | undefined;
  const found = new Map<string, { size: number; sha256: string; part: string } | { error: string }>();
  for (const part of parts) {
    for await (const entry of readZipEntries(part)) {
      if (entry.name === MANIFEST_FILE) {
        manifest = parseManifest((await readAll(await entry.open())).toString('utf8'), `${part}: ${MANIFEST_FILE}`);
        continue;
      }
      if (found.has(entry.name)) {
        found.set(entry.name, { error: `appears twice in the archive (again in ${basename(part)})` });
        continue;
      }
      try {
        const { size, sha256 } = await digest(await entry.open());
        found.set(entry.name, { size, sha256, part: basename(part) });
      } catch (error) {
        found.set(entry.name, { error: `cannot be read from ${basename(part)}: ${messageOf(error)}` });
      }
    }
  }
  if (manifest === undefined) {
    throw new ExportError(`${parts.join(', ')} holds no ${MANIFEST_FILE}: the archive is incomplete or not an export`, {
      code: ErrorCode.ARCHIVE_INVALID,
      fileName: parts[parts.length - 1],
    });
  }
  const expected = listed(manifest);
  const report = emptyReport(parts, expected.size);
  for (const [name, actual] of found) {
    const want = expected.get(name);
    if (want === undefined) {
      report.extra.push(name);
      continue;
    }
    expected.delete(name);
    if ('error' in actual) report.corrupt.push({ path: name, reason: actual.error });
    else if (actual.size !== want.size) report.corrupt.push({ path: name, reason: `size ${actual.size}, manifest says ${want.size}` });
    else if (want.part !== undefined && want.part !== actual.part) report.corrupt.push({ path: name, reason: `found in ${actual.part}, manifest says ${want.part}` });
    else compare(report, name, want, actual.sha256);
  }
  return finish(report, expected);
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

function parseManifest(text: string, where: string): Manifest {
  try {
    const manifest = JSON.parse(text) as Manifest;
    if (!Array.isArray(manifest.files)) throw new Error('it has no "files" list');
    return manifest;
  } catch (error) {
    throw new ExportError(`${where} is not a valid manifest: ${messageOf(error)}`, { code: ErrorCode.ARCHIVE_INVALID, fileName: where, cause: error });
  }
}

function listed(manifest: Manifest): Map<string, ManifestFile> {
  return new Map(manifest.files.map((file) => [file.path, file]));
}

function emptyReport(checked: string[], expected: number): VerifyReport {
  return { checked, expected, missing: [], extra: [], corrupt: [], ok: false };
}

function compare(report: VerifyReport, path: string, want: ManifestFile, sha256: string): void {
  if (sha256 !== want.sha256) report.corrupt.push({ path, reason: `sha256 ${sha256}, manifest says ${want.sha256}` });
}

function finish(report: VerifyReport, notFound: Map<string, ManifestFile>): VerifyReport {
  report.missing = [...notFound.keys()];
  report.ok = report.missing.length === 0 && report.extra.length === 0 && report.corrupt.length === 0;
  return report;
}

async function digest(stream: Readable): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, sha256: hash.digest('hex') };
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
