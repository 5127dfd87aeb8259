import type { Transform } from 'node:stream';
import { ExportValidationError } from '../lib/errors.js';
import { stage } from '../lib/pipeline/stage.js';
import type { ExportItem } from '../lib/types.js';
import type { DmV1Document, DmV2Document, DmV2Media } from './dm/types.js';
import { isDmV2 } from './dm/v1-to-v2.js';

export interface ClassMappingOptions {
  /** Keep only annotations of these classes (after renaming). Default: all. */
  keep?: readonly string[];
  /** Renames (and so merges) classes: `{pedestrian: 'person'}`. */
  rename?: Readonly<Record<string, string>>;
}

/** A class name after renaming and filtering: the new name, or `undefined` to drop it. */
export type ClassMapper = (name: string) => string | undefined;

/**
 * Keypoints are exempt: their class is the part name (`nose`), not the object's, so filtering
 * objects by class must not strip their parts.
 */
const EXEMPT_TOOLS = new Set(['keypoint']);

export function classMapper(options: ClassMappingOptions): ClassMapper {
  const keep = options.keep === undefined ? undefined : new Set(options.keep);
  const rename = new Map(Object.entries(options.rename ?? {}));
  return (name) => {
    const renamed = rename.get(name) ?? name;
    return keep === undefined || keep.has(renamed) ? renamed : undefined;
  };
}

/** Applies a class mapping to a DM v1 or v2 document, returning a new document. */
export function mapDocumentClasses<T>(data: T, mapper: ClassMapper): T {
  if (data === null || typeof data !== 'object') return data;
  return (isDmV2(data) ? mapV2(data, mapper) : mapV1(data as DmV1Document, mapper)) as T;
}

function mapV2(document: DmV2Document, mapper: ClassMapper): DmV2Document {
  const result: DmV2Document = { ...document, classification: {} };
  for (const [key, value] of Object.entries(document)) {
    if (key === 'classification' || !Array.isArray(value)) continue;
    result[key] = (value as DmV2Media[]).map((media) => {
      const mapped: DmV2Media = {};
      for (const [tool, annotations] of Object.entries(media)) {
        mapped[tool] = [];
        for (const annotation of annotations) {
          const name = EXEMPT_TOOLS.has(tool) ? annotation.classification : mapper(annotation.classification);
          if (name === undefined) continue;
          mapped[tool].push({ ...annotation, classification: name });
          const summary = (result.classification[tool] ??= []);
          if (!summary.includes(name)) summary.push(name);
        }
      }
      return mapped;
    });
  }
  return result;
}

function mapV1(document: DmV1Document, mapper: ClassMapper): DmV1Document {
  const annotations: NonNullable<DmV1Document['annotations']> = {};
  const annotationsData: NonNullable<DmV1Document['annotationsData']> = {};
  for (const [mediaId, list] of Object.entries(document.annotations ?? {})) {
    const kept = new Set<string>();
    annotations[mediaId] = [];
    for (const annotation of list ?? []) {
      const name = annotation.classification?.class;
      const mapped = EXEMPT_TOOLS.has(annotation.tool) || typeof name !== 'string' ? name : mapper(name);
      if (mapped === undefined && name !== undefined) continue;
      kept.add(annotation.id);
      annotations[mediaId].push(mapped === name ? annotation : { ...annotation, classification: { ...annotation.classification, class: mapped } });
    }
    annotationsData[mediaId] = (document.annotationsData?.[mediaId] ?? []).filter((entry) => kept.has(entry.id));
  }
  return { ...document, annotations, annotationsData };
}

/** `pedestrian=person,cyclist=person` → `{pedestrian: 'person', cyclist: 'person'}`. */
export function parseRenames(values: readonly string[]): Record<string, string> {
  const renames: Record<string, string> = {};
  for (const value of values.flatMap((v) => v.split(','))) {
    if (value.trim() === '') continue;
    const cut = value.indexOf('=');
    const from = value.slice(0, cut).trim();
    const to = value.slice(cut + 1).trim();
    if (cut === -1 || from === '' || to === '') {
      throw new ExportValidationError(`--rename takes old=new pairs, got ${JSON.stringify(value)}`, 'rename');
    }
    renames[from] = to;
  }
  return renames;
}

/** The class filter/rename stage: items' documents (v1 or v2) keep only the mapped classes. */
export function mapClasses(options: ClassMappingOptions): Transform {
  const mapper = classMapper(options);
  return stage((item: ExportItem) => (item.data ? { ...item, data: mapDocumentClasses(item.data, mapper) } : item), { name: 'mapClasses' });
}
