import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendClient } from '../../../lib/platform/client/index.js';
import { assignmentHandler } from '../../../lib/platform/targets/index.js';
import { tempDirs } from '../../helpers/temp-dir.js';

const SERVER = new URL('../../../benchmarks/lib/backend-stand-in.mjs', import.meta.url).pathname;
const tempDir = tempDirs('se-bench-');
const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0)) child.kill();
});

/** Starts the stand-in as the benchmark runner does: a process that prints its URL. */
async function standIn(lines: string): Promise<string> {
  const items = join(await tempDir(), 'items.jsonl');
  await writeFile(items, lines);
  const child = spawn(process.execPath, [SERVER, items], { stdio: ['ignore', 'pipe', 'inherit'] });
  started.push(child);
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  return chunk.toString().trim();
}

const item = (i: number) => ({ id: i, data: { n: i, label: 'é' }, files: { file_name_original: `img_${i}.jpg`, path: `../media/m${i}.jpg` } });

describe('benchmark backend stand-in', () => {
  it('serves the JSONL items in order as paginated assignments the backend client reads', async () => {
    // 23 items, the last line without a newline: pages of 10 are 10, 10 and 3.
    const lines = Array.from({ length: 23 }, (_, i) => JSON.stringify(item(i + 1))).join('\n');
    const client = new BackendClient({ host: await standIn(lines), token: 't', pageSize: 10, backoffMs: 1 });
    const listing = await assignmentHandler.getResults(client, { project: 1 });
    expect(listing.count).toBe(23);
    const exported = [];
    for await (const result of listing.results) exported.push(assignmentHandler.toExportItem(result));
    expect(exported).toEqual(Array.from({ length: 23 }, (_, i) => item(i + 1)));
  });

  it('answers an empty listing and refuses other paths', async () => {
    const url = await standIn('');
    const client = new BackendClient({ host: url, token: 't', backoffMs: 1, retries: 0 });
    const page = await client.listAssignmentsPage({ project: 1 });
    expect(page).toMatchObject({ count: 0, next: null, results: [] });
    expect((await fetch(`${url}sdk/tasks/?project=1`)).status).toBe(404);
  });
});
