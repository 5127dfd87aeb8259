import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createHash } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runExport } from '../../lib/exporter/run-export.js';
import { listFiles, tempDirs } from '../helpers/temp-dir.js';

const tempDir = tempDirs('se-origin-');
let server: Server | undefined;
const sockets = new Set<Socket>();

afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A real HTTP server on 127.0.0.1 whose answer per path is given by `handle`. */
async function serve(handle: (path: string, response: ServerResponse, hits: number) => void): Promise<string> {
  const hits = new Map<string, number>();
  server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]!;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    handle(path, response, hits.get(path)!);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('original files from URLs', () => {
  it('records a 404 as a failed original, retries a 503 until it succeeds, and times out a hung server', async () => {
    const base = await serve((path, response, hits) => {
      if (path === '/ok.png') response.end('image-bytes');
      else if (path === '/flaky.png' && hits === 1) response.writeHead(503).end('busy');
      else if (path === '/flaky.png') response.end('flaky-bytes');
      else if (path === '/hang.png') response.writeHead(200, { 'content-length': '100' }).write('partial');
      else response.writeHead(404).end('not found');
    });
    const out = await tempDir();
    const items = ['ok', 'flaky', 'missing', 'hang'].map((name, i) => ({
      id: i + 1,
      data: { name },
      files: { file_name_original: `${name}.png`, url: `${base}/${name}.png?X-Amz-Signature=secret` },
    }));
    const result = await runExport({ source: items, output: out, name: 'dl', download: { timeoutMs: 400, retries: 2, backoffMs: 10 } });

    expect(result.counts).toEqual({ total: 4, success: 2, failed: 2, skipped: 0 });
    const root = result.uniqueExportPath;
    expect(await readFile(join(root, 'origin_files/ok.png'), 'utf8')).toBe('image-bytes');
    expect(await readFile(join(root, 'origin_files/flaky.png'), 'utf8')).toBe('flaky-bytes');
    // JSON files are written for all four: original failures do not touch them.
    expect((await listFiles(join(root, 'json'))).length).toBe(4);
    // No partial download is left anywhere.
    expect((await listFiles(root)).filter((f) => f.includes('partial'))).toEqual([]);

    const errors = JSON.parse(await readFile(result.errorListPath!, 'utf8')) as { origin_file_name: string[][] };
    const byName = Object.fromEntries(errors.origin_file_name);
    expect(byName['missing.png']).toMatch(/HTTP 404/);
    expect(byName['hang.png']).toMatch(/time/i);
    expect(JSON.stringify(errors)).not.toContain('secret');
  });

  it('runs no more downloads at once than downloadConcurrency', async () => {
    let active = 0;
    let maxActive = 0;
    const base = await serve((_path, response) => {
      active += 1;
      maxActive = Math.max(maxActive, active);
      setTimeout(() => {
        active -= 1;
        response.end('x');
      }, 15);
    });
    const out = await tempDir();
    const items = Array.from({ length: 24 }, (_, i) => ({ id: i, data: {}, files: { file_name_original: `${i}.png`, url: `${base}/${i}.png` } }));
    const result = await runExport({ source: items, output: out, name: 'c', concurrency: 16, downloadConcurrency: 3 });
    expect(result.counts.success).toBe(24);
    expect(maxActive).toBe(3);
  });

  it('fails an item that has neither path nor url, with a clear message', async () => {
    const out = await tempDir();
    const result = await runExport({ source: [{ id: 1, data: {}, files: { file_name_original: 'lost.png' } }], output: out, name: 'x' });
    const errors = JSON.parse(await readFile(result.errorListPath!, 'utf8'));
    expect(errors.origin_file_name).toEqual([['lost.png', 'the item has no files.path or files.url to take the original from']]);
  });
});

describe('media modes', () => {
  it('hard-links local originals with mediaMode "hardlink", and the manifest still holds their sha256', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a.png'), 'png bytes');
    const items = [{ id: 1, data: { n: 1 }, files: { path: join(dir, 'a.png') } }];
    const result = await runExport({ source: items, output: join(dir, 'out'), name: 'linked', mediaMode: 'hardlink' });
    expect(result.counts).toMatchObject({ total: 1, success: 1 });
    const exported = join(result.uniqueExportPath, 'origin_files/a.png');
    expect((await stat(exported)).ino).toBe((await stat(join(dir, 'a.png'))).ino);
    const manifest = JSON.parse(await readFile(result.manifestPath, 'utf8')) as { files: Array<{ path: string; sha256: string }> };
    expect(manifest.files).toContainEqual(expect.objectContaining({ path: 'origin_files/a.png', sha256: createHash('sha256').update('png bytes').digest('hex') }));
  });

  it('refuses an unknown media mode before creating anything', async () => {
    const dir = await tempDir();
    // @ts-expect-error: checked at run time for JavaScript callers
    await expect(runExport({ source: [], output: dir, name: 'x', mediaMode: 'move' })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
    expect(await listFiles(dir)).toEqual([]);
  });
});
