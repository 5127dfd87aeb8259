import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runExport } from '../../lib/exporter/run-export.js';
import { formatExporter } from '../../formats/registry.js';
import { ExportIncompleteError } from '../../lib/exporter/export-incomplete-error.js';
import { fileSource } from '../../lib/sources/file-source.js';
import { JOURNAL_FILE } from '../../lib/output/journal.js';
import { STAGING_DIRECTORY } from '../../lib/output/export-output.js';
import type { Manifest } from '../../lib/output/manifest.js';
import { listFiles, tempDirs } from '../helpers/temp-dir.js';
import { rejectionOf } from '../helpers/assertions.js';

const tempDir = tempDirs('se-resume-');
const ROOT = resolve('.');
const CLI = join(ROOT, 'lib/cli/main.ts');

/** A dataset folder of `count` items, each with a small original; every 97th has null data. */
async function dataset(dir: string, count: number): Promise<string> {
  await mkdir(join(dir, 'media'), { recursive: true });
  const lines: string[] = [];
  for (let i = 1; i <= count; i++) {
    const name = `img_${i % 500}.png`; // repeated names: collision suffixes must replay identically
    await writeFile(join(dir, 'media', `${i}.png`), `png-${i}-${'x'.repeat(i % 300)}`);
    lines.push(JSON.stringify({ id: i, data: i % 97 === 0 ? null : { n: i, label: `class-${i % 7}` }, files: { file_name_original: name, path: `media/${i}.png` } }));
  }
  await writeFile(join(dir, 'items.jsonl'), `${lines.join('\n')}\n`);
  return dir;
}

/** Every file of an export with its sha256; the manifest without its timings. */
async function snapshot(root: string): Promise<{ files: Record<string, string>; manifest: Partial<Manifest> }> {
  const files: Record<string, string> = {};
  for (const path of await listFiles(root)) {
    if (path === 'export_manifest.json') continue;
    files[path] = createHash('sha256').update(await readFile(join(root, path))).digest('hex');
  }
  const { started_at, finished_at, duration_ms, ...manifest } = JSON.parse(await readFile(join(root, 'export_manifest.json'), 'utf8')) as Manifest;
  void started_at, finished_at, duration_ms;
  return { files, manifest };
}

/** An export of 50 items stopped by its signal once 30 JSON files were saved. */
async function stoppedAfter30(): Promise<{ input: string; result: ExportIncompleteError['result'] }> {
  const dir = await tempDir();
  const input = await dataset(join(dir, 'in'), 50);
  const controller = new AbortController();
  let saved = 0;
  const stop = { attach: (run: import('../../lib/run/export-run.js').ExportRun) => run.on('export_data_file', () => ++saved === 30 && controller.abort()) };
  const { result } = (await rejectionOf(runExport({ source: await fileSource(join(input, 'items.jsonl')), output: dir, name: 'e', signal: controller.signal, reporters: [stop] }))) as ExportIncompleteError;
  return { input, result };
}

