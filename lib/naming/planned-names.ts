import { CompactKeySet } from '../compact-key-set.js';
import { ErrorCode, ExportError } from '../errors.js';
import type { ItemNames } from '../types.js';
import type { NamePlan } from './name-plan.js';
import { safeFileName, splitExtension } from './safe-name.js';

/** Hands out output names; `NameAllocator` (source order) and `PlannedNames` (by id) are the two. */
export interface ItemNamer {
  /** Names the item at record `index` whose original is called `rawName`. */
  allocate(rawName: string, fallback: string, index: number): ItemNames;
}

/**
 * Names items by a `NamePlan` (the `by-id` rule): a planned item gets its planned stem, every other
 * item its own. A name handed out twice here means the plan was made from other names than the
 * ones the items carry now (a hook renamed files): that item fails rather than overwrite another.
 */
export class PlannedNames implements ItemNamer {
  private readonly taken = new CompactKeySet();

  constructor(private readonly plan: NamePlan) {}

  allocate(rawName: string, fallback: string, index: number): ItemNames {
    const { stem, extension } = splitExtension(safeFileName(rawName, fallback));
    const unique = this.plan.stemFor(index) ?? stem;
    if (!this.taken.add(unique.toLowerCase())) {
      throw new ExportError(`item ${index}: the name ${unique} was planned for another item (did a hook change the file name after naming was planned?)`, {
        code: ErrorCode.NAME_PLAN_MISMATCH,
        fileName: unique + extension,
      });
    }
    return { stem: unique, originalFileName: unique + extension, jsonFileName: `${unique}.json` };
  }
}
