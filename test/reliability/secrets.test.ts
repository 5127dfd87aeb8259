import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runExport } from '../../lib/exporter/run-export.js';
import { ConsoleReporter } from '../../lib/run/console-reporter.js';
import { RunLogReporter } from '../../lib/run/run-log-reporter.js';
import { listFiles, tempDirs } from '../helpers/temp-dir.js';

const tempDir = tempDirs('se-secrets-');
let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

describe('secrets', () => {
  it('never writes a signed-URL query string or credentials to the console, run log, error list or manifest', async () => {
    const authorizations = new Set<string | undefined>();
    server = createServer((request, response) => {
      authorizations.add(request.headers.authorization);
      if (request.url?.startsWith('/ok')) response.end('bytes');
      else if (request.url?.startsWith('/busy')) response.writeHead(503).end();
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const base = `http://user:hunter2@127.0.0.1:${(server.address() as AddressInfo).port}`;
    const secret = '?X-Amz-Signature=TOPSECRET&X-Amz-Credential=AKIASECRET&token=TOPSECRET';
    const out = await tempDir();
    const console = new PassThrough();
    let consoleText = '';
    console.on('data', (chunk: Buffer) => (consoleText += chunk.toString()));
    const items = ['ok', 'missing', 'busy'].map((name, i) => ({ id: i, data: { i }, files: { file_name_original: `${name}.png`, url: `${base}/${name}.png${secret}` } }));
    const result = await runExport({
      source: items,
      output: out,
      name: 'x',
      download: { retries: 1, backoffMs: 1 },
      reporters: [new ConsoleReporter({ stream: console as unknown as NodeJS.WriteStream, tty: false }), new RunLogReporter(join(out, 'run.jsonl'))],
    });
    expect(result.counts).toMatchObject({ success: 1, failed: 2 });
    const written = [consoleText, await readFile(join(out, 'run.jsonl'), 'utf8')];
    for (const path of await listFiles(result.uniqueExportPath)) {
      if (path.endsWith('.json')) written.push(await readFile(join(result.uniqueExportPath, path), 'utf8'));
    }
    const everything = written.join('\n');
    // The failures are reported, with the host and path but without the secrets.
    expect(everything).toContain('HTTP 404');
    expect(everything).toContain('/missing.png');
    for (const leak of ['TOPSECRET', 'AKIASECRET', 'hunter2']) expect(everything).not.toContain(leak);
    // URL credentials travel as an Authorization header (fetch refuses them in the URL).
    expect([...authorizations]).toEqual([`Basic ${Buffer.from('user:hunter2').toString('base64')}`]);
  });
});