describe('resume', () => {
  it('continues an export stopped by its signal and ends identical to an uninterrupted run', async () => {
    const dir = await tempDir();
    const input = await dataset(join(dir, 'in'), 600);
    const reference = await runExport({ source: await fileSource(join(input, 'items.jsonl')), output: join(dir, 'ref'), name: 'e' });

    const controller = new AbortController();
    let saved = 0;
    const stopAt200 = { attach: (run: import('../../lib/run/export-run.js').ExportRun) => run.on('export_data_file', () => ++saved === 200 && controller.abort()) };
    const stopped = await rejectionOf(runExport({ source: await fileSource(join(input, 'items.jsonl')), output: join(dir, 'out'), name: 'e', signal: controller.signal, reporters: [stopAt200] }));
    expect(stopped).toBeInstanceOf(ExportIncompleteError);
    const partial = (stopped as ExportIncompleteError).result;
    expect(partial.counts.total).toBeLessThan(600);
    // A stopped export is published: what it saved is under its final names, nothing left staged.
    const stoppedFiles = await listFiles(partial.uniqueExportPath);
    expect(stoppedFiles).toContain(JOURNAL_FILE);
    expect(stoppedFiles.filter((p) => p.startsWith('json/')).length).toBeGreaterThanOrEqual(200);
    expect(stoppedFiles.filter((p) => p.startsWith(STAGING_DIRECTORY))).toEqual([]);

    const messages: string[] = [];
    const resumed = await runExport({
      source: await fileSource(join(input, 'items.jsonl')),
      output: undefined,
      name: undefined,
      resume: partial.uniqueExportPath,
      reporters: [{ attach: (run) => run.on('message', (m) => messages.push(m.content)) }],
    });
    expect(messages).toContain(`Resuming: ${partial.counts.total} items were already saved.`);
    expect(resumed.uniqueExportPath).toBe(partial.uniqueExportPath);
    expect(resumed.counts).toEqual(reference.counts);
    expect(await snapshot(resumed.uniqueExportPath)).toEqual(await snapshot(reference.uniqueExportPath));
  });

  it('saves again an item whose file was damaged after the journal recorded it', async () => {
    const { input, result } = await stoppedAfter30();
    await writeFile(join(result.uniqueExportPath, 'json', 'img_1.json'), 'trunc');
    const resumed = await runExport({ source: await fileSource(join(input, 'items.jsonl')), output: undefined, name: undefined, resume: result.uniqueExportPath });
    expect(JSON.parse(await readFile(join(resumed.uniqueExportPath, 'json', 'img_1.json'), 'utf8'))).toEqual({ n: 1, label: 'class-1' });
    expect(await listFiles(resumed.uniqueExportPath)).not.toContain(JOURNAL_FILE);
  });

  it('a resume that fails before saving anything leaves the files where they were', async () => {
    const { input, result } = await stoppedAfter30();
    const before = (await listFiles(result.uniqueExportPath)).filter((p) => p.startsWith('json/'));
    // A journal that cannot be read: the resume is refused once the files are staged.
    await rm(join(result.uniqueExportPath, JOURNAL_FILE));
    await mkdir(join(result.uniqueExportPath, JOURNAL_FILE));
    await expect(runExport({ source: await fileSource(join(input, 'items.jsonl')), output: undefined, name: undefined, resume: result.uniqueExportPath })).rejects.toMatchObject({
      code: 'ERR_RESUME_REFUSED',
    });
    expect(before.length).toBeGreaterThanOrEqual(30);
    const after = await listFiles(result.uniqueExportPath);
    expect(after.filter((p) => p.startsWith('json/'))).toEqual(before);
    expect(after.filter((p) => p.startsWith(STAGING_DIRECTORY))).toEqual([]);
  });

  it('refuses to resume a complete export or a folder that is not an export', async () => {
    const dir = await tempDir();
    const done = await runExport({ source: [], output: dir, name: 'done' });
    await expect(runExport({ source: [], output: undefined, name: undefined, resume: done.uniqueExportPath })).rejects.toMatchObject({
      code: 'ERR_RESUME_REFUSED',
      message: expect.stringContaining('already complete'),
    });
    await expect(runExport({ source: [], output: undefined, name: undefined, resume: dir })).rejects.toMatchObject({ code: 'ERR_RESUME_REFUSED' });
  });

  it('refuses to resume with an exporter whose dataset-wide files would lack the items already saved, and leaves the folder as it was', async () => {
    const { input, result } = await stoppedAfter30();
    const before = await listFiles(result.uniqueExportPath);
    const resume = runExport({ source: await fileSource(join(input, 'items.jsonl')), output: undefined, name: undefined, resume: result.uniqueExportPath, exporter: formatExporter('coco', {}) });
    await expect(resume).rejects.toMatchObject({ code: 'ERR_RESUME_REFUSED', fileName: result.uniqueExportPath, message: expect.stringContaining('CocoExporter') });
    expect(await listFiles(result.uniqueExportPath)).toEqual(before);
  });
});

describe('crash safety (SIGKILL) and resume', () => {
  it('a CLI export killed at several points resumes to the same files and manifest as an uninterrupted run', { timeout: 120_000 }, async () => {
    const dir = await tempDir();
    const input = await dataset(join(dir, 'in'), 3000);
    // One process (tsx as a loader, not a wrapper), so that SIGKILL hits the export itself.
    const cli = (args: string[]): ReturnType<typeof spawn> =>
      spawn(process.execPath, ['--import', 'tsx', CLI, 'run', '--input', input, '--quiet', ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CI: 'true' } });
    const exit = (child: ReturnType<typeof spawn>): Promise<number | null> => new Promise((done) => child.on('close', (code) => done(code)));

    expect(await exit(cli(['--out', join(dir, 'ref'), '--name', 'e']))).toBe(3);
    const reference = await snapshot(join(dir, 'ref', 'e'));

    for (const [i, killAfter] of [100, 1200, 2400].entries()) {
      const out = join(dir, `run${i}`);
      const child = cli(['--out', out, '--name', 'e']);
      const exited = exit(child);
      let running = true;
      void exited.then(() => (running = false));
      // Killed once this many JSON files are staged: early, midway, late.
      await new Promise<void>((reached) => {
        child.stderr!.on('data', () => undefined);
        const poll = setInterval(async () => {
          const files = await readdir(join(out, 'e', STAGING_DIRECTORY, 'json')).catch(() => []);
          if (files.length >= killAfter || !running) {
            clearInterval(poll);
            reached();
          }
        }, 2);
      });
      expect(running, `the export finished before ${killAfter} files could be seen`).toBe(true);
      child.kill('SIGKILL');
      await exited;
      const afterKill = await listFiles(join(out, 'e'));
      // Never a final name over a torn file: the files were still staged, the export's folders empty.
      expect(afterKill.filter((p) => p.startsWith('json/') || p.startsWith('origin_files/'))).toEqual([]);
      expect(afterKill.filter((p) => p.startsWith(`${STAGING_DIRECTORY}/json/`)).length).toBeGreaterThanOrEqual(killAfter);
      const code = await exit(cli(['--resume', join(out, 'e')]));
      expect(code).toBe(3);
      expect(await snapshot(join(out, 'e'))).toEqual(reference);
      await rm(out, { recursive: true, force: true });
    }
  });
});
