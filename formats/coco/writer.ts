import type { NamedRecord } from '../../lib/exporter/context.js';
import { Spool } from '../../lib/output/spool.js';
import type { ExportStatus } from '../../lib/types.js';
import { sortedNames } from '../shared/class-list.js';
import type { FormattedItem } from '../shared/format-stage.js';
import { FormatWriter, type WriterContext } from '../shared/format-writer.js';
import type { CocoImage, CocoObject } from './convert.js';

export interface CocoInfo {
  description: string;
  url: string;
  version: string;
  year: number;
  contributor: string;
  date_created: string;
}

export interface CocoLicense {
  id: number;
  name: string;
  url: string;
}

export interface CocoWriterOptions {
  info?: Partial<CocoInfo>;
  licenses?: CocoLicense[];
}

interface SpooledImage {
  id: number;
  file_name: string;
  width: number;
  height: number;
}

interface SpooledObject extends CocoObject {
  image_id: number;
}

/** What a shard hands the fan-in: see `CocoWriter.part`. */
export interface CocoPart {
  splits: Array<{ split: string; images: SpooledImage[]; objects: SpooledObject[] }>;
  categories: Array<[string, string[]]>;
}

/** One split's `annotations.json` in the making: images and objects spill to disk as they come. */
interface SplitState {
  images: Spool<SpooledImage>;
  objects: Spool<SpooledObject>;
  nextImageId: number;
}

/** Objects are written in chunks of about this many characters. */
const CHUNK = 64 * 1024;

/**
 * Writes COCO: `[<split>/]images/<file>` per item, and per split an `annotations.json` with
 * `info`, `licenses`, `images`, `annotations`, `categories`. Images and annotations go to spools
 * (on disk past a few thousand) as items arrive and are streamed into the file in `close`;
 * only the category names stay in memory. Category ids are the classes sorted by name, from 1;
 * image and annotation ids count from 1 in each split, in source order.
 */
export class CocoWriter extends FormatWriter<CocoImage> {
  private readonly splits = new Map<string, SplitState>();
  /** Category → its keypoint part names (empty for categories without keypoints). */
  private readonly categories = new Map<string, Set<string>>();
  private readonly info: CocoInfo;
  private readonly licenses: CocoLicense[];

  constructor(ctx: WriterContext, options: CocoWriterOptions = {}) {
    super(ctx);
    const now = new Date();
    this.info = {
      description: 'Converted from DM format',
      url: '',
      version: '1.0',
      year: now.getFullYear(),
      contributor: '',
      date_created: now.toISOString().slice(0, 19).replace('T', ' '),
      ...options.info,
    };
    this.licenses = options.licenses ?? [{ id: 1, name: 'Unknown', url: '' }];
  }

  protected imagePath(record: NamedRecord<FormattedItem<CocoImage>>): string {
    return `${splitFolder(record.item.split)}images/${record.names.originalFileName}`;
  }

  /** Ids are taken before the first await, so they follow source order whatever finishes first. */
  async saveAnnotations(record: NamedRecord<FormattedItem<CocoImage>>): Promise<ExportStatus> {
    const state = this.stateOf(record.item.split ?? '');
    const converted = record.item.converted;
    const imageId = state.nextImageId;
    state.nextImageId += 1;
    state.images.append({ id: imageId, file_name: record.names.originalFileName, width: converted.width, height: converted.height });
    for (const object of converted.objects) {
      state.objects.append({ image_id: imageId, ...object });
      const parts = this.categories.get(object.category) ?? new Set<string>();
      this.categories.set(object.category, parts);
      for (const name of Object.keys(object.keypoints ?? {})) parts.add(name);
    }
    // Backpressure: while the spools' files catch up, this item stays in the window.
    await Promise.all([state.images.drained(), state.objects.drained()]);
    return 'success';
  }

  async close(): Promise<void> {
    const names = sortedNames(this.categories.keys());
    const ids = new Map(names.map((name, index) => [name, index + 1]));
    const parts = new Map(names.map((name) => [name, sortedNames(this.categories.get(name)!)]));
    const categories = names.map((name) => {
      const category: Record<string, unknown> = { id: ids.get(name), name, supercategory: name };
      const keypoints = parts.get(name)!;
      if (keypoints.length > 0) {
        category.keypoints = keypoints;
        category.skeleton = [];
      }
      return category;
    });
    if (this.splits.size === 0) this.stateOf('');
    for (const [split, state] of this.splits) {
      await this.ensureDirectory(splitFolder(split) || '.');
      await this.ctx.output.writeChunks(`${splitFolder(split)}annotations.json`, this.document(state, categories, ids, parts));
      await Promise.all([state.images.dispose(), state.objects.dispose()]);
    }
  }

