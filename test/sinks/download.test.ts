import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { DownloadError, ErrorCode, ExportError } from '../../lib/errors.js';
import { downloadToFile } from '../../lib/sinks/download.js';
import { rejectionOf } from '../helpers/assertions.js';

type Handler = (req: IncomingMessage, res: ServerResponse, requestNumber: number) => void;

const servers: Server[] = [];
let dir: string;

/** A real HTTP server on 127.0.0.1; `requests()` counts what it saw. */
async function serve(handler: Handler): Promise<{ base: string; requests: () => number }> {
  let count = 0;
  const server = createServer((req, res) => handler(req, res, ++count));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, requests: () => count };
}

/** A port nothing listens on: bind one, then release it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'download-test-'));
});

afterEach(async () => {
  // Hung handlers keep sockets open; destroy them so `close` can finish.
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
  await rm(dir, { recursive: true, force: true });
});

describe('downloadToFile', () => {
  it('writes the exact bytes and returns their size and sha256', async () => {
    const body = randomBytes(1024 * 1024 + 7); // several chunks, odd size
    const { base } = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Length': body.length });
      res.end(body);
    });
    const destination = join(dir, 'a.bin');

    const written = await downloadToFile(`${base}/a.bin`, destination);

    expect(written).toEqual({ size: body.length, sha256: sha256(body) });
    expect((await readFile(destination)).equals(body)).toBe(true);
    expect(await readdir(dir)).toEqual(['a.bin']);
  });

  it('follows redirects and replaces an existing file', async () => {
    const { base } = await serve((req, res) => {
      if (req.url === '/old') {
        res.writeHead(302, { Location: '/new' }).end();
      } else {
        res.end('fresh');
      }
    });
    const destination = join(dir, 'x.txt');
    await writeFile(destination, 'stale');

    await downloadToFile(`${base}/old`, destination);

    expect(await readFile(destination, 'utf8')).toBe('fresh');
  });

  it('rejects 404 with DOWNLOAD_STATUS, without retrying or leaving a file', async () => {
    const { base, requests } = await serve((_req, res) => res.writeHead(404).end('nope'));

    const error = await rejectionOf(
      downloadToFile(`${base}/a.png`, join(dir, 'a.png'), { backoffMs: 10 }),
    );

    expect(error).toBeInstanceOf(DownloadError);
    expect(error).toMatchObject({ code: ErrorCode.DOWNLOAD_STATUS, status: 404, retryable: false });
    expect(error.message).toBe(`Download of ${base}/a.png failed: HTTP 404 Not Found`);
    expect(requests()).toBe(1);
    expect(await readdir(dir)).toEqual([]);
  });

  it('retries a 503 and succeeds on the next attempt', async () => {
    const { base, requests } = await serve((_req, res, n) => {
      if (n === 1) res.writeHead(503).end();
      else res.end('ok');
    });
    const destination = join(dir, 'a.txt');

    const written = await downloadToFile(`${base}/a.txt`, destination, { backoffMs: 10 });

    expect(written).toEqual({ size: 2, sha256: sha256(Buffer.from('ok')) });
    expect(await readFile(destination, 'utf8')).toBe('ok');
    expect(requests()).toBe(2);
  });

  it('gives up on a 503 after the configured retries', async () => {
    const { base, requests } = await serve((_req, res) => res.writeHead(503).end());

    const error = await rejectionOf(
      downloadToFile(`${base}/a`, join(dir, 'a'), { retries: 2, backoffMs: 10 }),
    );

    expect(error).toMatchObject({ code: ErrorCode.DOWNLOAD_STATUS, status: 503, retryable: true });
    expect(requests()).toBe(3);
    expect(await readdir(dir)).toEqual([]);
  });

  it('times out a body that stalls, removing the partial file', async () => {
    const { base } = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Length': 1000 });
      res.write(Buffer.alloc(100)); // the temp file gets created, then nothing more comes
    });

    const started = Date.now();
    const error = await rejectionOf(
      downloadToFile(`${base}/slow`, join(dir, 'slow'), { timeoutMs: 300, retries: 0 }),
    );

    expect(error).toMatchObject({ code: ErrorCode.DOWNLOAD_TIMEOUT, retryable: true });
    expect(error.message).toContain(`${base}/slow`);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(await readdir(dir)).toEqual([]);
  });

  it('times out a server that never answers', async () => {
    const { base } = await serve(() => undefined);

    const error = await rejectionOf(
      downloadToFile(`${base}/silent`, join(dir, 'silent'), { timeoutMs: 300, retries: 0 }),
    );

    expect(error).toMatchObject({ code: ErrorCode.DOWNLOAD_TIMEOUT, retryable: true });
    expect(await readdir(dir)).toEqual([]);
  });

  it('treats a body cut short of its Content-Length as a retryable network error', async () => {
    const { base, requests } = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Length': 1000 });
      res.write(Buffer.alloc(100), () => res.socket?.destroy());
    });

    const error = await rejectionOf(
      downloadToFile(`${base}/cut`, join(dir, 'cut'), { retries: 1, backoffMs: 10 }),
    );

    expect(error).toMatchObject({ code: ErrorCode.DOWNLOAD_NETWORK, retryable: true });
    expect(requests()).toBe(2);
    expect(await readdir(dir)).toEqual([]);
  });

  it('reports a refused connection as DOWNLOAD_NETWORK once retries are spent', async () => {
    const port = await closedPort();

    const error = await rejectionOf(
      downloadToFile(`http://127.0.0.1:${port}/a`, join(dir, 'a'), { retries: 2, backoffMs: 10 }),
    );

    expect(error).toMatchObject({ code: ErrorCode.DOWNLOAD_NETWORK, retryable: true });
    expect(error.message).toContain('ECONNREFUSED');
    expect(await readdir(dir)).toEqual([]);
  });

  it.each(['ftp://example.com/a.png', 'file:///etc/passwd', 'not a url'])(
    'rejects %s with URL_UNSUPPORTED',
    async (url) => {
      const error = await rejectionOf(downloadToFile(url, join(dir, 'a')));

      expect(error).toMatchObject({ code: ErrorCode.URL_UNSUPPORTED, retryable: false });
      expect(await readdir(dir)).toEqual([]);
    },
  );

  it('rejects a destination it cannot write with WRITE_FAILED, not retried', async () => {
    const { base, requests } = await serve((_req, res) => res.end('data'));

    const error = await rejectionOf(
      downloadToFile(`${base}/a`, join(dir, 'missing', 'a'), { backoffMs: 10 }),
    );

    expect(error).toMatchObject({ code: ErrorCode.WRITE_FAILED, retryable: false });
    expect(requests()).toBe(1);
  });

  it('never puts signed-URL query values or userinfo in messages', async () => {
    const secret = 'sup3rs3cr3t';
    const { base } = await serve((_req, res) => res.writeHead(403).end());
    const port = await closedPort();
    const query = `?X-Amz-Signature=${secret}&X-Amz-Credential=${secret}`;
    const urls = [
      `${base}/x.jpg${query}`, // HTTP status
      `http://127.0.0.1:${port}/x.jpg${query}`, // network
      `ftp://user:${secret}@h/x.jpg${query}`, // unsupported
    ];

    for (const url of urls) {
      const error = await rejectionOf(downloadToFile(url, join(dir, 'a'), { retries: 0 }));
      expect(error.message).not.toContain(secret);
      expect(error.message).toContain('X-Amz-Signature=REDACTED');
    }
  });

  it('aborts mid-download with ABORTED, leaving no temp file', async () => {
    const controller = new AbortController();
    let partialSeen: string[] = [];
    const { base, requests } = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Length': 1000 });
      res.write(Buffer.alloc(100));
      // Abort only once the temp file exists, so its removal is really tested.
      setTimeout(() => {
        void readdir(dir).then((names) => {
          partialSeen = names;
          controller.abort();
        });
      }, 100);
    });

    const started = Date.now();
    const error = await rejectionOf(
      downloadToFile(`${base}/a`, join(dir, 'a'), { signal: controller.signal, backoffMs: 10 }),
    );

    expect(error).not.toBeInstanceOf(DownloadError);
    expect(error.code).toBe(ErrorCode.ABORTED);
    expect(partialSeen).toEqual([expect.stringMatching(/^a\.[0-9a-f]+\.partial$/)]);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(requests()).toBe(1);
    expect(await readdir(dir)).toEqual([]);
  });

  it('aborts during the backoff wait without another request', async () => {
    const controller = new AbortController();
    const { base, requests } = await serve((_req, res) => {
      res.writeHead(503).end();
      setTimeout(() => controller.abort(), 50);
    });

    const started = Date.now();
    const error = await rejectionOf(
      downloadToFile(`${base}/a`, join(dir, 'a'), { signal: controller.signal, backoffMs: 10_000 }),
    );

    expect(error.code).toBe(ErrorCode.ABORTED);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(requests()).toBe(1);
  });

  it('does not start when the signal is already aborted', async () => {
    const { base, requests } = await serve((_req, res) => res.end('x'));

    const error = await rejectionOf(
      downloadToFile(`${base}/a`, join(dir, 'a'), { signal: AbortSignal.abort() }),
    );

    expect(error.code).toBe(ErrorCode.ABORTED);
    expect(requests()).toBe(0);
  });
});
