import { createHash } from 'node:crypto';
import type { Transform } from 'node:stream';
import { ExportValidationError } from '../lib/errors.js';
import { stage } from '../lib/pipeline/stage.js';
import type { ExportItem, ItemId } from '../lib/types.js';

/** Split names, in the order ratios are given (`--split 0.8,0.1,0.1`). */
export const SPLIT_NAMES = ['train', 'val', 'test'] as const;
export type SplitName = (typeof SPLIT_NAMES)[number];

/** Ratios for train, val and (optionally) test. */
export type SplitRatios = readonly number[];

/** An item after `assignSplit`: `split` names the subset it belongs to. */
export type SplitItem = ExportItem & { split?: SplitName };

/** `0.8,0.1,0.1` → `[0.8, 0.1, 0.1]`; two or three non-negative numbers adding up to 1. */
export function parseSplit(text: string): SplitRatios {
  const ratios = text.split(',').map((part) => Number(part.trim()));
  checkRatios(ratios);
  return ratios;
}

function checkRatios(ratios: readonly number[]): void {
  const sum = ratios.reduce((a, b) => a + b, 0);
  if (ratios.length < 2 || ratios.length > 3 || ratios.some((r) => !Number.isFinite(r) || r < 0) || Math.abs(sum - 1) > 1e-6) {
    throw new ExportValidationError(`--split takes 2 or 3 non-negative ratios (train,val[,test]) adding up to 1, got ${ratios.join(',')}`, 'split');
  }
}

/**
 * The split of an item: a fixed function of its id (sha1 of the id as text, read as a fraction
 * in [0, 1)), so the same item lands in the same split on every run and whatever the order.
 */
export function splitOf(id: ItemId, ratios: SplitRatios): SplitName {
  const fraction = createHash('sha1').update(String(id)).digest().readUInt32BE(0) / 2 ** 32;
  let bound = 0;
  for (let i = 0; i < ratios.length; i += 1) {
    bound += ratios[i]!;
    if (fraction < bound) return SPLIT_NAMES[i]!;
  }
  // Rounding left a sliver above the last bound: the last non-empty split takes it.
  const last = ratios.findLastIndex((r) => r > 0);
  return SPLIT_NAMES[Math.max(0, last)]!;
}

/** The splitting stage: sets `item.split` from the item id. */
export function assignSplit(ratios: SplitRatios): Transform {
  checkRatios(ratios);
  return stage((item: ExportItem): SplitItem => ({ ...item, split: splitOf(item.id, ratios) }), { name: 'split' });
}
