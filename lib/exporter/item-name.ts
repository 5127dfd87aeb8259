import type { NameCandidate } from '../naming/name-plan.js';
import { safeFileName, splitExtension } from '../naming/safe-name.js';
import type { ExportItem, ExportRecord } from '../types.js';
import type { BaseExporter } from './base-exporter.js';

/** The name an item's outputs derive from, and the fallback when it has none usable. */
export function originalNameOf(exporter: Pick<BaseExporter, 'getOriginalFileName'>, item: ExportItem, record: Pick<ExportRecord, 'index' | 'id'>): { raw: string; fallback: string } {
  const fallback = record.id === undefined ? `item-${record.index}` : `item-${String(record.id)}`;
  return { raw: exporter.getOriginalFileName(item.files ?? {}) ?? fallback, fallback };
}

/** What the by-id planner needs of a record the source yielded: undefined for one that failed there. */
export function nameCandidate(exporter: Pick<BaseExporter, 'getOriginalFileName'>, record: ExportRecord): NameCandidate | undefined {
  if (record.status !== 'pending' || record.item === null) return undefined;
  const { raw, fallback } = originalNameOf(exporter, record.item as ExportItem, record);
  return { index: record.index, id: record.id, stem: splitExtension(safeFileName(raw, fallback)).stem };
}
