/**
 * A set of string keys that costs 8 bytes a slot instead of a JS string per key: an export of
 * millions of items must remember every stem it handed out and every id it saw, and a
 * Set<string> of them would be the biggest thing in memory. Keys are stored as 53-bit hashes, so
 * a collision can only make a new key look seen: for stems that costs a `(n)` suffix, for ids a
 * false "repeated id" (odds about n²/2⁵⁴: 1 in 36,000 at ten million items). Never a duplicate file.
 */
export class CompactKeySet {
  /** Hash slots, two words each, in segments picked by the hash's top bits, each grown on its own. */
  private readonly segments: Uint32Array[];
  /** Keys per segment. */
  private readonly counts: Uint32Array;
  private used = 0;

  constructor(initialCapacity = 1 << 14) {
    const slots = Math.max(MIN_SEGMENT_SLOTS, Math.ceil(initialCapacity / SEGMENTS));
    this.segments = Array.from({ length: SEGMENTS }, () => new Uint32Array(slots * 2));
    this.counts = new Uint32Array(SEGMENTS);
  }

  get size(): number {
    return this.used;
  }

  has(key: string): boolean {
    const [high, low] = hash53(key);
    return find(this.segments[high >>> SEGMENT_SHIFT]!, high, low) < 0;
  }

  /** Adds the key; returns false when it was already there. */
  add(key: string): boolean {
    const [high, low] = hash53(key);
    const segment = high >>> SEGMENT_SHIFT;
    let slots = this.segments[segment]!;
    const at = find(slots, high, low);
    if (at < 0) return false;
    slots[at] = high;
    slots[at + 1] = low;
    this.used += 1;
    const count = this.counts[segment]! + 1;
    this.counts[segment] = count;
    if (count > (slots.length / 2) * MAX_LOAD) {
      // 1.5× rather than 2×: an export of a million names holds 11 MB instead of 16.
      slots = grown(slots, Math.ceil((slots.length / 2) * 1.5));
      this.segments[segment] = slots;
    }
    return true;
  }
}

/**
 * 64 segments: growing one copies 1/64 of the set, so the old and new arrays of a growth never
 * hold much more than the set itself (one table of a million names went from 8 to 16 MB at once,
 * with the 8 MB kept until a full GC).
 */
const SEGMENTS = 64;
/** `high` has 21 bits: its top 6 pick the segment. */
const SEGMENT_SHIFT = 15;
const MIN_SEGMENT_SLOTS = 8;
/** Linear probing stays short below this share of used slots. */
const MAX_LOAD = 0.75;

/**
 * The slot holding (high, low) as a negative number, or the free slot where it belongs. The home
 * slot is `low` scaled to the segment's size (not a power of two).
 */
function find(slots: Uint32Array, high: number, low: number): number {
  const count = slots.length / 2;
  let i = Math.floor((low / 4294967296) * count);
  for (;;) {
    const at = i * 2;
    const h = slots[at]!;
    const l = slots[at + 1]!;
    if (h === 0 && l === 0) return at;
    if (h === high && l === low) return -1;
    i = i + 1 === count ? 0 : i + 1;
  }
}

/** The slots' keys placed in a new array of `count` slots. */
function grown(old: Uint32Array, count: number): Uint32Array {
  const next = new Uint32Array(count * 2);
  for (let at = 0; at < old.length; at += 2) {
    const high = old[at]!;
    const low = old[at + 1]!;
    if (high !== 0 || low !== 0) {
      const to = find(next, high, low);
      next[to] = high;
      next[to + 1] = low;
    }
  }
  return next;
}

/** Two independent 32-bit multiplicative hashes of the string; `low` is never 0 so 0/0 marks a free slot. */
function hash53(key: string): [number, number] {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [(h2 & 0x1fffff) >>> 0, (h1 | 1) >>> 0];
}
