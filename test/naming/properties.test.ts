import { join, normalize, relative, isAbsolute } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NameAllocator } from '../../lib/naming/name-allocator.js';
import { MAX_NAME_BYTES, safeFileName } from '../../lib/naming/safe-name.js';

// Names from anywhere: full Unicode, separators, dots, control characters.
const hostileName = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.array(fc.constantFrom('..', '.', '/', '\\', 'a', 'CON', '\u0000', '\n', 'é', 'e\u0301', 'A', '(1)', ' '), { maxLength: 12 }).map((parts) => parts.join('')),
);

describe('name sanitising (property-based)', () => {
  it('never leaves the directory, never yields a separator, a control character or an over-long name', () => {
    fc.assert(
      fc.property(hostileName, (raw) => {
        const name = safeFileName(raw, 'fallback');
        const path = join('/export/json', name);
        const rel = relative('/export/json', normalize(path));
        expect(rel === '..' || rel.startsWith('../') || isAbsolute(rel) || rel === '').toBe(false);
        expect(name).not.toMatch(/[/\\\u0000-\u001f]/);
        expect(Buffer.byteLength(name)).toBeLessThanOrEqual(MAX_NAME_BYTES);
      }),
      { numRuns: 2000 },
    );
  });

  it('is idempotent: a safe name stays as it is', () => {
    fc.assert(
      fc.property(hostileName, (raw) => {
        const once = safeFileName(raw, 'fallback');
        expect(safeFileName(once, 'fallback')).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });

  it('never gives two items the same name, even compared case-insensitively after normalisation', () => {
    fc.assert(
      fc.property(fc.array(hostileName, { maxLength: 60 }), (raws) => {
        const names = new NameAllocator();
        const stems = raws.map((raw, i) => names.allocate(raw, `item-${i}`).stem.normalize('NFC').toLowerCase());
        expect(new Set(stems).size).toBe(stems.length);
      }),
      { numRuns: 500 },
    );
  });
});
