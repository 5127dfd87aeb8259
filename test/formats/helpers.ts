import type { ConvertInput } from '../../formats/shared/format-stage.js';
import { imageObjects } from '../../formats/shared/objects.js';
import type { DmV2Document, DmV2Media } from '../../transforms/dm/types.js';

/** A v2 document with one image holding `media`. */
export function v2(media: DmV2Media): DmV2Document {
  return { classification: {}, images: [media] };
}

/** What a converter gets for a v2 document on a `width`×`height` image; warnings land in `warnings`. */
export function convertInput(document: DmV2Document, width: number, height: number, warnings: string[] = []): ConvertInput {
  return { itemId: 1, document, objects: imageObjects(document), image: { width, height }, warn: (m) => warnings.push(m) };
}

export const annotation = (id: string, classification: string, data: unknown, attrs: Array<{ name: string; value: unknown }> = []) => ({ id, classification, attrs, data });
