// The loopback backend stand-in of the `backend-source` scenario: a real HTTP server on 127.0.0.1
// serving the items of a cached JSONL file as the Synapse backend lists assignments
// (`GET sdk/assignments/?project=…&page=…&page_size=…`, DRF pagination: `count`, absolute `next`,
// `results`), each item as `{id, project, status, data, file}`. Pages are read from the file by
// line offsets, so a million items cost the server one offset table, not the items.
// (test/platform/fixtures/stand-in-backend.ts is the tests' backend, with generated payloads and
// injected faults; this one serves the benchmark's own data, so both sources export the same items.)
// usage: node backend-stand-in.mjs ITEMS.jsonl   → prints the API's base URL on stdout, then serves
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { createServer } from 'node:http';

const PROJECT = 1;
const DEFAULT_PAGE_SIZE = 10;

/** Byte offset of every line start, plus the file's end: line i is bytes [offsets[i], offsets[i+1]). */
function lineOffsets(fd, size) {
  let offsets = new Float64Array(1024);
  let lines = 0;
  const chunk = Buffer.allocUnsafe(1 << 20);
  let position = 0;
  const push = (offset) => {
    if (lines === offsets.length) {
      const grown = new Float64Array(offsets.length * 2);
      grown.set(offsets);
      offsets = grown;
    }
    offsets[lines++] = offset;
  };
  push(0);
  while (position < size) {
    const n = readSync(fd, chunk, 0, chunk.length, position);
    if (n === 0) break;
    for (let at = chunk.indexOf(10); at !== -1 && at < n; at = chunk.indexOf(10, at + 1)) push(position + at + 1);
    position += n;
  }
  // A last line without a newline still counts.
  if (offsets[lines - 1] !== size) push(size);
  return offsets.subarray(0, lines);
}

/** Starts the server; resolves with its API base URL and a close function. */
export async function startBackendStandIn(itemsPath) {
  const fd = openSync(itemsPath, 'r');
  const offsets = lineOffsets(fd, statSync(itemsPath).size);
  const count = offsets.length - 1;

  function page(url) {
    const size = Number(url.searchParams.get('page_size') ?? DEFAULT_PAGE_SIZE);
    const number = Number(url.searchParams.get('page') ?? '1');
    const start = Math.min(count, (number - 1) * size);
    const end = Math.min(count, start + size);
    const bytes = Buffer.allocUnsafe(offsets[end] - offsets[start]);
    if (bytes.length > 0) readSync(fd, bytes, 0, bytes.length, offsets[start]);
    const results = [];
    for (const line of bytes.toString('utf8').split('\n')) {
      if (line === '') continue;
      const item = JSON.parse(line);
      results.push({ id: item.id, project: PROJECT, status: 'completed', data: item.data, file: item.files });
    }
    let next = null;
    if (end < count) {
      const nextUrl = new URL(url);
      nextUrl.searchParams.set('page', String(number + 1));
      next = nextUrl.href;
    }
    return { count, next, previous: null, results };
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    const found = url.pathname === '/api/sdk/assignments/' && Number(url.searchParams.get('project')) === PROJECT;
    const body = JSON.stringify(found ? page(url) : { detail: 'Not found.' });
    res.writeHead(found ? 200 : 404, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}/api/`;
  return {
    url: base,
    count,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        closeSync(fd);
      }),
  };
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const standIn = await startBackendStandIn(process.argv[2]);
  process.stdout.write(`${standIn.url}\n`);
  process.on('SIGTERM', () => void standIn.close().then(() => process.exit(0)));
}
