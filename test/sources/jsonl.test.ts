import { describe, expect, it } from 'vitest';

import { fileSource } from '../../lib/sources/file-source.js';
import { parseJsonLines } from '../../lib/sources/jsonl.js';
import { SourceFailure } from '../../lib/sources/source-failure.js';
import { byteStream, collect, failures, useTempDir } from './helpers.js';

const tmp = useTempDir();

describe('parseJsonLines', () => {
  it('yields one item per line, in order', async () => {
    const input = byteStream(['{"id":1,"data":{"a":1},"files":{}}\n{"id":2,"data":null,"files":{}}\n{"id":"three"}\n']);
    expect(await collect(parseJsonLines(input, 'in.jsonl'))).toEqual([
      { id: 1, data: { a: 1 }, files: {} },
      { id: 2, data: null, files: {} },
      { id: 'three' },
    ]);
  });

  it('ignores blank lines and CRLF line endings', async () => {
    const input = byteStream(['\r\n{"id":1}\r\n\r\n   \r\n{"id":2}\r\n\t\n{"id":3}\r\n\r\n']);
    expect(await collect(parseJsonLines(input, 'in.jsonl'))).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
  });

  it('drops a UTF-8 BOM at the start', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const input = byteStream([Buffer.concat([bom, Buffer.from('{"id":1}\n{"id":2}\n')])]);
    expect(await collect(parseJsonLines(input, 'in.jsonl'))).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('drops a BOM that arrives split over several chunks', async () => {
    const input = byteStream([Buffer.from([0xef]), Buffer.from([0xbb]), Buffer.from([0xbf]), '{"id":1}\n']);
    expect(await collect(parseJsonLines(input, 'in.jsonl'))).toEqual([{ id: 1 }]);
  });

  it('turns a malformed line into a SourceFailure naming its 1-based line number, blank lines counted', async () => {
    // line 1: item, line 2: blank, line 3: item, line 4: blank, line 5: broken, line 6: item
    const input = byteStream(['{"id":1}\n\n{"id":2}\n\n{"id":3,\n{"id":4}\n']);
    const values = await collect(parseJsonLines(input, 'items.jsonl'));
    expect(values).toHaveLength(4);
    expect(values[0]).toEqual({ id: 1 });
    expect(values[1]).toEqual({ id: 2 });
    expect(values[2]).toBeInstanceOf(SourceFailure);
    const failure = values[2] as SourceFailure;
    expect(failure.location).toBe('items.jsonl line 5');
    expect(failure.message).not.toBe('');
    expect(values[3]).toEqual({ id: 4 });
  });

  it('counts CRLF lines correctly when reporting a malformed line', async () => {
    const input = byteStream(['{"id":1}\r\n\r\nnot json\r\n{"id":2}\r\n']);
    const values = await collect(parseJsonLines(input, 'x.jsonl'));
    expect(values.map((v) => (v instanceof SourceFailure ? v.location : v))).toEqual([{ id: 1 }, 'x.jsonl line 3', { id: 2 }]);
  });

  it('decodes a multi-byte character split across chunk boundaries', async () => {
    const text = '{"id":1,"name":"한국어 보행자"}\n{"id":2,"name":"끝"}\n';
    const bytes = Buffer.from(text, 'utf8');
    const start = bytes.indexOf(Buffer.from('한', 'utf8'));
    expect(start).toBeGreaterThan(0);
    // Cut inside 한 (3 bytes) and then feed the rest three bytes at a time, misaligned with characters.
    const chunks: Buffer[] = [bytes.subarray(0, start + 1), bytes.subarray(start + 1, start + 2)];
    for (let i = start + 2; i < bytes.length; i += 3) chunks.push(bytes.subarray(i, Math.min(i + 3, bytes.length)));
    const values = await collect(parseJsonLines(byteStream(chunks), 'in.jsonl'));
    expect(failures(values)).toEqual([]);
    expect(values).toEqual([
      { id: 1, name: '한국어 보행자' },
      { id: 2, name: '끝' },
    ]);
  });

  it('reads a 1 MB chunk of multi-byte lines, and a line longer than 64 KB, whole and in order', async () => {
    // One chunk, decoded in pieces cut after line breaks: every line must come through whole.
    const lines = Array.from({ length: 1500 }, (_, id) => ({ id, name: `보행자 ${'é'.repeat(id % 700)} 狗` }));
    lines.splice(750, 0, { id: -1, name: '한'.repeat(40_000) });
    const chunk = Buffer.from(lines.map((line) => JSON.stringify(line)).join('\n'), 'utf8');
    expect(chunk.length).toBeGreaterThan(1 << 20);
    expect(await collect(parseJsonLines(byteStream([chunk]), 'in.jsonl'))).toEqual(lines);
  });

  it('parses a last line without a trailing newline', async () => {
    const input = byteStream(['{"id":1}\n{"id":', '2}']);
    expect(await collect(parseJsonLines(input, 'in.jsonl'))).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('reports a malformed last line without a trailing newline with its line number', async () => {
    const input = byteStream(['{"id":1}\n\n{"id":']);
    const values = await collect(parseJsonLines(input, 'in.jsonl'));
    expect(values[0]).toEqual({ id: 1 });
    expect(values).toHaveLength(2);
    expect((values[1] as SourceFailure).location).toBe('in.jsonl line 3');
  });

  it('yields nothing for an empty or all-blank input', async () => {
    expect(await collect(parseJsonLines(byteStream([]), 'in.jsonl'))).toEqual([]);
    expect(await collect(parseJsonLines(byteStream(['\n \r\n\n']), 'in.jsonl'))).toEqual([]);
  });
});

describe('fileSource on a .jsonl file', () => {
  it('streams the items in order and resolves media against the file folder', async () => {
    const path = await tmp.write('items.jsonl', '\uFEFF{"id":1}\r\n\r\n{"id":2}\r\n{"id":3}');
    const source = await fileSource(path);
    expect(source.baseDirectory).toBe(tmp.dir());
    expect(source.description).toBe(path);
    expect(await collect(source.items())).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    // items() can be called again and reads the file afresh.
    expect(await collect(source.items())).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
  });

  it('names the file and the line of a malformed entry and keeps going', async () => {
    const path = await tmp.write('data.jsonl', '{"id":1}\n\n{oops}\n{"id":2}\n');
    const values = await collect((await fileSource(path)).items());
    expect(values).toHaveLength(3);
    expect((values[1] as SourceFailure).location).toBe('data.jsonl line 3');
    expect(values[2]).toEqual({ id: 2 });
  });

  it('decodes a Korean character that straddles the 64 KiB read boundary', async () => {
    // The first line pads the file so that 한 starts one byte before the 65536-byte chunk edge.
    const tail = '{"id":2,"name":"한글"}\n';
    const prefix = '{"id":1,"pad":"';
    const closing = '"}\n';
    const korean = Buffer.byteLength('{"id":2,"name":"', 'utf8');
    const padLength = 65536 - 1 - korean - prefix.length - closing.length;
    const content = `${prefix}${'x'.repeat(padLength)}${closing}${tail}`;
    const bytes = Buffer.from(content, 'utf8');
    expect(bytes.indexOf(Buffer.from('한', 'utf8'))).toBe(65535);
    const path = await tmp.write('big.jsonl', bytes);
    const values = await collect((await fileSource(path)).items());
    expect(failures(values)).toEqual([]);
    expect(values).toHaveLength(2);
    expect(values[1]).toEqual({ id: 2, name: '한글' });
  });
});
