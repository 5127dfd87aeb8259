import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readImageSize } from '../../../formats/shared/image-header.js';
import { tempDirs } from '../../helpers/temp-dir.js';

const sample = (path: string) => join('examples/sample-dataset', path);
const items = (await readFile(sample('items.jsonl'), 'utf8'))
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as { id: number; files: { path: string; width: number; height: number } });

describe('readImageSize', () => {
  const tempDir = tempDirs();

  it('reads every sample image (PNG and baseline JPEG, colour and grey) as the items file says', async () => {
    const existing = items.filter((item) => item.id !== 1013);
    for (const item of existing) {
      const size = await readImageSize(sample(item.files.path));
      expect({ id: item.id, width: size?.width, height: size?.height }).toEqual({ id: item.id, width: item.files.width, height: item.files.height });
    }
    expect((await readImageSize(sample('media/photos/IMG_2043.jpg')))?.channels).toBe(1);
    expect((await readImageSize(sample('media/photos/IMG_2041.jpg')))?.channels).toBe(3);
  });

  it('returns undefined for what is not an image, and for a JPEG cut before its frame header', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a.txt'), 'hello world, not an image');
    const jpeg = await readFile(sample('media/photos/IMG_2041.jpg'));
    await writeFile(join(dir, 'cut.jpg'), jpeg.subarray(0, 20));
    expect(await readImageSize(join(dir, 'a.txt'))).toBeUndefined();
    expect(await readImageSize(join(dir, 'cut.jpg'))).toBeUndefined();
  });
});
