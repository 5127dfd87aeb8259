import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { renameSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runExport } from '../../lib/exporter/run-export.js';
import { defineExporter } from '../../lib/exporter/define-exporter.js';
import type { ExportRun } from '../../lib/run/export-run.js';
import { rejectionOf } from '../helpers/assertions.js';
import { tempDirs } from '../helpers/temp-dir.js';

const tempDir = tempDirs('se-faults-');

/** Whether this process may mount a tmpfs (root on Linux): the only honest way to fill a disk. */
function canMount(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  try {
    execFileSync('mount', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const mounted: string[] = [];
afterEach(() => {
  for (const point of mounted.splice(0)) execFileSync('umount', [point]);
});

const items = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ id: i + 1, data: { i, payload: 'x'.repeat(4000) }, files: { file_name_original: `item_${i + 1}.png` } }));

describe('disk faults', () => {
  it.skipIf(!canMount())('stops with ERR_NO_SPACE when the disk fills, and resumes once there is room', async () => {
    const point = await tempDir();
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', point]);
    mounted.push(point);
    const error = await rejectionOf(runExport({ source: items(300), output: point, name: 'full', saveOriginalFile: false }));
    expect(error.code).toBe('ERR_NO_SPACE');
    expect(error.message).toContain(join(point, 'full'));
    expect(error.message).toContain('--resume');
    const written = await readdir(join(point, 'full', 'json'));
    expect(written.length).toBeGreaterThan(0);
    expect(written.length).toBeLessThan(300);
    expect(written.filter((f) => f.endsWith('.partial'))).toEqual([]);

    execFileSync('mount', ['-o', 'remount,size=16m', point]);
    const resumed = await runExport({ source: items(300), output: undefined, name: undefined, resume: join(point, 'full'), saveOriginalFile: false });
    expect(resumed.counts).toEqual({ total: 300, success: 300, failed: 0, skipped: 0 });
    expect((await readdir(join(point, 'full', 'json'))).length).toBe(300);
  });

  it.skipIf(!canMount())('stops a zip-only export with ERR_NO_SPACE when the disk fills under the file workers, leaving no archive', async () => {
    const point = await tempDir();
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', point]);
    mounted.push(point);
    // Random text: deflate cannot shrink it below the disk's size.
    const source = items(300).map((item) => ({ ...item, data: { ...item.data, payload: randomBytes(3000).toString('base64') } }));
    const error = await rejectionOf(runExport({ source, output: point, name: 'full', saveOriginalFile: false, archive: { mode: 'zip-only' } }));
    expect(error.code).toBe('ERR_NO_SPACE');
    expect(String((error.cause as Error | undefined)?.message)).toMatch(/ENOSPC/);
    // An archived export cannot be resumed: the message does not send the user to --resume.
    expect(error.message).toContain('run the export again');
    expect(error.message).not.toContain('--resume');
    expect((await readdir(point)).filter((name) => name.includes('.zip'))).toEqual([]);
  });

  it('stops with ERR_OUTPUT_GONE when the export directory is removed mid-run', async () => {
    const out = await tempDir();
    const Slow = defineExporter({
      async convertData(item) {
        await new Promise((r) => setTimeout(r, 1));
        return item;
      },
    });
    let seen = 0;
    const removeAt20 = {
      attach(run: ExportRun) {
        run.on('export_data_file', () => {
          seen += 1;
          // Moved away in one step (a recursive delete would race the writes still coming).
          if (seen === 20) renameSync(join(out, 'gone'), join(out, 'moved'));
        });
      },
    };
    await mkdir(out, { recursive: true });
    const error = await rejectionOf(runExport({ source: items(2000), output: out, name: 'gone', saveOriginalFile: false, exporter: new Slow(), reporters: [removeAt20] }));
    expect(error.code).toBe('ERR_OUTPUT_GONE');
    expect(error.message).toContain('was removed while the export ran');
  });
});
