import { access, mkdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCode, ExportError, messageOf } from '../errors.js';
import { safeFileName } from './safe-name.js';
import { makeDirectory } from '../make-directory.js';

/**
 * Creates `<parent>/<name>`, or `<name>(1)`, `<name>(2)`… when taken, and returns its path.
 * `mkdir` without `recursive` fails when the directory exists, so the check and the creation are
 * one atomic step: two exports started at once never share a directory. A name is also taken when
 * a sibling `<name><suffix>` exists for one of `siblingSuffixes` (an archive of an earlier export).
 */
export async function reserveExportDirectory(parent: string, name: string, siblingSuffixes: readonly string[] = []): Promise<string> {
  const base = safeFileName(name, 'export');
  try {
    await makeDirectory(parent);
  } catch (error) {
    throw unwritable(parent, error);
  }
  for (let n = 0; ; n += 1) {
    const candidate = join(parent, n === 0 ? base : `${base}(${n})`);
    try {
      await mkdir(candidate);
      if (!(await anyExists(siblingSuffixes.map((suffix) => `${candidate}${suffix}`)))) return candidate;
      await rmdir(candidate);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw unwritable(candidate, error);
    }
  }
}

async function anyExists(paths: readonly string[]): Promise<boolean> {
  const found = await Promise.all(paths.map((path) => access(path).then(() => true, () => false)));
  return found.includes(true);
}

function unwritable(path: string, error: unknown): ExportError {
  return new ExportError(`Cannot create the export directory ${path}: ${messageOf(error)}`, {
    code: ErrorCode.OUTPUT_UNWRITABLE,
    fileName: path,
    cause: error,
  });
}
