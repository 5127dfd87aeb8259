import { CompactKeySet } from './compact-key-set.js';
import { IndexSet } from './index-set.js';

/**
 * A bit-array id costs at most this many bits per id seen so far (a hashed one costs 80–170),
 * and ids below the floor always fit: a few items with ids in the millions cost 128 KB.
 */
const BITS_PER_ID = 64;
const DENSE_FLOOR = 1 << 20;
/** IndexSet addresses bits with 32-bit arithmetic. */
const DENSE_LIMIT = 2 ** 32;

/**
 * The ids an export has seen, to tell it about repeated ones. Integer ids — the platform's — are
 * bits in a bit array while they are dense enough (ids 1…1,000,000: 125 KB instead of a 16 MB
 * hash set); any other id is hashed in a CompactKeySet, with its type, so `5` and `"5"` differ.
 */
export class ItemIdSet {
  private readonly dense = new IndexSet();
  private readonly hashed = new CompactKeySet();
  private seen = 0;

  /** Adds the id; false when it was there already (or, for a hashed id, collides with one). */
  add(id: string | number): boolean {
    this.seen += 1;
    const bit = typeof id === 'number' && Number.isInteger(id) && id >= 0 && id < DENSE_LIMIT;
    if (bit && this.dense.has(id)) return false;
    const key = (): string => `${typeof id}:${String(id)}`;
    if (bit && id < Math.max(DENSE_FLOOR, this.seen * BITS_PER_ID)) {
      // An id hashed while it was too sparse for the bit array stays hashed.
      if (this.hashed.size > 0 && this.hashed.has(key())) return false;
      this.dense.add(id);
      return true;
    }
    return this.hashed.add(key());
  }
}
