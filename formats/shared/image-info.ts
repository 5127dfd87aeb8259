import { extname, resolve } from 'node:path';
import { ErrorCode, ExportError, messageOf } from '../../lib/errors.js';
import type { ExportItem } from '../../lib/types.js';
import { readImageSize, type ImageSize } from './image-header.js';

/** Fetches an item's remote original to a local file and returns its path (see `formatStage`). */
export type FetchOriginal = (url: string, item: ExportItem) => Promise<string>;

export interface ImageInfoOptions {
  /** Relative `files.path` values resolve against it. Default: the working directory. */
  baseDirectory?: string;
  /** Read the header even when the document gives the size (VOC wants the channel count). */
  readHeader?: boolean;
  fetchOriginal?: FetchOriginal;
}

/** An image's size, and its channels when the header was read. */
export type ImageInfo = ImageSize;

/**
 * The image size of an item: `files.width`/`height` (which the DM normaliser fills from the
 * document's `extra`), else the media file's header, read without decoding the image. A remote
 * original whose size is unknown is fetched once, through `fetchOriginal`, and the item's
 * `files.path` then points at the local copy so the original is not downloaded again.
 * Returns the item (possibly with the new `files.path`) and the size; throws naming the item
 * when there is no usable size.
 */
export async function resolveImageInfo(item: ExportItem, options: ImageInfoOptions): Promise<{ item: ExportItem; image: ImageInfo }> {
  const files = item.files ?? {};
  const width = Number(files.width);
  const height = Number(files.height);
  const known = files.width !== undefined && files.height !== undefined && Number.isFinite(width) && Number.isFinite(height);
  let current = item;
  let image: ImageInfo | undefined = known ? { width, height } : undefined;
  if (image === undefined || options.readHeader) {
    let path = typeof files.path === 'string' && files.path !== '' ? resolve(options.baseDirectory ?? process.cwd(), files.path) : undefined;
    if (path === undefined && typeof files.url === 'string' && options.fetchOriginal !== undefined && image === undefined) {
      path = await options.fetchOriginal(files.url, item);
      const name = files.file_name_original ?? nameFromUrl(files.url);
      current = { ...item, files: { ...files, path, ...(name === undefined ? {} : { file_name_original: name }) } };
    }
    if (path !== undefined) {
      const header = await readImageSize(path).catch((error: unknown) => {
        if (image !== undefined) return undefined;
        throw new ExportError(`item ${String(item.id)}: cannot read the image header of ${String(files.path ?? files.url)}: ${messageOf(error)}`, {
          code: ErrorCode.IMAGE_SIZE_UNKNOWN,
          itemId: item.id,
        });
      });
      if (header !== undefined) image = image === undefined ? header : { ...image, ...(header.channels === undefined ? {} : { channels: header.channels }) };
    }
  }
  if (image === undefined) {
    throw new ExportError(
      `item ${String(item.id)}: the image size is unknown (no size in the document or files, and no readable PNG/JPEG/GIF/BMP header)`,
      { code: ErrorCode.IMAGE_SIZE_UNKNOWN, itemId: item.id },
    );
  }
  if (!(image.width > 0 && image.height > 0)) {
    throw new ExportError(`item ${String(item.id)}: the image is ${image.width}×${image.height}; its annotations cannot be placed`, {
      code: ErrorCode.IMAGE_SIZE_UNKNOWN,
      itemId: item.id,
    });
  }
  return { item: current, image };
}

function nameFromUrl(url: string): string | undefined {
  try {
    const name = decodeURIComponent(new URL(url).pathname).split('/').pop();
    return name && extname(name) ? name : undefined;
  } catch {
    return undefined;
  }
}
