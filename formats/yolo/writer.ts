import type { NamedRecord } from '../../lib/exporter/context.js';
import type { ExportStatus } from '../../lib/types.js';
import type { ClassList } from '../shared/class-list.js';
import type { FormattedItem } from '../shared/format-stage.js';
import { FormatWriter, type WriterContext } from '../shared/format-writer.js';
import type { YoloLabels, YoloTask } from './convert.js';

/**
 * Writes a YOLO dataset: `images/[<split>/]<file>`, `labels/[<split>/]<stem>.txt` per item as it
 * arrives, then `classes.txt` and `dataset.yaml` (Ultralytics' form) in `close`.
 */
export class YoloWriter extends FormatWriter<YoloLabels> {
  private readonly splits = new Set<string>();

  constructor(
    ctx: WriterContext,
    private readonly task: YoloTask,
    private readonly classes: ClassList,
  ) {
    super(ctx);
  }

  protected imagePath(record: NamedRecord<FormattedItem<YoloLabels>>): string {
    return `images/${splitFolder(record.item.split)}${record.names.originalFileName}`;
  }

  async saveAnnotations(record: NamedRecord<FormattedItem<YoloLabels>>, itemCtx: WriterContext): Promise<ExportStatus> {
    this.splits.add(record.item.split ?? '');
    const lines = record.item.converted.lines;
    return this.writeItemFile(record, `labels/${splitFolder(record.item.split)}${record.names.stem}.txt`, lines.length === 0 ? '' : `${lines.join('\n')}\n`, itemCtx);
  }

  /** A shard's part: the splits its items went to (the class list is the plan's). */
  override async part(): Promise<string[]> {
    return [...this.splits];
  }

  override async absorb(part: string[]): Promise<void> {
    for (const split of part) this.splits.add(split);
  }

  async close(): Promise<void> {
    await this.ctx.output.writeFile('classes.txt', this.classes.names.map((name) => `${name}\n`).join(''));
    await this.ctx.output.writeFile('dataset.yaml', this.datasetYaml());
  }

  /**
   * `path`, `train`/`val`/`test`, `kpt_shape` for pose, `nc`, and `names` as an id → name map.
   * Written by hand: every string is double-quoted (JSON's escapes are YAML's), so names such
   * as `yes`, `null` or `1e3` stay strings under YAML 1.1 readers (PyYAML, which Ultralytics uses).
   */
  datasetYaml(): string {
    const lines = [`path: ${JSON.stringify(this.ctx.datasetPath ?? this.ctx.output.root)}`];
    const named = [...this.splits].filter((split) => split !== '');
    if (named.length === 0) {
      // One flat dataset: train and val both read it (Ultralytics requires `val`).
      lines.push('train: images', 'val: images');
    } else {
      for (const split of ['train', 'val', 'test']) {
        if (split !== 'test' || named.includes(split)) lines.push(`${split}: images/${split}`);
      }
    }
    if (this.task === 'pose') {
      lines.push(`# keypoints, in order: ${this.classes.keypoints.join(', ')}`, `kpt_shape: [${this.classes.keypoints.length}, 3]`);
    }
    lines.push(`nc: ${this.classes.names.length}`, 'names:');
    this.classes.names.forEach((name, index) => lines.push(`  ${index}: ${JSON.stringify(name)}`));
    return `${lines.join('\n')}\n`;
  }
}

function splitFolder(split: string | undefined): string {
  return split === undefined || split === '' ? '' : `${split}/`;
}
