import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import { BaseExporter, type ExporterOptions } from '../../lib/exporter/base-exporter.js';
import type { ExportContext, NamedRecord, OutputPaths } from '../../lib/exporter/context.js';
import { downloadToFile } from '../../lib/sinks/download.js';
import type { SourceInput } from '../../lib/sources/item-source.js';
import type { ExportItem } from '../../lib/types.js';
import { classMapper, type ClassMapper, type ClassMappingOptions } from '../../transforms/classes.js';
import { loadDmValidator } from '../../transforms/dm/load-validator.js';
import { splitOf, type SplitRatios } from '../../transforms/split.js';
import { warningSink } from '../../transforms/warnings.js';
import { convertItem, hookState, type ConvertInput, type FormattedItem, type HookState } from './format-stage.js';
import type { FormatWriter } from './format-writer.js';

export interface FormatExporterOptions extends ExporterOptions {
  /** Class filter and renames, applied before conversion. */
  classes?: ClassMappingOptions;
  /** Train/val[/test] ratios; items are assigned by id. Default: no split (one flat dataset). */
  split?: SplitRatios;
  /** Fail items whose document does not fit DM v1/v2 (`validateDm`), naming the JSON path. */
  validate?: boolean;
  /**
   * A shard of a sharded export: `additionalFileSaving` writes the writer's part (JSON) to this
   * file instead of the dataset-wide files, which the fan-in writes from every shard's part.
   */
  partFile?: string;
}

/**
 * A ready exporter for one format: `convertData` converts each item (class mapping, split,
 * DM v1 → v2, image size, the format's converter), `processFileSaving` hands it to the format's
 * writer, and `additionalFileSaving` finishes the writer. Subclass it like any `BaseExporter`
 * (call `super.convertData` to keep the conversion).
 */
export abstract class FormatExporter<T> extends BaseExporter<ExportItem> {
  protected readonly mapper: ClassMapper | undefined;
  protected readonly split: SplitRatios | undefined;
  protected readonly validate: boolean;
  private readonly partFile: string | undefined;
  /** Read the media header even when the size is known (VOC's depth). */
  protected readHeader = false;
  private writer: FormatWriter<T> | undefined;
  private state: HookState | undefined;
  private fetched = 0;
  /** The dataset-wide files (annotations.json, image lists) are gathered from every item of one run. */
  override readonly resumable = false;

  constructor(options: FormatExporterOptions = {}) {
    super(options);
    this.mapper = options.classes === undefined ? undefined : classMapper(options.classes);
    this.split = options.split;
    this.validate = options.validate ?? false;
    this.partFile = options.partFile;
  }

  /** Work the format needs done before the first item (YOLO's class pre-pass); none by default. */
  async prepare(_source: SourceInput): Promise<void> {}

  /** The format's converter: one item's objects → its per-item output. */
  protected abstract convertObjects(input: ConvertInput): T;

  protected abstract createWriter(ctx: ExportContext): FormatWriter<T>;

  async convertData(item: ExportItem, ctx: ExportContext): Promise<ExportItem> {
    if (this.validate) (await loadDmValidator())(item);
    let current = item;
    if (this.split !== undefined) current = { ...current, split: splitOf(current.id, this.split) };
    this.state ??= hookState({ onWarning: warningSink(ctx.run) });
    // Made here, with the export's own context: a save's context is one item's (see FormatWriter).
    this.writerFor(ctx);
    return convertItem(
      current,
      (input) => this.convertObjects(input),
      {
        baseDirectory: ctx.baseDirectory,
        readHeader: this.readHeader,
        ...(this.mapper === undefined ? {} : { mapper: this.mapper }),
        // A remote original whose size is unknown is fetched once into the work folder; the
        // image writer then copies that file instead of downloading again.
        fetchOriginal: async (url) => {
          this.fetched += 1;
          const path = ctx.output.workPath(`media/${this.fetched}${extname(new URL(url).pathname)}`);
          await mkdir(dirname(path), { recursive: true });
          await ctx.limitDownloads(() => downloadToFile(url, path, { ...ctx.download, signal: ctx.signal }));
          return path;
        },
      },
      this.state,
    );
  }

  /** Format writers create their own folders as they need them. */
  override async setupOutputDirectories(): Promise<OutputPaths> {
    return {};
  }

  override async processFileSaving(record: NamedRecord<ExportItem>, ctx: ExportContext): Promise<boolean> {
    const status = await this.writerFor(ctx).write(record as NamedRecord<FormattedItem<T>>, (category, save) => ctx.metrics.track(category, save), ctx);
    return status !== 'failed';
  }

  override async additionalFileSaving(_uniqueExportPath: string, ctx: ExportContext): Promise<void> {
    if (this.partFile === undefined) await this.writerFor(ctx).close();
    else await writeFile(this.partFile, JSON.stringify(await this.writerFor(ctx).part()));
  }

  /** The fan-in of a sharded export: one shard's part (shards in order), before `additionalFileSaving`. */
  async absorbPart(part: unknown, ctx: ExportContext): Promise<void> {
    await this.writerFor(ctx).absorb(part);
  }

  private writerFor(ctx: ExportContext): FormatWriter<T> {
    this.writer ??= this.createWriter(ctx);
    return this.writer;
  }
}
