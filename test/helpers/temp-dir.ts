import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, afterEach } from 'vitest';

/**
 * Returns a maker of fresh temp directories; every one made is removed after each test, or after
 * the whole suite with `removeAfter: 'all'` (for concurrent tests, which must not clean up after
 * one another).
 */
export function tempDirs(prefix = 'se-', { removeAfter = 'each' }: { removeAfter?: 'each' | 'all' } = {}): () => Promise<string> {
  const made: string[] = [];
  (removeAfter === 'all' ? afterAll : afterEach)(async () => {
    await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
}

/** Every file under `root`, as sorted `/`-separated relative paths. */
export async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort();
}

/** Every file under `root` with its text, by sorted relative path. */
export async function readTree(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const path of await listFiles(root)) out[path] = await readFile(join(root, path), 'utf8');
  return out;
}
