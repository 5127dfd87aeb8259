// Deterministic cached datasets: items.jsonl (DM v1 documents of about 2.5 KB) whose items point
// at a shared pool of ~20 KB media files (incompressible bytes, like JPEG). Generated once under
// benchmarks/.cache and reused; meta.json records what every exporter must write.
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { syntheticSource } from '../../dist/index.js';

export const CACHE = new URL('../.cache/', import.meta.url).pathname;
/** Distinct media files; items cycle through them (1M distinct 20 KB files would be 20 GB of cache). */
export const MEDIA_POOL = 20_000;
const DATASET_VERSION = 1;

function mediaName(i) {
  return `media_${String(i).padStart(5, '0')}.jpg`;
}

/** 18–22 KB of seeded pseudo-random bytes. */
function mediaBytes(i) {
  let state = (i * 2654435761) >>> 0;
  const size = 18 * 1024 + (state % (4 * 1024));
  const bytes = Buffer.allocUnsafe(size);
  for (let b = 0; b < size; b += 4) {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    bytes.writeUInt32LE(state >>> 0, Math.min(b, size - 4));
  }
  return bytes;
}

function ensureMedia(log) {
  const dir = join(CACHE, 'media');
  const done = join(dir, '.complete');
  const sizes = join(CACHE, 'media-sizes.json');
  if (existsSync(done)) return { dir, sizes: JSON.parse(readFileSync(sizes, 'utf8')) };
  log(`generating ${MEDIA_POOL} media files in ${dir}`);
  mkdirSync(dir, { recursive: true });
  const list = [];
  for (let i = 0; i < MEDIA_POOL; i++) {
    const bytes = mediaBytes(i);
    writeFileSync(join(dir, mediaName(i)), bytes);
    list.push(bytes.length);
  }
  writeFileSync(sizes, JSON.stringify(list));
  writeFileSync(done, '');
  return { dir, sizes: list };
}

/** The dataset of `count` items, generated on first use. */
export async function ensureDataset(count, log = console.error) {
  const media = ensureMedia(log);
  const dir = join(CACHE, `items-${count}`);
  const metaPath = join(dir, 'meta.json');
  if (existsSync(metaPath)) {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8'));
    if (meta.version === DATASET_VERSION) return meta;
  }
  log(`generating ${count} items in ${dir}`);
  mkdirSync(dir, { recursive: true });
  const itemsPath = join(dir, 'items.jsonl');
  const out = createWriteStream(itemsPath);
  let jsonBytes = 0;
  let itemBytes = 0;
  let mediaTotal = 0;
  let i = 0;
  for (const item of syntheticSource({ count }).items()) {
    const pool = i % MEDIA_POOL;
    item.files = { file_name_original: item.files.file_name_original, path: `../media/${mediaName(pool)}` };
    const line = JSON.stringify(item) + '\n';
    itemBytes += Buffer.byteLength(line);
    jsonBytes += Buffer.byteLength(JSON.stringify(item.data, null, 4));
    mediaTotal += media.sizes[pool];
    if (!out.write(line)) await once(out, 'drain');
    i++;
  }
  out.end();
  await once(out, 'close');
  const meta = {
    version: DATASET_VERSION,
    count,
    itemsPath,
    mediaDirectory: media.dir,
    mediaPool: MEDIA_POOL,
    averageItemBytes: Math.round(itemBytes / count),
    jsonBytes,
    mediaBytes: mediaTotal,
  };
  writeFileSync(metaPath, JSON.stringify(meta, null, 2));
  return meta;
}
