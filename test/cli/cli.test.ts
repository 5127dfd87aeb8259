/**
 * End-to-end tests of the `synapse-export` CLI: each test spawns `tsx lib/cli/main.ts` as a child
 * process (as a user would run the command) and checks its exit code, its output and the export
 * tree it wrote. Tests run concurrently, since almost all their time is tsx starting up.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it, type TestContext } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const MAIN = join(ROOT, 'lib', 'cli', 'main.ts');
const SAMPLE = join(ROOT, 'examples', 'sample-dataset');

/** Per test; a spawn costs ~1 s of tsx start-up, more when the machine is busy. */
const TIMEOUT = 30_000;
/** A CLI run that takes longer than this is killed and reported as hung. */
const KILL_AFTER_MS = 20_000;

interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

interface SpawnOptions {
  /** Written to standard input, which is then closed. Without it stdin is /dev/null. */
  stdin?: string;
  /** Keep standard input open as a pipe (the caller writes and ends it). */
  keepStdin?: boolean;
  cwd?: string;
}

function spawnCli(args: readonly string[], options: SpawnOptions = {}): { child: ChildProcess; done: Promise<CliResult> } {
  const piped = options.stdin !== undefined || options.keepStdin === true;
  const child = spawn(TSX, [MAIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, CI: 'true', NO_COLOR: '1' },
    stdio: [piped ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  if (options.stdin !== undefined) {
    // The CLI may exit (usage error) before reading it all.
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(options.stdin);
  }
  const done = new Promise<CliResult>((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, KILL_AFTER_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
  return { child, done };
}

function runCli(args: readonly string[], options: SpawnOptions = {}): Promise<CliResult> {
  return spawnCli(args, options).done;
}

/** A fresh temporary folder, removed when the test finishes. */
async function tempDir(ctx: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'synapse-export-cli-'));
  ctx.onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function list(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}

async function readJson<T = unknown>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

/** A Node stack frame, which a usage error must never show. */
const STACK_FRAME = /^\s+at .+[:(]/m;

interface ErrorFileList {
  json_file_name: Array<[string, string]>;
  origin_file_name: Array<[string, string]>;
}

interface JsonSummary {
  exportPath: string;
  uniqueExportPath: string;
  counts: { total: number; success: number; failed: number; skipped: number };
  durationMs: number;
  itemsPerSecond: number;
  errorListPath: string | null;
  manifestPath: string;
}

const item = (id: number, name: string, data: unknown = { label: name }) =>
  JSON.stringify({ id, data, files: { file_name_original: name } });

/** Three items with only `files.file_name_original` (no media), one JSON object per line. */
const CLEAN_JSONL = `${[item(1, 'a.png'), item(2, 'b.png'), item(3, 'c.png')].join('\n')}\n`;

describe.concurrent('synapse-export run (child process)', () => {
  it('exports the sample dataset: exit 3, summary on stderr, the full tree', { timeout: TIMEOUT }, async (ctx) => {
    const { expect } = ctx;
    const out = await tempDir(ctx);
    const result = await runCli(['run', '--input', SAMPLE, '--out', out, '--name', 'sample']);
    const exportDir = join(out, 'sample');

    expect(result.timedOut).toBe(false);
    expect(result.code, result.stderr).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Exported 24 items: 22 succeeded, 2 failed, 0 skipped');
    expect(result.stderr).toContain(`Export directory: ${exportDir}\n`);
    expect(result.stderr).toContain(`Failed files are listed in ${join(exportDir, 'error_file_list.json')}`);
    expect(result.stderr).not.toMatch(STACK_FRAME);

    expect(await list(exportDir)).toEqual(['error_file_list.json', 'export_manifest.json', 'json', 'origin_files']);

    // 23 originals: every item but 1013, whose media file is missing (1009's null data does not stop its copy).
    const origins = await list(join(exportDir, 'origin_files'));
    expect(origins).toHaveLength(23);
    expect(origins).toEqual(expect.arrayContaining(['frame_0001.png', 'frame_0001(1).png', 'street_0009.png', '교차로 사진.png']));
    expect(origins).not.toContain('missing_0099.png');

    // 23 JSON files: every item but 1009 (data null); 1013's JSON is written though its original failed.
    const jsons = await list(join(exportDir, 'json'));
    expect(jsons).toHaveLength(23);
    expect(jsons).toEqual(expect.arrayContaining(['frame_0001.json', 'frame_0001(1).json', 'missing_0099.json', '교차로 사진.json']));
    expect(jsons).not.toContain('street_0009.json');
    // Same-named originals keep their order: 1011 gets the plain name, 1014 the (1).
    const first = await readJson<{ extra: unknown }>(join(exportDir, 'json', 'frame_0001.json'));
    const second = await readJson<{ extra: unknown }>(join(exportDir, 'json', 'frame_0001(1).json'));
    expect(first).not.toEqual(second);

    const errors = await readJson<ErrorFileList>(join(exportDir, 'error_file_list.json'));
    expect(errors.json_file_name.map(([name]) => name)).toEqual(['street_0009.json']);
    expect(errors.origin_file_name.map(([name]) => name)).toEqual(['missing_0099.png']);

    const manifest = await readJson<{ counts: unknown; errors: { file: string | null } }>(join(exportDir, 'export_manifest.json'));
    expect(manifest.counts).toEqual({ total: 24, success: 22, failed: 2, skipped: 0 });
    expect(manifest.errors.file).toBe('error_file_list.json');
  });

  it('names a second export of the same name sample(1)', { timeout: TIMEOUT }, async (ctx) => {
    const { expect } = ctx;
    const out = await tempDir(ctx);
    const args = ['run', '--input', SAMPLE, '--out', out, '--name', 'sample', '--quiet'];
    const firstRun = await runCli(args);
    expect(firstRun.code, firstRun.stderr).toBe(3);
    expect(firstRun.stderr).toContain(`Export directory: ${join(out, 'sample')}\n`);
    const secondRun = await runCli(args);
    expect(secondRun.code, secondRun.stderr).toBe(3);
    expect(secondRun.stderr).toContain(`Export directory: ${join(out, 'sample(1)')}\n`);
    expect(await list(out)).toEqual(['sample', 'sample(1)']);
    expect(await list(join(out, 'sample(1)', 'json'))).toHaveLength(23);
  });

  it('--json prints one JSON line on stdout and only warnings on stderr', { timeout: TIMEOUT }, async (ctx) => {
    const { expect } = ctx;
    const out = await tempDir(ctx);
    const result = await runCli(['run', '--input', SAMPLE, '--out', out, '--name', 'sample', '--json']);
    expect(result.code, result.stderr).toBe(3);

    expect(result.stdout.endsWith('\n')).toBe(true);
    const stdoutLines = result.stdout.split('\n').slice(0, -1);
    expect(stdoutLines).toHaveLength(1);
    const summary = JSON.parse(stdoutLines[0]!) as JsonSummary;
    expect(summary.uniqueExportPath).toBe(join(out, 'sample'));
    expect(summary.exportPath).toBe(out);
    expect(summary.counts).toEqual({ total: 24, success: 22, failed: 2, skipped: 0 });
    expect(summary.durationMs).toEqual(expect.any(Number));
    expect(summary.durationMs).toBeGreaterThanOrEqual(0);
    expect(summary.itemsPerSecond).toEqual(expect.any(Number));
    expect(summary.itemsPerSecond).toBeGreaterThanOrEqual(0);
    expect(summary.errorListPath).toBe(join(out, 'sample', 'error_file_list.json'));
    expect(existsSync(summary.manifestPath)).toBe(true);

    // No progress, no "Starting export…", no human summary: only the per-item warnings.
    const stderrLines = lines(result.stderr);
    expect(stderrLines.length).toBeGreaterThan(0);
    for (const line of stderrLines) expect(line).toMatch(/^warning: /);
    expect(result.stderr).toMatch(/item 1009/);
    expect(result.stderr).toMatch(/item 1013/);
  });

  it('--no-original-files writes no origin_files/ and fails only the null-data item', { timeout: TIMEOUT }, async (ctx) => {
    const { expect } = ctx;
    const out = await tempDir(ctx);
    const result = await runCli(['run', '--input', SAMPLE, '--out', out, '--name', 'sample', '--no-original-files', '--json']);
    expect(result.code, result.stderr).toBe(3);
    const summary = JSON.parse(result.stdout) as JsonSummary;
    expect(summary.counts).toEqual({ total: 24, success: 23, failed: 1, skipped: 0 });

    const exportDir = join(out, 'sample');
    expect(await list(exportDir)).toEqual(['error_file_list.json', 'export_manifest.json', 'json']);
    expect(await list(join(exportDir, 'json'))).toHaveLength(23);
    const errors = await readJson<ErrorFileList>(join(exportDir, 'error_file_list.json'));
    expect(errors.json_file_name.map(([name]) => name)).toEqual(['street_0009.json']);
    expect(errors.origin_file_name).toEqual([]);
  });

  it('exits 0 on a clean JSONL file, naming the export after the file', { timeout: TIMEOUT }, async (ctx) => {
    const { expect } = ctx;
    const dir = await tempDir(ctx);
    const input = join(dir, 'clean.jsonl');
    await writeFile(input, CLEAN_JSONL);
    const out = join(dir, 'out', 'nested');
    const result = await runCli(['run', '--input', input, '--out', out, '--no-original-files']);

    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('Exported 3 items: 3 succeeded, 0 failed, 0 skipped');
    expect(result.stderr).not.toContain('Failed files are listed');
    expect(result.stderr).not.toMatch(/warning/);
    const exportDir = join(out, 'clean');
    expect(await list(exportDir)).toEqual(['export_manifest.json', 'json']);
    expect(await list(join(exportDir, 'json'))).toEqual(['a.json', 'b.json', 'c.json']);
    expect(await readJson(join(exportDir, 'json', 'b.json'))).toEqual({ label: 'b.png' });
  });

  it('names the export after the folder when the input is "."', { timeout: TIMEOUT }, async (ctx) => {
    const { expect } = ctx;
    const out = await tempDir(ctx);
    const result = await runCli(['run', '--input', '.', '--out', out, '--quiet'], { cwd: SAMPLE });
    expect(result.code, result.stderr).toBe(3);
    expect(await list(out)).toEqual(['sample-dataset']);
  });

  it('reads JSONL from standard input with --input -', { timeout: TIMEOUT }, async (ctx) => {
    const { expect } = ctx;
    const out = await tempDir(ctx);
    const result = await runCli(['run', '--input', '-', '--out', out, '--no-original-files', '--json'], { stdin: CLEAN_JSONL });
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as JsonSummary;
    expect(summary.counts).toEqual({ total: 3, success: 3, failed: 0, skipped: 0 });
    expect(summary.errorListPath).toBeNull();
    expect(summary.uniqueExportPath).toBe(join(out, 'export'));
    expect(await list(join(out, 'export', 'json'))).toEqual(['a.json', 'b.json', 'c.json']);
    expect(await readJson(join(out, 'export', 'json', 'c.json'))).toEqual({ label: 'c.png' });
  });

  it('reads a JSON array from standard input', { timeout: TIMEOUT }, async (ctx) => {
    const { expect } = ctx;
    const out = await tempDir(ctx);
    const array = `\n  [\n${[item(1, 'x.png'), item(2, 'y.png'), item(3, 'z.png')].join(',\n')}\n]\n`;
    const result = await runCli(['run', '--input', '-', '--out', out, '--name', 'piped', '--no-original-files'], { stdin: array });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('Exported 3 items: 3 succeeded, 0 failed');
    expect(await list(join(out, 'piped', 'json'))).toEqual(['x.json', 'y.json', 'z.json']);
    expect(await readJson(join(out, 'piped', 'json', 'x.json'))).toEqual({ label: 'x.png' });
  });

  it('--log-file writes every run event as a JSON line', { timeout: TIMEOUT }, async (ctx) => {
    const { expect } = ctx;
    const out = await tempDir(ctx);
    const logFile = join(out, 'run.jsonl');
    const result = await runCli(['run', '--input', SAMPLE, '--out', out, '--name', 'sample', '--quiet', '--log-file', logFile]);
    expect(result.code, result.stderr).toBe(3);

    const records = lines(await readFile(logFile, 'utf8')).map((line) => JSON.parse(line) as { event: string; data: unknown; datetime: string });
    expect(records.length).toBeGreaterThan(24);
    const events = new Set(records.map((record) => record.event));
    for (const event of ['message', 'export_data_file', 'export_original_file', 'progress']) expect(events).toContain(event);
    for (const record of records) expect(Number.isNaN(Date.parse(record.datetime))).toBe(false);
    // One data-file event per item, the failed one included.
    const dataFiles = records.filter((record) => record.event === 'export_data_file') as Array<{ data: { target_id: number; status: string } }>;
    expect(dataFiles).toHaveLength(24);
    expect(dataFiles.filter((record) => record.data.status === 'failed').map((record) => record.data.target_id)).toEqual([1009]);
  });

  it('fails only the malformed line of a JSONL file: exit 3, line number in error_file_list.json', { timeout: TIMEOUT }, async (ctx) => {
    const { expect } = ctx;
    const dir = await tempDir(ctx);
    const input = join(dir, 'broken.jsonl');
    await writeFile(input, `${item(1, 'a.png')}\n${item(2, 'b.png')}\n{"id": 3, "data": {oops\n${item(4, 'd.png')}\n`);
    const result = await runCli(['run', '--input', input, '--out', dir, '--no-original-files', '--json']);

    expect(result.code, result.stderr).toBe(3);
    const summary = JSON.parse(result.stdout) as JsonSummary;
    expect(summary.counts).toEqual({ total: 4, success: 3, failed: 1, skipped: 0 });
    expect(await list(join(dir, 'broken', 'json'))).toEqual(['a.json', 'b.json', 'd.json']);
    const errors = await readJson<ErrorFileList>(join(dir, 'broken', 'error_file_list.json'));
    expect(errors.json_file_name).toHaveLength(1);
    expect(errors.json_file_name[0]![1]).toMatch(/\bline 3\b/);
    expect(errors.origin_file_name).toEqual([]);
  });

  it.skipIf(process.platform === 'win32')(
    'SIGINT cancels a run whose standard input is still open: exit 130, the item read is saved, the manifest says incomplete',
    { timeout: TIMEOUT },
    async (ctx) => {
      const { expect } = ctx;
      const out = await tempDir(ctx);
      const { child, done } = spawnCli(['run', '--input', '-', '--out', out, '--name', 'cancelled', '--no-original-files'], { keepStdin: true });
      child.stdin!.on('error', () => undefined);
      child.stdin!.write(`${item(1, 'a.png')}\n`);
      // Interrupt once the export has started reading (stdin stays open, as with a slow producer).
      await new Promise<void>((resolve) => {
        const onData = (chunk: Buffer): void => {
          if (chunk.toString().includes('Converting dataset.')) {
            child.stderr!.off('data', onData);
            resolve();
          }
        };
        child.stderr!.on('data', onData);
        void done.then(() => resolve());
      });
      child.kill('SIGINT');
      const result = await done;

      expect(result.timedOut, 'the CLI did not exit after SIGINT').toBe(false);
      expect(result.code, result.stderr).toBe(130);
      expect(result.stderr).toContain('Cancelling');
      expect(result.stderr).toMatch(/Stopped: the export was cancelled; the export at .* is incomplete/);
      expect(result.stderr).not.toMatch(STACK_FRAME);
      const manifest = JSON.parse(readFileSync(join(out, 'cancelled', 'export_manifest.json'), 'utf8'));
      expect(manifest).toMatchObject({ complete: false, stopped: { code: 'ERR_ABORTED' } });
      expect(manifest.counts.total).toBeLessThanOrEqual(1);
    },
  );
});

describe.concurrent('synapse-export usage errors (child process)', () => {
  const cases: Array<{ name: string; args: (out: string) => string[]; message: (out: string) => RegExp }> = [
    {
      name: 'an unknown option',
      args: (out) => ['run', '--input', SAMPLE, '--out', out, '--frobnicate'],
      message: () => /unknown option '--frobnicate'/,
    },
    {
      name: '--concurrency 0',
      args: (out) => ['run', '--input', SAMPLE, '--out', out, '--concurrency', '0'],
      message: () => /--concurrency takes a whole number of at least 1/,
    },
    {
      name: '--concurrency abc',
      args: (out) => ['run', '--input', SAMPLE, '--out', out, '--concurrency', 'abc'],
      message: () => /argument 'abc' is invalid.*--concurrency takes a whole number/,
    },
    {
      name: 'a missing --out',
      args: () => ['run', '--input', SAMPLE],
      message: () => /run needs --out <dir> \(or --resume <export dir>\)/,
    },
    {
      name: 'an input path that does not exist',
      args: (out) => ['run', '--input', join(out, 'no-such-items.jsonl'), '--out', out],
      message: (out) => new RegExp(`Cannot read the input ${escapeRegExp(join(out, 'no-such-items.jsonl'))}`),
    },
    {
      name: 'a blank --name',
      args: (out) => ['run', '--input', SAMPLE, '--out', out, '--name', '  '],
      message: () => /name must not be blank/,
    },
    {
      name: 'a --log-file in a folder that does not exist',
      args: (out) => ['run', '--input', SAMPLE, '--out', out, '--log-file', join(out, 'missing', 'run.jsonl')],
      message: (out) => new RegExp(`Cannot open the run log ${escapeRegExp(join(out, 'missing', 'run.jsonl'))}`),
    },
  ];

  it.for(cases)('exits 2 with a one-line error for $name', { timeout: TIMEOUT }, async ({ args, message }, ctx) => {
    const { expect } = ctx;
    const out = await tempDir(ctx);
    const result = await runCli(args(out));
    expect(result.timedOut).toBe(false);
    expect(result.code, result.stderr).toBe(2);
    expect(lines(result.stderr)).toHaveLength(1);
    expect(result.stderr).toMatch(message(out));
    expect(result.stderr).not.toMatch(STACK_FRAME);
    // Nothing was exported.
    expect((await list(out)).filter((name) => name !== 'no-such-items.jsonl')).toEqual([]);
  });

  it('exits 2 with a clear message when the output cannot be created (beneath a file)', { timeout: TIMEOUT }, async (ctx) => {
    const { expect } = ctx;
    const dir = await tempDir(ctx);
    const file = join(dir, 'a-file');
    await writeFile(file, 'not a folder');
    const out = join(file, 'exports');
    const result = await runCli(['run', '--input', SAMPLE, '--out', out, '--name', 'sample']);
    expect(result.code, result.stderr).toBe(2);
    const last = lines(result.stderr).at(-1);
    expect(last).toMatch(new RegExp(`^synapse-export: Cannot create the export directory ${escapeRegExp(out)}: ENOTDIR`));
    expect(result.stderr).not.toMatch(STACK_FRAME);
    expect(await list(dir)).toEqual(['a-file']);
  });

  it('--help exits 0 and lists the exit codes, for the program and for run', { timeout: TIMEOUT }, async ({ expect }) => {
    const [program, run] = await Promise.all([runCli(['--help']), runCli(['run', '--help'])]);
    for (const result of [program, run]) {
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain('Exit codes:');
      for (const code of ['0', '1', '2', '3', '130']) expect(result.stdout).toMatch(new RegExp(`^  ${code} +\\S`, 'm'));
    }
    expect(program.stdout).toMatch(/^Usage: synapse-export /);
    expect(run.stdout).toMatch(/^Usage: synapse-export run /);
    for (const flag of ['--input', '--out', '--name', '--no-original-files', '--concurrency', '--log-file', '--json', '--max-errors', '--fail-fast']) expect(run.stdout).toContain(flag);
  });

  it('--version prints the package.json version', { timeout: TIMEOUT }, async ({ expect }) => {
    const [result, pkg] = await Promise.all([runCli(['--version']), readJson<{ version: string }>(join(ROOT, 'package.json'))]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`${pkg.version}\n`);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
