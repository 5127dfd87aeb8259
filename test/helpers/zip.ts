import { execFileSync, spawnSync } from 'node:child_process';
import { readZipEntries } from '../../lib/archive/zip-reader.js';

/** Info-ZIP's unzip; CI installs it (.ci/run), so only a bare local machine skips these checks. */
export const hasUnzip = spawnSync('unzip', ['-v']).status === 0;
if (!hasUnzip) console.warn('unzip (Info-ZIP) is not installed: archive checks with `unzip -t` are skipped');

/** Runs `unzip -t`; returns its output, throws with it when unzip finds the archive bad. */
export function unzipTest(path: string): string {
  return execFileSync('unzip', ['-tq', path], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}

/** Every entry of a zip with its content, read by the JS reader (yauzl). */
export async function readZip(path: string): Promise<Map<string, Buffer>> {
  const entries = new Map<string, Buffer>();
  for await (const entry of readZipEntries(path)) {
    const chunks: Buffer[] = [];
    for await (const chunk of await entry.open()) chunks.push(chunk as Buffer);
    entries.set(entry.name, Buffer.concat(chunks));
  }
  return entries;
}
