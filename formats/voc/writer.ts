import type { NamedRecord } from '../../lib/exporter/context.js';
import { Spool } from '../../lib/output/spool.js';
import type { ExportStatus } from '../../lib/types.js';
import { sortedNames } from '../shared/class-list.js';
import type { FormattedItem } from '../shared/format-stage.js';
import { FormatWriter, type WriterContext } from '../shared/format-writer.js';
import type { VocImage } from './convert.js';
import { VOC_IMAGE_FOLDER, vocXml } from './xml.js';

/** VOC's name for the whole set, used when the export is not split. */
const WHOLE_SET = 'trainval';

/**
 * Writes Pascal VOC: `JPEGImages/<file>` and `Annotations/<stem>.xml` per item, then
 * `ImageSets/Main/<split>.txt` (the stems of each split; `trainval.txt` when not split) and
 * `classes.txt` (sorted) in `close`. Stem lists spill to disk past a few thousand.
 */
export class VocWriter extends FormatWriter<VocImage> {
  private readonly sets = new Map<string, Spool<string>>();
  private readonly classes = new Set<string>();

  protected imagePath(record: NamedRecord<FormattedItem<VocImage>>): string {
    return `${VOC_IMAGE_FOLDER}/${record.names.originalFileName}`;
  }

  async saveAnnotations(record: NamedRecord<FormattedItem<VocImage>>, itemCtx: WriterContext): Promise<ExportStatus> {
    const set = record.item.split ?? WHOLE_SET;
    let spool = this.sets.get(set);
    if (spool === undefined) {
      spool = new Spool<string>(this.ctx.output.workPath(`voc-${set}.jsonl`));
      this.sets.set(set, spool);
    }
    spool.append(record.names.stem);
    for (const object of record.item.converted.objects) this.classes.add(object.name);
    return this.writeItemFile(record, `Annotations/${record.names.stem}.xml`, vocXml(record.names.originalFileName, record.item.converted), itemCtx);
  }

  async close(): Promise<void> {
    await this.ensureDirectory('ImageSets/Main');
    for (const [set, spool] of this.sets) {
      await this.ctx.output.writeChunks(`ImageSets/Main/${set}.txt`, lines(spool));
      await spool.dispose();
    }
    await this.ctx.output.writeFile('classes.txt', sortedNames(this.classes).map((name) => `${name}\n`).join(''));
  }
}

async function* lines(spool: Spool<string>): AsyncGenerator<string> {
  for await (const stem of spool.values()) yield `${stem}\n`;
}
