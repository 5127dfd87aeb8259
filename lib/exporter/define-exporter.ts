import type { ExportItem, FileDescriptor, MaybePromise } from '../types.js';
import { BaseExporter, type ExporterOptions } from './base-exporter.js';
import type { ExportContext, NamedRecord, OutputPaths } from './context.js';
import type { ExportStatus } from '../types.js';

/** The hooks of `BaseExporter` as plain functions; every one is optional. */
export interface ExporterHooks<TItem extends ExportItem = ExportItem> {
  beforeConvert?(item: TItem, ctx: ExportContext): MaybePromise<TItem | null | undefined>;
  convertData?(item: TItem, ctx: ExportContext): MaybePromise<TItem | null | undefined>;
  afterConvert?(item: TItem, ctx: ExportContext): MaybePromise<TItem | null | undefined>;
  setupOutputDirectories?(uniqueExportPath: string, saveOriginalFile: boolean): MaybePromise<OutputPaths>;
  processFileSaving?(record: NamedRecord<TItem>, ctx: ExportContext): Promise<boolean>;
  saveOriginalFile?(record: NamedRecord<TItem>, ctx: ExportContext): Promise<ExportStatus>;
  saveAsJson?(record: NamedRecord<TItem>, ctx: ExportContext): Promise<ExportStatus>;
  getOriginalFileName?(files: FileDescriptor): string | undefined;
  additionalFileSaving?(uniqueExportPath: string, ctx: ExportContext): MaybePromise<void>;
}

/** A `BaseExporter` class built from plain functions. */
export type DefinedExporter<TItem extends ExportItem> = new (options?: ExporterOptions) => BaseExporter<TItem>;

/**
 * `BaseExporter` without a class: give the hooks you need, get an exporter class whose other
 * hooks are the defaults (`convertData` defaults to the identity). Inside a hook, `this` is the
 * exporter, so `this.run` and `this.params` work, and the defaults are reachable through
 * `BaseExporter.prototype`.
 */
export function defineExporter<TItem extends ExportItem = ExportItem>(
  hooks: ExporterHooks<TItem> & ThisType<BaseExporter<TItem>>,
): DefinedExporter<TItem> {
  class Defined extends BaseExporter<TItem> {
    convertData(item: TItem): MaybePromise<TItem | null | undefined> {
      return item;
    }
  }
  const prototype = Defined.prototype as unknown as Record<string, unknown>;
  for (const [name, hook] of Object.entries(hooks)) {
    if (typeof hook === 'function') prototype[name] = hook;
  }
  return Defined;
}
