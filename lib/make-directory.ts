import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/**
 * `mkdir -p`, one level at a time from the deepest folder that exists. Node's recursive mkdir
 * retries forever where a file system answers ENOENT for a folder whose parent exists (`/proc`,
 * `/sys`): a user-given path there would hang instead of failing. Use it for every folder a user
 * names; folders inside an export it made are safe with plain recursive mkdir.
 */
export async function makeDirectory(path: string): Promise<void> {
  const missing: string[] = [];
  for (let at = resolve(path); ; at = dirname(at)) {
    const found = await stat(at).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false;
        throw error;
      },
    );
    if (found || dirname(at) === at) break;
    missing.push(at);
  }
  for (const folder of missing.reverse()) {
    await mkdir(folder).catch((error: NodeJS.ErrnoException) => {
      // Made by someone else meanwhile (another export into the same parent).
      if (error.code !== 'EEXIST') throw error;
    });
  }
}
