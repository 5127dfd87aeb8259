import { describe, expect, it } from 'vitest';

import { fileSource } from '../../lib/sources/file-source.js';
import { syntheticSource } from '../../lib/sources/synthetic.js';
import { parseJsonArray } from '../../lib/sources/json-array.js';
import { SourceFailure } from '../../lib/sources/source-failure.js';
import { byteStream, collect, failures, useTempDir } from './helpers.js';

const tmp = useTempDir();

const items = [
  { id: 1, data: { label: 'a' }, files: { file_name_original: 'a.jpg' } },
  { id: 2, data: { label: '보행자' }, files: {} },
  { id: 'three', data: null, files: { path: 'img/3.png' } },
  { id: 4, data: [1, 2, 3], files: {} },
];

describe('JSON array files', () => {
  it('streams every element of a top-level array in order', async () => {
    const path = await tmp.write('items.json', JSON.stringify(items, null, 2));
    const source = await fileSource(path);
    expect(source.baseDirectory).toBe(tmp.dir());
    expect(await collect(source.items())).toEqual(items);
  });

  it('reads the array under `results` in a top-level object by default', async () => {
    const page = { count: items.length, next: null, results: items, previous: { results: ['not this'] } };
    const path = await tmp.write('page.json', JSON.stringify(page));
    expect(await collect((await fileSource(path)).items())).toEqual(items);
  });

  it('reads the array under a custom key given as arrayKey', async () => {
    const page = { total: 4, results: [{ id: 'wrong' }], entries: items };
    const path = await tmp.write('page.json', JSON.stringify(page));
    expect(await collect((await fileSource(path, { arrayKey: 'entries' })).items())).toEqual(items);
  });

  it('yields the elements before a syntax error, then exactly one SourceFailure naming the element index', async () => {
    const text = '[{"id":1},{"id":2},{"id":3,,},{"id":4},{"id":5}]';
    const path = await tmp.write('broken.json', text);
    const values = await collect((await fileSource(path)).items());
    expect(values.slice(0, 2)).toEqual([{ id: 1 }, { id: 2 }]);
    expect(values).toHaveLength(3);
    const failure = values[2] as SourceFailure;
    expect(failure).toBeInstanceOf(SourceFailure);
    expect(failure.location).toBe('broken.json element 2');
    expect(failure.message).toMatch(/rest of the document could not be read/);
  });

  it('reports a document cut short after its last complete element', async () => {
    const path = await tmp.write('cut.json', '{"results":[{"id":1},{"id":2},{"id":3');
    const values = await collect((await fileSource(path)).items());
    expect(values.slice(0, 2)).toEqual([{ id: 1 }, { id: 2 }]);
    expect(failures(values).map((f) => f.location)).toEqual(['cut.json element 2']);
    expect(values).toHaveLength(3);
  });

  it('yields nothing for an empty array', async () => {
    const path = await tmp.write('empty.json', ' [ ] \n');
    expect(await collect((await fileSource(path)).items())).toEqual([]);
    const object = await tmp.write('empty-page.json', '{"count":0,"results":[]}');
    expect(await collect((await fileSource(object)).items())).toEqual([]);
  });

  it('drops a UTF-8 BOM in front of the array', async () => {
    const path = await tmp.write('bom.json', `\uFEFF${JSON.stringify(items)}`);
    expect(await collect((await fileSource(path)).items())).toEqual(items);
  });
});

describe('parseJsonArray', () => {
  it('decodes multi-byte characters split across chunks', async () => {
    const bytes = Buffer.from(JSON.stringify([{ id: 1, name: '한국어' }, { id: 2, name: '狗' }]), 'utf8');
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 2) chunks.push(bytes.subarray(i, i + 2));
    expect(await collect(parseJsonArray(byteStream(chunks), 'in'))).toEqual([
      { id: 1, name: '한국어' },
      { id: 2, name: '狗' },
    ]);
  });

  it('names the element after the last complete one when the error arrives in a later chunk', async () => {
    const values = await collect(parseJsonArray(byteStream(['[{"id":1},', '{"id":2},', '{"id":3}', ' x ]']), 'in'));
    expect(values.slice(0, 3)).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect(values).toHaveLength(4);
    expect((values[3] as SourceFailure).location).toBe('in element 3');
  });

  it('streams elements whose strings hold brackets, commas and escaped quotes, and non-object elements', async () => {
    const tricky = [
      { s: '}],{["\\', t: '\\' },
      'x,]',
      [1, [2, { a: '[' }]],
      3,
      null,
      { nested: { deep: [{ '}': ',' }] } },
    ];
    const text = JSON.stringify(tricky, null, 2);
    // Cut every 5 bytes so strings, escapes and nesting straddle chunks.
    const bytes = Buffer.from(text);
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 5) chunks.push(bytes.subarray(i, i + 5));
    expect(await collect(parseJsonArray(byteStream(chunks), 'in'))).toEqual(tricky);
    expect(await collect(parseJsonArray(byteStream([JSON.stringify({ other: [[1]], results: tricky })]), 'in', { key: 'results' }))).toEqual(tricky);
  });

  it('keeps every element before an error deep in a multi-chunk document', async () => {
    const items = [...(syntheticSource({ count: 100 }).items() as Iterable<unknown>)];
    const text = `{"count":100,"results":[${items.map((item) => JSON.stringify(item)).join(',\n')},\n{"id":101,"data":{"a":1,}}, {"id":102}]}`;
    const bytes = Buffer.from(text);
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 65536) chunks.push(bytes.subarray(i, i + 65536));
    expect(chunks.length).toBeGreaterThanOrEqual(4);
    const values = await collect(parseJsonArray(byteStream(chunks), 'page.json', { key: 'results' }));
    expect(values).toHaveLength(101);
    expect(JSON.stringify(values.slice(0, 100))).toBe(JSON.stringify(items));
    expect((values[100] as SourceFailure).location).toBe('page.json element 100');
  });
});
