import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';

import { describe, expect, it } from 'vitest';

import { ErrorCode, ExportError } from '../../lib/errors.js';
import { fileSource, openInput, streamSource } from '../../lib/sources/file-source.js';
import { SourceFailure } from '../../lib/sources/source-failure.js';
import { byteStream, collect, useTempDir } from './helpers.js';
import { rejectionOf } from '../helpers/assertions.js';

const tmp = useTempDir();

describe('format detection', () => {
  it('reads a .json file starting with [ as a top-level array', async () => {
    const path = await tmp.write('items.json', '\n  [{"id":1},{"id":2}]\n');
    const source = await fileSource(path);
    expect(await collect(source.items())).toEqual([{ id: 1 }, { id: 2 }]);
    expect(await source.count?.()).toBeUndefined();
  });

  it('reads a .json file starting with { as an object holding the array under results', async () => {
    const path = await tmp.write('page.json', '{"count":2,"results":[{"id":1},{"id":2}]}');
    expect(await collect((await fileSource(path)).items())).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('detects the format behind a BOM and leading blanks', async () => {
    const path = await tmp.write('page.json', '\uFEFF \r\n{"results":[{"id":1}]}');
    expect(await collect((await fileSource(path)).items())).toEqual([{ id: 1 }]);
  });

  it('reads .jsonl and .ndjson as JSON Lines whatever they start with', async () => {
    // Lines that are arrays: as JSONL each line is one item; as a JSON array this would fail.
    for (const name of ['rows.jsonl', 'rows.ndjson', 'ROWS.NDJSON']) {
      const path = await tmp.write(name, '[1,2]\n["a"]\n');
      const source = await fileSource(path);
      expect(await collect(source.items())).toEqual([[1, 2], ['a']]);
      expect(await source.count?.()).toBe(2);
    }
  });

  it('reads a file with an unknown extension starting with { as JSON Lines', async () => {
    for (const name of ['items.txt', 'items']) {
      const path = await tmp.write(name, '{"id":1}\n{"id":2}\n');
      const source = await fileSource(path);
      expect(await collect(source.items())).toEqual([{ id: 1 }, { id: 2 }]);
      expect(await source.count?.()).toBe(2);
    }
  });

  it('reads a file with an unknown extension starting with [ as a JSON array', async () => {
    const path = await tmp.write('items.txt', '[{"id":1},\n{"id":2}]');
    expect(await collect((await fileSource(path)).items())).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('lets the format option override the extension', async () => {
    const asJson = await tmp.write('page.txt', '{"results":[{"id":1}]}');
    expect(await collect((await fileSource(asJson, { format: 'json' })).items())).toEqual([{ id: 1 }]);
    const asJsonl = await tmp.write('lines.json', '{"id":1}\n{"id":2}\n');
    expect(await collect((await fileSource(asJsonl, { format: 'jsonl' })).items())).toEqual([{ id: 1 }, { id: 2 }]);
  });
});

describe('openInput', () => {
  it('opens a dataset folder through its items.jsonl, resolving media against the folder', async () => {
    const folder = join(tmp.dir(), 'dataset');
    await mkdir(folder);
    await tmp.write('dataset/items.jsonl', '{"id":1,"files":{"path":"img/1.jpg"}}\n');
    const source = await openInput(folder);
    expect(source.baseDirectory).toBe(folder);
    expect(source.description).toBe(join(folder, 'items.jsonl'));
    expect(await collect(source.items())).toEqual([{ id: 1, files: { path: 'img/1.jpg' } }]);
    expect(await source.count?.()).toBe(1);
  });

  it('prefers items.jsonl to items.json and falls back to items.json', async () => {
    const folder = join(tmp.dir(), 'dataset');
    await mkdir(folder);
    await tmp.write('dataset/items.json', '[{"id":"json"}]');
    expect(await collect((await openInput(folder)).items())).toEqual([{ id: 'json' }]);
    await tmp.write('dataset/items.jsonl', '{"id":"jsonl"}\n');
    expect(await collect((await openInput(folder)).items())).toEqual([{ id: 'jsonl' }]);
  });

  it('opens a file path directly', async () => {
    const path = await tmp.write('export.ndjson', '{"id":1}\n');
    const source = await openInput(path);
    expect(source.baseDirectory).toBe(tmp.dir());
    expect(await collect(source.items())).toEqual([{ id: 1 }]);
  });

  it('rejects a folder without an items file with ERR_INPUT_UNREADABLE naming the folder', async () => {
    const folder = join(tmp.dir(), 'no-items');
    await mkdir(folder);
    await tmp.write('no-items/readme.txt', 'nothing here');
    const error = await rejectionOf(openInput(folder));
    expect(error.code).toBe(ErrorCode.INPUT_UNREADABLE);
    expect(error.code).toBe('ERR_INPUT_UNREADABLE');
    expect(error.message).toContain(folder);
    expect(error.fileName).toBe(folder);
  });

  it('rejects a missing path with ERR_INPUT_UNREADABLE naming it', async () => {
    const missing = join(tmp.dir(), 'does-not-exist.jsonl');
    const error = await rejectionOf(openInput(missing));
    expect(error.code).toBe('ERR_INPUT_UNREADABLE');
    expect(error.message).toContain(missing);
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
  });
});

describe('count()', () => {
  it('counts the non-blank lines of a JSONL file', async () => {
    const path = await tmp.write('items.jsonl', '{"id":1}\n\n{"id":2}\r\n  \r\n\t\n{"id":3}\n\n');
    expect(await (await fileSource(path)).count?.()).toBe(3);
  });

  it('counts a last line without a trailing newline', async () => {
    const path = await tmp.write('items.jsonl', '{"id":1}\n{"id":2}');
    expect(await (await fileSource(path)).count?.()).toBe(2);
  });

  it('counts zero for an empty or blank JSONL file', async () => {
    expect(await (await fileSource(await tmp.write('empty.jsonl', ''))).count?.()).toBe(0);
    expect(await (await fileSource(await tmp.write('blank.jsonl', '\n \r\n'))).count?.()).toBe(0);
  });

  it('counts lines that span the 1 MiB read chunks once', async () => {
    const long = `{"id":1,"pad":"${'x'.repeat((1 << 20) + 10)}"}`;
    const path = await tmp.write('long.jsonl', `${long}\n{"id":2}\n${long}`);
    expect(await (await fileSource(path)).count?.()).toBe(3);
  });

  it('agrees with the number of items a JSONL file yields', async () => {
    const path = await tmp.write('items.jsonl', '\uFEFF{"id":1}\r\n\r\n{"id":2}\n{bad}\n\n{"id":3}');
    const source = await fileSource(path);
    expect(await source.count?.()).toBe((await collect(source.items())).length);
  });

  it('is undefined for a JSON array', async () => {
    const path = await tmp.write('items.json', '[{"id":1},{"id":2}]');
    const source = await fileSource(path);
    expect(source.count).toBeTypeOf('function');
    expect(await source.count?.()).toBeUndefined();
  });
});

describe('streamSource', () => {
  it('reads JSON Lines from a byte stream, naming standard input in failures', async () => {
    const source = streamSource(byteStream(['{"id":1}\n{"id"', ':2}\nnope\n{"id":3}']));
    expect(source.description).toBe('standard input');
    const values = await collect(source.items());
    expect(values).toHaveLength(4);
    expect(values.filter((v) => !(v instanceof SourceFailure))).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect((values[2] as SourceFailure).location).toBe('standard input line 3');
  });

  it('reads a JSON array when the first non-blank character is [', async () => {
    const source = streamSource(byteStream(['\n [{"id":1},', '{"id":2}', ',{"id":3}]\n']));
    expect(await collect(source.items())).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
  });

  it('keeps reading when the first chunk is only whitespace', async () => {
    const source = streamSource(byteStream(['  \r\n\t', '\n', '   [{"id":1},', '{"id":2}]']));
    expect(await collect(source.items())).toEqual([{ id: 1 }, { id: 2 }]);
    const lines = streamSource(byteStream(['\n\n', '{"id":1}\n', '{"id":2}\n']));
    expect(await collect(lines.items())).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('waits for chunks that arrive late, like a pipe', async () => {
    async function* slow(): AsyncGenerator<Buffer> {
      yield Buffer.from('   ');
      await delay(5);
      yield Buffer.from('[{"id":1}');
      await delay(5);
      yield Buffer.from(',{"id":2}]');
    }
    const source = streamSource(Readable.from(slow(), { objectMode: false }));
    expect(await collect(source.items())).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('drops a leading BOM for JSON Lines and for a JSON array', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const lines = streamSource(byteStream([Buffer.concat([bom, Buffer.from('{"id":1}\n{"id":2}\n')])]));
    expect(await collect(lines.items())).toEqual([{ id: 1 }, { id: 2 }]);
    const array = streamSource(byteStream([bom, Buffer.from('[{"id":1},{"id":2}]')]));
    expect(await collect(array.items())).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('reads an object stream as JSON Lines unless the format says json', async () => {
    const text = '{"results":[{"id":1},{"id":2}]}';
    expect(await collect(streamSource(byteStream([text])).items())).toEqual([{ results: [{ id: 1 }, { id: 2 }] }]);
    const forced = streamSource(byteStream([text]), { format: 'json', description: 'pipe' });
    expect(forced.description).toBe('pipe');
    expect(await collect(forced.items())).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('reads JSON Lines when the format says jsonl, even if the first line starts with [', async () => {
    const source = streamSource(byteStream(['[1,2]\n{"id":1}\n']), { format: 'jsonl' });
    expect(await collect(source.items())).toEqual([[1, 2], { id: 1 }]);
  });

  it('yields nothing for an empty stream', async () => {
    expect(await collect(streamSource(byteStream([])).items())).toEqual([]);
    expect(await collect(streamSource(byteStream([' \n'])).items())).toEqual([]);
  });
});
