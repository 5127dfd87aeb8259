/**
 * The archive side of the CLI: `run --zip-only --out -` as a pipe stage, `run --zip`, and
 * `verify` exit codes. Spawns `tsx lib/cli/main.ts` as a user would run the command.
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../helpers/temp-dir.js';
import { hasUnzip, readZip, unzipTest } from '../helpers/zip.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const MAIN = join(ROOT, 'lib', 'cli', 'main.ts');
const SAMPLE = join(ROOT, 'examples', 'sample-dataset');
const TIMEOUT = 30_000;
const tempDir = tempDirs('se-archive-cli-');

function cli(args: readonly string[], options: { stdin?: Buffer; cwd?: string } = {}): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  const child = spawn(TSX, [MAIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, CI: 'true', NO_COLOR: '1' },
    stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  const stdout: Buffer[] = [];
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  if (options.stdin !== undefined) child.stdin!.end(options.stdin);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(stdout), stderr }));
  });
}

describe('synapse-export archives', () => {
  it('run --input - --zip-only --out - streams a valid zip to standard output', { timeout: TIMEOUT }, async () => {
    const dir = await tempDir();
    const items = await readFile(join(SAMPLE, 'items.jsonl'));
    const result = await cli(['run', '--input', '-', '--zip-only', '--out', '-', '--name', 'piped'], { stdin: items, cwd: SAMPLE });
    expect(result.stderr).toMatch(/Archive: written to standard output/);
    expect(result.code).toBe(3); // the sample's two failing items
    const zip = join(dir, 'piped.zip');
    await writeFile(zip, result.stdout);
    if (hasUnzip) expect(unzipTest(zip)).toMatch(/No errors detected/);
    expect((await readZip(zip)).has('origin_files/street_0001.png')).toBe(true);
    const verified = await cli(['verify', zip]);
    expect(verified.stdout.toString()).toMatch(/^OK: all 47 files/);
    expect(verified.code).toBe(0);
  });

  it('verify exits 3 naming a corrupt file, 2 for an archive that cannot be read', { timeout: TIMEOUT }, async () => {
    const out = await tempDir();
    const run = await cli(['run', '--input', SAMPLE, '--out', out, '--zip', '--quiet']);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/Archive: .*sample-dataset\.zip/);
    await writeFile(join(out, 'sample-dataset', 'json', 'street_0001.json'), '{}');
    const corrupt = await cli(['verify', join(out, 'sample-dataset')]);
    expect(corrupt.code).toBe(3);
    expect(corrupt.stdout.toString()).toMatch(/corrupt:\n {2}json\/street_0001\.json: size 2, manifest says/);
    const zip = join(out, 'sample-dataset.zip');
    await writeFile(zip, (await readFile(zip)).subarray(0, 1000));
    const truncated = await cli(['verify', zip]);
    expect(truncated.code).toBe(2);
    expect(truncated.stderr).toContain('sample-dataset.zip is not a readable zip archive');
  });

  it('--out - without --zip-only is a usage error', { timeout: TIMEOUT }, async () => {
    const result = await cli(['run', '--input', SAMPLE, '--out', '-']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--out - (standard output) needs --zip-only');
  });
});
