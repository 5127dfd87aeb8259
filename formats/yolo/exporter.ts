import type { ExportContext } from '../../lib/exporter/context.js';
import type { SourceInput } from '../../lib/sources/item-source.js';
import type { ExportResult, RunOptions } from '../../lib/exporter/execute-export.js';
import { collectClasses, type ClassList } from '../shared/class-list.js';
import { FormatExporter, type FormatExporterOptions } from '../shared/format-exporter.js';
import type { ConvertInput } from '../shared/format-stage.js';
import { convertYolo, yoloClassNames, type YoloLabels, type YoloTask } from './convert.js';
import { YoloWriter } from './writer.js';
import { ErrorCode, ExportError } from '../../lib/errors.js';

export interface YoloExporterOptions extends FormatExporterOptions {
  task?: YoloTask;
  /** The class list (e.g. from the project configuration); else `prepare` reads the source once. */
  classList?: ClassList;
}

/**
 * A YOLO dataset (detect, segment or pose) as a `BaseExporter`. Label lines need class ids
 * before the first item, so the class list is given (`classList`) or found by `prepare(source)`,
 * a pre-pass over the source's annotations; `export()` runs it when needed.
 */
export class YoloExporter extends FormatExporter<YoloLabels> {
  readonly task: YoloTask;
  classList: ClassList | undefined;

  constructor(options: YoloExporterOptions = {}) {
    super(options);
    this.task = options.task ?? 'detect';
    this.classList = options.classList;
  }

  /** Finds the class list (and keypoint names) with a pre-pass, unless it was given. */
  override async prepare(source: SourceInput): Promise<void> {
    this.classList ??= await collectClasses(source, yoloClassNames(this.task), this.mapper === undefined ? {} : { mapper: this.mapper });
  }

  override async export(exportItems?: SourceInput, options: Partial<RunOptions> = {}): Promise<ExportResult> {
    const source = exportItems ?? this.exportItems;
    if (source !== undefined) await this.prepare(source);
    return super.export(source, options);
  }

  protected convertObjects(input: ConvertInput): YoloLabels {
    return convertYolo(input, this.task, this.requireClasses());
  }

  protected createWriter(ctx: ExportContext): YoloWriter {
    return new YoloWriter(ctx, this.task, this.requireClasses());
  }

  private requireClasses(): ClassList {
    if (this.classList === undefined) {
      throw new ExportError('YoloExporter has no class list: pass classList, or call prepare(source) before runExport', { code: ErrorCode.CLASSES_UNKNOWN });
    }
    return this.classList;
  }
}
