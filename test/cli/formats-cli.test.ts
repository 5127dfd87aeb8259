/** The CLI's format options and `formats` command, run as a user would (tsx lib/cli/main.ts). */
import { execFileSync, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../helpers/temp-dir.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function cli(args: string[], stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'lib', 'cli', 'main.ts'), ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('CLI formats', () => {
  // Concurrent cases: the folders go when the whole suite is done.
  const tempDir = tempDirs('se-formats-cli-', { removeAfter: 'all' });

  it.concurrent('`formats` lists every format with what it carries and what reads it', async () => {
    const result = await cli(['formats', '--json']);
    expect(result.code).toBe(0);
    const formats = JSON.parse(result.stdout) as Array<{ name: string; readers: string }>;
    expect(formats.map((f) => f.name)).toEqual(['dm', 'coco', 'yolo', 'yolo-seg', 'yolo-pose', 'voc']);
    expect(formats.find((f) => f.name === 'coco')!.readers).toMatch(/pycocotools/);
  });

  it.concurrent('refuses YOLO from standard input without --classes (exit 2, one clear line)', async () => {
    const result = await cli(['run', '--input', '-', '--out', await tempDir(), '--format', 'yolo'], '{"id":1,"data":{},"files":{}}\n');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--format yolo from standard input needs --classes/);
  });

  it.concurrent('takes YOLO from standard input with --classes', async () => {
    const out = await tempDir();
    const item = { id: 1, files: { file_name_original: 'a.png', width: 100, height: 100 }, data: { annotations: { image_1: [{ id: 'b', tool: 'bounding_box', classification: { class: 'car' } }] }, annotationsData: { image_1: [{ id: 'b', coordinate: { x: 0, y: 0, width: 10, height: 10 } }] } } };
    const result = await cli(['run', '--input', '-', '--out', out, '--name', 'y', '--format', 'yolo', '--classes', 'person,car', '--no-original-files', '-q'], `${JSON.stringify(item)}\n`);
    expect(result.code, result.stderr).toBe(0);
    expect(await readFile(join(out, 'y', 'labels', 'a.txt'), 'utf8')).toBe('0 0.050000 0.050000 0.100000 0.100000\n');
    expect(await readFile(join(out, 'y', 'classes.txt'), 'utf8')).toBe('car\nperson\n');
  });

  it.concurrent('refuses bad split ratios, and --split with dm', async () => {
    const bad = await cli(['run', '--input', 'examples/sample-dataset', '--out', await tempDir(), '--format', 'coco', '--split', '0.5']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--split takes 2 or 3/);
    const dm = await cli(['run', '--input', 'examples/sample-dataset', '--out', await tempDir(), '--split', '0.5,0.5']);
    expect(dm.code).toBe(2);
    expect(dm.stderr).toMatch(/--split applies to the training formats/);
  });

  it.concurrent('refuses --resume with a training format before reading the input (exit 2)', async () => {
    const fifo = join(await tempDir(), 'items.jsonl');
    execFileSync('mkfifo', [fifo]);
    // Nothing is written to the FIFO unless the run still goes after 10 s: a run that read its
    // input first (YOLO's class pre-pass) would wait on it until then.
    const run = cli(['run', '--input', fifo, '--resume', await tempDir(), '--format', 'yolo']);
    let unblocked = false;
    const timer = setTimeout(() => {
      unblocked = true;
      void writeFile(fifo, '');
    }, 10_000);
    const result = await run;
    clearTimeout(timer);
    expect(unblocked).toBe(false);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/cannot resume .* with YoloExporter: its dataset-wide files would lack the items already saved/);
  });

  it.concurrent('renames the keypoint category for YOLO pose', async () => {
    const out = await tempDir();
    const result = await cli(['run', '--input', 'examples/sample-dataset', '--out', out, '--name', 'p', '--format', 'yolo-pose', '--rename', 'keypoints=animal', '-q']);
    expect(result.code).toBe(3);
    const yaml = await readFile(join(out, 'p', 'dataset.yaml'), 'utf8');
    expect(yaml).toContain('nc: 1\nnames:\n  0: "animal"\n');
    expect(yaml).toContain('kpt_shape: [19, 3]');
  });
});
