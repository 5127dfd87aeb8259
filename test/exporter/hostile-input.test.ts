import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runExport } from '../../lib/exporter/run-export.js';
import { fileSource } from '../../lib/sources/file-source.js';
import type { ExportRun } from '../../lib/run/export-run.js';
import type { MessageEvent } from '../../lib/run/events.js';
import { listFiles, tempDirs } from '../helpers/temp-dir.js';

const tempDir = tempDirs('se-hostile-');
const servers: Array<Server | TcpServer> = [];
const sockets = new Set<Socket>();
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function listen(server: Server | TcpServer): Promise<string> {
  servers.push(server);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function errorList(path: string | null): Promise<{ json_file_name: string[][]; origin_file_name: string[][] }> {
  return JSON.parse(await readFile(path!, 'utf8'));
}

describe('hostile input', () => {
  it('malformed lines and wrong types fail only their own item, each named', async () => {
    const dir = await tempDir();
    const input = join(dir, 'items.jsonl');
    await writeFile(
      input,
      [
        '{"id": 1, "data": {"ok": true}, "files": {"file_name_original": "a.png"}}',
        '{"id": 2, "data": {"broken": tru',
        '{"id": {"nested": 1}, "data": {}, "files": {}}',
        '{"id": 4, "data": {}, "files": "not-an-object"}',
        '[1, 2, 3]',
        '{"id": 6, "data": "a plain string is still data", "files": {"file_name_original": "f.png"}}',
      ].join('\n'),
    );
    const result = await runExport({ source: await fileSource(input), output: dir, name: 'x', saveOriginalFile: false });
    expect(result.counts).toEqual({ total: 6, success: 2, failed: 4, skipped: 0 });
    const errors = (await errorList(result.errorListPath)).json_file_name.map(([, message]) => message);
    expect(errors[0]).toMatch(/^source: items\.jsonl line 2: /);
    expect(errors.slice(1)).toEqual([
      'source: item 3 has no id (a non-empty string or a number)',
      'source: item 4 (id 4): files must be an object',
      'source: item 5 is not an object',
    ]);
    expect(await readFile(join(result.uniqueExportPath, 'json/f.json'), 'utf8')).toBe('"a plain string is still data"');
  });

  it('exports 50 MB of data in one item and fails data nested 10,000 deep with a clear message', async () => {
    const dir = await tempDir();
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 10_000; i++) {
      const next = {};
      deep.a = next;
      deep = next;
    }
    const big = { blob: 'x'.repeat(50 * 1024 * 1024) };
    const result = await runExport({
      source: [
        { id: 'big', data: big, files: { file_name_original: 'big.png' } },
        { id: 'deep', data: root, files: { file_name_original: 'deep.png' } },
      ],
      output: dir,
      name: 'x',
      saveOriginalFile: false,
    });
    expect(result.counts).toMatchObject({ success: 1, failed: 1 });
    expect((await stat(join(result.uniqueExportPath, 'json/big.json'))).size).toBeGreaterThan(50 * 1024 * 1024);
    expect((await errorList(result.errorListPath)).json_file_name).toEqual([['deep.json', 'cannot serialise data as JSON: Maximum call stack size exceeded']]);
  });

  it('exports every item of a repeated id under its own name and warns naming it', async () => {
    const dir = await tempDir();
    const warnings: MessageEvent[] = [];
    const reporter = { attach: (run: ExportRun) => run.on('message', (m) => m.target_id !== undefined && warnings.push(m)) };
    const items = [1, 2, 1].map((id, i) => ({ id, data: { i }, files: { file_name_original: 'same.png' } }));
    const result = await runExport({ source: items, output: dir, name: 'x', saveOriginalFile: false, reporters: [reporter] });
    expect(result.counts).toMatchObject({ total: 3, success: 3 });
    expect(await listFiles(join(result.uniqueExportPath, 'json'))).toEqual(['same(1).json', 'same(2).json', 'same.json']);
    expect(warnings).toEqual([{ context: 'warning', content: 'id 1 appears more than once (item 3)', target_id: 1 }]);
  });

  it('keeps every hostile file name inside the export and gives each item its own files', async () => {
    const dir = await tempDir();
    const media = join(dir, 'media.bin');
    await writeFile(media, 'bytes');
    const names = [
      '../../../escape.png',
      '/etc/shadow',
      'C:\\Windows\\win.ini',
      'nul\u0000byte.png',
      'bell\u0007tab\tnew\nline.png',
      `${'長'.repeat(400)}.png`,
      'AUX.png',
      'com1',
      'caf\u00e9.png',
      'cafe\u0301.png',
      'Photo.PNG',
      'photo.png',
      '',
      '.',
    ];
    const items = names.map((name, i) => ({ id: i + 1, data: { name }, files: { file_name_original: name, path: media } }));
    const result = await runExport({ source: items, output: join(dir, 'exports'), name: '../x', reporters: [] });
    expect(result.counts).toMatchObject({ total: names.length, success: names.length });
    expect(result.uniqueExportPath).toBe(join(dir, 'exports', 'x'));
    const all = await listFiles(dir);
    expect(all.filter((f) => !f.startsWith('exports/x/'))).toEqual(['media.bin']);
    const originals = await listFiles(join(result.uniqueExportPath, 'origin_files'));
    const json = await listFiles(join(result.uniqueExportPath, 'json'));
    expect(originals).toHaveLength(names.length);
    expect(json).toHaveLength(names.length);
    // Unique even on case-insensitive, normalising file systems.
    expect(new Set(originals.map((n) => n.normalize('NFC').toLowerCase())).size).toBe(names.length);
    for (const name of originals) {
      expect(Buffer.byteLength(name)).toBeLessThanOrEqual(210);
      expect(name).not.toMatch(/[\u0000-\u001f/\\]/);
      expect(name).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i);
    }
  });

  it('refuses URL schemes other than http(s), bounds redirects, and fails truncated or stalled bodies', async () => {
    const dir = await tempDir();
    const http = await listen(
      createServer((request, response) => {
        if (request.url === '/loop') response.writeHead(302, { location: '/loop' }).end();
        else if (request.url === '/stall') response.writeHead(200, { 'content-length': '1000' }).write('only part');
        else response.end('fine');
      }),
    );
    // A raw server that promises 100 bytes, sends 10 and hangs up.
    const short = await listen(
      createTcpServer((socket) => {
        socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 100\r\nconnection: close\r\n\r\n0123456789'));
      }),
    );
    const urls: Record<string, string> = {
      'file.png': 'file:///etc/passwd',
      'ftp.png': 'ftp://example.invalid/a.png',
      'data.png': 'data:image/png;base64,AAAA',
      'loop.png': `${http}/loop`,
      'stall.png': `${http}/stall`,
      'short.png': `${short}/short`,
      'fine.png': `${http}/fine`,
    };
    const items = Object.entries(urls).map(([name, url], i) => ({ id: i, data: {}, files: { file_name_original: name, url } }));
    const result = await runExport({ source: items, output: dir, name: 'x', download: { timeoutMs: 500, retries: 1, backoffMs: 5 } });
    expect(result.counts).toMatchObject({ total: 7, success: 1, failed: 6 });
    const byName = Object.fromEntries((await errorList(result.errorListPath)).origin_file_name);
    expect(Object.keys(byName).sort()).toEqual(['data.png', 'file.png', 'ftp.png', 'loop.png', 'short.png', 'stall.png']);
    for (const name of ['file.png', 'ftp.png', 'data.png']) expect(byName[name]).toMatch(/scheme|unsupported|only http/i);
    expect(byName['stall.png']).toMatch(/time/i);
    expect(await listFiles(join(result.uniqueExportPath, 'origin_files'))).toEqual(['fine.png']);
  });
});
