import { describe, expect, it } from 'vitest';
import { MAX_NAME_BYTES, safeFileName, splitExtension } from '../../lib/naming/safe-name.js';

describe('safeFileName', () => {
  it.each([
    ['photo.jpg', 'photo.jpg'],
    ['../../etc/passwd', 'passwd'],
    ['/abs/path/img.png', 'img.png'],
    ['C:\\Users\\me\\img.png', 'img.png'],
    ['a\u0000b\u001fc.png', 'a_b_c.png'],
    ['what?<is>this*.png', 'what__is_this_.png'],
    ['..', 'fallback'],
    ['', 'fallback'],
    ['dir/', 'fallback'],
    ['name. . ', 'name'],
    ['CON.txt', '_CON.txt'],
    ['nul', '_nul'],
    ['교차로 사진.png', '교차로 사진.png'],
  ])('%j → %j', (raw, expected) => {
    expect(safeFileName(raw, 'fallback')).toBe(expected);
  });

  it('normalises Unicode to NFC so look-alike names meet', () => {
    expect(safeFileName('e\u0301.png', 'x')).toBe('\u00e9.png');
  });

  it('bounds the byte length, keeps the extension and never splits a character', () => {
    const name = safeFileName(`${'가'.repeat(400)}.jpeg`, 'x');
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(MAX_NAME_BYTES);
    expect(name.endsWith('.jpeg')).toBe(true);
    expect(name).not.toContain('\ufffd');
    expect([...name.slice(0, -5)].every((c) => c === '가')).toBe(true);
  });
});

describe('splitExtension', () => {
  it('splits as Python Path.stem/suffix do', () => {
    expect(splitExtension('a.tar.gz')).toEqual({ stem: 'a.tar', extension: '.gz' });
    expect(splitExtension('.env')).toEqual({ stem: '.env', extension: '' });
    expect(splitExtension('README')).toEqual({ stem: 'README', extension: '' });
  });
});
