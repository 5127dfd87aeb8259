import { describe, expect, it } from 'vitest';
import { NameAllocator } from '../../lib/naming/name-allocator.js';
import { CompactKeySet } from '../../lib/compact-key-set.js';

describe('NameAllocator', () => {
  it('gives a, a(1), a(2) in arrival order, the JSON and original sharing the stem', () => {
    const names = new NameAllocator();
    expect(names.allocate('a.jpg', 'x')).toEqual({ stem: 'a', originalFileName: 'a.jpg', jsonFileName: 'a.json' });
    expect(names.allocate('a.png', 'x')).toEqual({ stem: 'a(1)', originalFileName: 'a(1).png', jsonFileName: 'a(1).json' });
    expect(names.allocate('a.jpg', 'x')).toEqual({ stem: 'a(2)', originalFileName: 'a(2).jpg', jsonFileName: 'a(2).json' });
  });

  it('treats names that differ only in case as colliding', () => {
    const names = new NameAllocator();
    names.allocate('Photo.JPG', 'x');
    expect(names.allocate('photo.jpg', 'x').stem).toBe('photo(1)');
  });

  it('does not hand out a suffixed name that an item already took as its own', () => {
    const names = new NameAllocator();
    names.allocate('a(1).jpg', 'x');
    names.allocate('a.jpg', 'x');
    expect(names.allocate('a.jpg', 'x').stem).toBe('a(2)');
  });

  it('uses the fallback for names that reduce to nothing', () => {
    const names = new NameAllocator();
    expect(names.allocate('../', 'item-7').jsonFileName).toBe('item-7.json');
  });
});

describe('CompactKeySet', () => {
  it('remembers every key through many resizes and answers exactly for them', () => {
    const set = new CompactKeySet(4);
    for (let i = 0; i < 50_000; i++) expect(set.add(`stem-${i}`)).toBe(true);
    expect(set.size).toBe(50_000);
    for (let i = 0; i < 50_000; i += 997) expect(set.add(`stem-${i}`)).toBe(false);
    for (let i = 0; i < 50_000; i += 991) expect(set.has(`stem-${i}`)).toBe(true);
    let falsePositives = 0;
    for (let i = 50_000; i < 60_000; i++) if (set.has(`stem-${i}`)) falsePositives += 1;
    expect(falsePositives).toBe(0);
  });
});
