/**
 * A set of string keys that costs 8 bytes a slot instead of a JS string per key: an export of
 * millions of items must remember every stem it handed out and every id it saw, and a
 * Set<string> of them would be the biggest thing in memory. Keys are stored as 53-bit hashes, so
 * a collision can only make a new key look seen: for stems that costs a `(n)` suffix, for ids a
 * false "repeated id" (odds about n²/2⁵⁴: 1 in 36,000 at ten million items). Never a duplicate file.
 */
export class CompactKeySet {
  private slots: Uint32Array;
  private used = 0;

  constructor(initialCapacity = 1 << 14) {
    this.slots = new Uint32Array(initialCapacity * 2);
  }

  get size(): number {
    return this.used;
  }

  has(key: string): boolean {
    const [high, low] = hash53(key);
    return this.find(this.slots, high, low) < 0;
  }

  /** Adds the key; returns false when it was already there. */
  add(key: string): boolean {
    const [high, low] = hash53(key);
    const at = this.find(this.slots, high, low);
    if (at < 0) return false;
    this.slots[at] = high;
    this.slots[at + 1] = low;
    this.used += 1;
    if (this.used * 4 > (this.slots.length / 2) * 3) this.grow();
    return true;
  }

  /** The slot holding (high, low) as a negative number, or the free slot where it belongs. */
  private find(slots: Uint32Array, high: number, low: number): number {
    const mask = slots.length / 2 - 1;
    let i = (low ^ high) & mask;
    for (;;) {
      const at = i * 2;
      const h = slots[at]!;
      const l = slots[at + 1]!;
      if (h === 0 && l === 0) return at;
      if (h === high && l === low) return -1;
      i = (i + 1) & mask;
    }
  }

  private grow(): void {
    const old = this.slots;
    const next = new Uint32Array(old.length * 2);
    for (let at = 0; at < old.length; at += 2) {
      const high = old[at]!;
      const low = old[at + 1]!;
      if (high !== 0 || low !== 0) {
        const to = this.find(next, high, low);
        next[to] = high;
        next[to + 1] = low;
      }
    }
    this.slots = next;
  }
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