  /** The document as text chunks: one image or annotation per line, in the reference's key order. */
  private async *document(
    state: SplitState,
    categories: readonly unknown[],
    ids: ReadonlyMap<string, number>,
    parts: ReadonlyMap<string, string[]>,
  ): AsyncGenerator<string> {
    yield `{\n"info": ${JSON.stringify(this.info)},\n"licenses": ${JSON.stringify(this.licenses)},\n"images": [`;
    let chunk = '';
    let first = true;
    for await (const image of state.images.values()) {
      chunk += `${first ? '\n' : ',\n'}${JSON.stringify({ ...image, license: this.licenses[0]?.id ?? 1 })}`;
      first = false;
      if (chunk.length >= CHUNK) {
        yield chunk;
        chunk = '';
      }
    }
    chunk += '\n],\n"annotations": [';
    first = true;
    let annotationId = 0;
    for await (const object of state.objects.values()) {
      annotationId += 1;
      const annotation: Record<string, unknown> = {
        id: annotationId,
        image_id: object.image_id,
        category_id: ids.get(object.category),
        segmentation: object.segmentation,
        bbox: object.bbox,
        iscrowd: 0,
        area: object.area,
      };
      if (object.keypoints !== undefined) {
        const order = parts.get(object.category) ?? [];
        annotation.keypoints = order.flatMap((name) => object.keypoints![name] ?? [0, 0, 0]);
        annotation.num_keypoints = order.filter((name) => (object.keypoints![name]?.[2] ?? 0) > 0).length;
      }
      chunk += `${first ? '\n' : ',\n'}${JSON.stringify(annotation)}`;
      first = false;
      if (chunk.length >= CHUNK) {
        yield chunk;
        chunk = '';
      }
    }
    yield `${chunk}\n],\n"categories": ${JSON.stringify(categories)}\n}\n`;
  }

  /** A shard's images and objects per split (ids from 1 in the shard) and its categories' keypoint names. */
  override async part(): Promise<CocoPart> {
    const splits: CocoPart['splits'] = [];
    for (const [split, state] of this.splits) {
      const images: SpooledImage[] = [];
      const objects: SpooledObject[] = [];
      for await (const image of state.images.values()) images.push(image);
      for await (const object of state.objects.values()) objects.push(object);
      splits.push({ split, images, objects });
      await Promise.all([state.images.dispose(), state.objects.dispose()]);
    }
    return { splits, categories: [...this.categories].map(([name, parts]) => [name, [...parts]]) };
  }

  /** Renumbers a shard's image ids to follow the shards before it, so `close` writes what one run would. */
  override async absorb(part: CocoPart): Promise<void> {
    for (const { split, images, objects } of part.splits) {
      const state = this.stateOf(split);
      const offset = state.nextImageId - 1;
      for (const image of images) {
        state.images.append({ ...image, id: image.id + offset });
        await state.images.drained();
      }
      for (const object of objects) {
        state.objects.append({ ...object, image_id: object.image_id + offset });
        await state.objects.drained();
      }
      state.nextImageId += images.length;
    }
    for (const [name, keypoints] of part.categories) {
      const parts = this.categories.get(name) ?? new Set<string>();
      this.categories.set(name, parts);
      for (const keypoint of keypoints) parts.add(keypoint);
    }
  }

  private stateOf(split: string): SplitState {
    let state = this.splits.get(split);
    if (state === undefined) {
      const prefix = split === '' ? 'coco' : `coco-${split}`;
      state = {
        images: new Spool<SpooledImage>(this.ctx.output.workPath(`${prefix}-images.jsonl`)),
        objects: new Spool<SpooledObject>(this.ctx.output.workPath(`${prefix}-annotations.jsonl`)),
        nextImageId: 1,
      };
      this.splits.set(split, state);
    }
    return state;
  }
}

function splitFolder(split: string | undefined): string {
  return split === undefined || split === '' ? '' : `${split}/`;
}
