import { CompactKeySet } from '../compact-key-set.js';
import type { ItemId } from '../types.js';

/**
 * How colliding stems are told apart. `source-order` (the reference's): `a`, `a(1)`… in the order
 * items arrive. `by-id`: the plain stem goes to the item with the smallest id, then `(1)`, `(2)`…
 * in ascending id order, so a name does not depend on arrival order or on which worker saved it.
 */
export type NamingRule = 'source-order' | 'by-id';

/** One named item as the planner sees it: its position in the source, id and safe stem. */
export interface NameCandidate {
  /** 1-based position in the source (the record index). */
  index: number;
  id: ItemId | undefined;
  /** The safe stem, as `NameAllocator` would derive it, before any `(n)`. */
  stem: string;
}

/**
 * The `by-id` names of the items whose stems collide, by record index; every other item keeps its
 * own stem. Only colliding groups are held, so the plan stays small whatever the export's size,
 * and it serialises to JSON for workers on other machines.
 */
export class NamePlan {
  constructor(private readonly assigned: ReadonlyMap<number, string> = new Map()) {}

  /** The stem planned for the item at `index`, or undefined when it keeps its own. */
  stemFor(index: number): string | undefined {
    return this.assigned.get(index);
  }

  get size(): number {
    return this.assigned.size;
  }

  toJSON(): { assigned: Array<[number, string]> } {
    return { assigned: [...this.assigned].sort((a, b) => a[0] - b[0]) };
  }

  static fromJSON(value: { assigned: Array<[number, string]> }): NamePlan {
    return new NamePlan(new Map(value.assigned));
  }
}

/**
 * Builds a `NamePlan` in two passes over the same (index, id, stem) list: `see` every stem (a
 * hashed set finds the stems that repeat), then, only if some did, `collect` every candidate again
 * (only the repeated stems' items are kept). Stems compare as `NameAllocator` compares them:
 * case-insensitively, after the NFC normalisation `safeFileName` applies.
 */
export class NamePlanner {
  private readonly seen = new CompactKeySet();
  private readonly repeated = new Set<string>();
  private readonly groups = new Map<string, NameCandidate[]>();

  /** First pass: one call per named item. */
  see(stem: string): void {
    const key = stem.toLowerCase();
    if (!this.seen.add(key)) this.repeated.add(key);
  }

  /** Whether the second pass is needed: some stem was seen twice. */
  get hasCollisions(): boolean {
    return this.repeated.size > 0;
  }

  /** Second pass: one call per named item, the same items as in the first. */
  collect(candidate: NameCandidate): void {
    const key = candidate.stem.toLowerCase();
    if (!this.repeated.has(key)) return;
    let group = this.groups.get(key);
    if (group === undefined) this.groups.set(key, (group = []));
    group.push(candidate);
  }

  /**
   * Assigns the names: in each group, by ascending id (then position), the first keeps its stem
   * and the others get the lowest `(n)` that is neither another item's own stem nor handed out
   * already. The result depends only on the set of candidates, never on their order.
   */
  plan(): NamePlan {
    const assigned = new Map<number, string>();
    const handedOut = new Set<string>();
    for (const key of [...this.groups.keys()].sort()) {
      const group = this.groups.get(key)!.sort(compareCandidates);
      if (group.length < 2) continue; // a hash collision in the first pass, not a real one
      let n = 1;
      for (const [position, candidate] of group.entries()) {
        if (position === 0) continue;
        while (this.seen.has(`${key}(${n})`) || handedOut.has(`${key}(${n})`)) n += 1;
        handedOut.add(`${key}(${n})`);
        assigned.set(candidate.index, `${candidate.stem}(${n})`);
        n += 1;
      }
    }
    return new NamePlan(assigned);
  }
}

const INTEGER = /^-?(0|[1-9]\d*)$/;

/**
 * The `by-id` order: integer ids (numbers, or strings of decimal digits) numerically and before
 * the others; other ids as strings (code-unit order); equal ids by position in the source.
 */
export function compareCandidates(a: NameCandidate, b: NameCandidate): number {
  return compareIds(a.id, b.id) || a.index - b.index;
}

function compareIds(a: ItemId | undefined, b: ItemId | undefined): number {
  const x = integerOf(a);
  const y = integerOf(b);
  if (x !== undefined && y !== undefined) return x < y ? -1 : x > y ? 1 : 0;
  if (x !== undefined) return -1;
  if (y !== undefined) return 1;
  const s = a === undefined ? '' : String(a);
  const t = b === undefined ? '' : String(b);
  return s < t ? -1 : s > t ? 1 : 0;
}

function integerOf(id: ItemId | undefined): bigint | undefined {
  if (typeof id === 'number') return Number.isInteger(id) ? BigInt(id) : undefined;
  return typeof id === 'string' && INTEGER.test(id) ? BigInt(id) : undefined;
}
