import type { ItemNames } from '../types.js';
import { safeFileName, splitExtension } from './safe-name.js';
import { CompactKeySet } from '../compact-key-set.js';
import type { ItemNamer } from './planned-names.js';

/**
 * Hands out one stem per item so that no two items share an output name: `a`, then `a(1)`,
 * `a(2)`… in arrival order. Stems compare case-insensitively after Unicode normalisation, so
 * `A.jpg` and `a.png` also stay apart on case-insensitive file systems. An item's JSON and
 * original share the stem (`a(1).json`, `a(1).jpg`).
 */
export class NameAllocator implements ItemNamer {
  private readonly taken = new CompactKeySet();
  /** Next suffix to try per stem that has collided; only names seen twice land here. */
  private readonly nextSuffix = new Map<string, number>();

  allocate(rawName: string, fallback: string): ItemNames {
    const { stem, extension } = splitExtension(safeFileName(rawName, fallback));
    const key = stem.toLowerCase();
    let unique = stem;
    if (!this.taken.add(key)) {
      let n = this.nextSuffix.get(key) ?? 1;
      while (!this.taken.add(`${key}(${n})`)) n += 1;
      this.nextSuffix.set(key, n + 1);
      unique = `${stem}(${n})`;
    }
    return { stem: unique, originalFileName: unique + extension, jsonFileName: `${unique}.json` };
  }
}
