/**
 * `boundHeapGrowth`: V8's heap growing factor during and after an export, read from V8's own GC
 * trace (`--trace-gc-verbose` prints the factor each full collection applies) in a child process.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../helpers/temp-dir.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./fixtures/heap-growth-child.ts', import.meta.url));
const TIMEOUT = 30_000;
const tempDir = tempDirs('se-heap-growth-', { removeAfter: 'all' });

/** For each full collection: the factor V8 worked out, and the one it applied to the next limit. */
interface Collection {
  dynamic: number;
  applied: number;
}

/** The collections in the child's run, while its export ran and after it. */
async function traceExport(mode: 'bound' | 'unbound', nodeFlags: readonly string[] = []): Promise<{ during: Collection[]; after: Collection[] }> {
  const out = await tempDir();
  const args = ['--import', 'tsx', '--expose-gc', '--trace-gc-verbose', '--allow-natives-syntax', ...nodeFlags, CHILD, out, mode];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  expect(stderr).toBe('');
  expect(code).toBe(0);
  const sections: Record<string, Collection[]> = {};
  let current: Collection[] = [];
  let dynamic = Number.NaN;
  for (const line of stdout.split('\n')) {
    const mark = /#MARK-(\S+)/.exec(line);
    if (mark !== null) sections[mark[1]!] = current = [];
    const factor = /\[HeapController\] factor ([\d.]+) based on/.exec(line);
    if (factor !== null) dynamic = Number(factor[1]);
    const limit = /\[HeapController\] Limit: .*\(([\d.]+)\)$/.exec(line);
    if (limit !== null) current.push({ dynamic, applied: Number(limit[1]) });
  }
  return { during: sections['during-export'] ?? [], after: sections['after-export'] ?? [] };
}

describe('boundHeapGrowth', () => {
  it('holds the factor at 2 while an export runs, and gives V8 its own back after', { timeout: TIMEOUT }, async () => {
    const { during, after } = await traceExport('bound');
    expect(during.length).toBeGreaterThan(0);
    for (const collection of during) expect(collection.applied).toBe(2);
    expect(after.length).toBeGreaterThan(0);
    for (const collection of after) expect(collection.applied).toBe(collection.dynamic);
  });

  it('leaves V8 its own factor with boundHeapGrowth: false', { timeout: TIMEOUT }, async () => {
    const { during } = await traceExport('unbound');
    expect(during.length).toBeGreaterThan(0);
    for (const collection of during) expect(collection.applied).toBe(collection.dynamic);
  });

  it('keeps the factor the process was started with', { timeout: TIMEOUT }, async () => {
    const { during, after } = await traceExport('bound', ['--heap-growing-percent=50']);
    expect(during.length).toBeGreaterThan(0);
    expect(after.length).toBeGreaterThan(0);
    for (const collection of [...during, ...after]) expect(collection.applied).toBe(1.5);
  });
});
