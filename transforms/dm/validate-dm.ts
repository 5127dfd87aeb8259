import type { Transform } from 'node:stream';
import { stage } from '../../lib/pipeline/stage.js';
import type { ExportItem } from '../../lib/types.js';
import { loadDmValidator } from './load-validator.js';

/** The validation stage: an item whose document does not fit DM v1/v2 fails, naming the path. */
export function validateDm(): Transform {
  return stage(
    async (item: ExportItem) => {
      (await loadDmValidator())(item);
      return item;
    },
    { name: 'validateDm' },
  );
}
