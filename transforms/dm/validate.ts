import { z } from 'zod';
import { ErrorCode, ExportError } from '../../lib/errors.js';
import type { ExportItem } from '../../lib/types.js';

/*
 * DM schemas as the platform accepts them: lenient where it is (unknown keys kept, every section
 * optional, ids as strings or numbers), strict where a converter would otherwise fail later
 * (a tool name, numeric coordinates).
 */

const id = z.union([z.string(), z.number()]);
const point = z.looseObject({ x: z.number(), y: z.number() });
const box = z.looseObject({ x: z.number(), y: z.number(), width: z.number(), height: z.number(), rotation: z.number().nullish() });

const v1Annotation = z.looseObject({
  id,
  tool: z.string(),
  classification: z.looseObject({ class: z.unknown().optional() }).nullish(),
});

/** Geometry checked for the tools formats read; other entries only need an id. */
const v1Data = z.looseObject({
  id,
  coordinate: z.union([box, z.array(point), point, z.unknown()]).optional(),
});

const byMedia = <T extends z.ZodType>(entry: T) => z.record(z.string(), z.array(entry).nullish());

export const dmV1Schema = z.looseObject({
  extra: z.record(z.string(), z.unknown()).nullish(),
  relations: z.record(z.string(), z.unknown()).nullish(),
  annotations: byMedia(v1Annotation).nullish(),
  annotationsData: byMedia(v1Data).nullish(),
  annotationGroups: z.record(z.string(), z.unknown()).nullish(),
});

const v2Annotation = z.looseObject({
  id,
  classification: z.string(),
  attrs: z.array(z.looseObject({ name: z.string(), value: z.unknown() })).default([]),
  data: z.unknown(),
});

export const dmV2Schema = z.looseObject({
  classification: z.record(z.string(), z.array(z.string())),
});

const v2Media = z.array(z.record(z.string(), z.array(v2Annotation)));

/** Geometry of the tools formats read, checked annotation by annotation. */
const v1Geometry: Record<string, z.ZodType> = {
  bounding_box: z.looseObject({ coordinate: box }),
  /** A video box: one per frame. */
  bounding_box_frames: z.looseObject({ coordinates: z.record(z.string(), box) }),
  polygon: z.looseObject({ coordinate: z.array(point) }),
  polyline: z.looseObject({ coordinate: z.array(point) }),
  keypoint: z.looseObject({ coordinate: point }),
};

/** `data.annotations.image_1[2].tool` from a zod path. */
function pathText(base: string, path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : `${text}.${String(key)}`), base);
}

function invalid(item: ExportItem, path: string, message: string): ExportError {
  return new ExportError(`item ${String(item.id)}: ${path}: ${message}`, { code: ErrorCode.DM_INVALID, itemId: item.id });
}

/**
 * Checks an item's DM document (v1 or v2) and throws naming the item and the JSON path of the
 * first problem. `null` data passes (the data-file writer reports it as the reference does).
 */
export function validateDmDocument(item: ExportItem): void {
  const data = item.data;
  if (data === null || data === undefined) return;
  if (typeof data !== 'object' || Array.isArray(data)) throw invalid(item, 'data', 'expected a DM document (an object)');
  const isV2 = !('annotations' in data) && 'classification' in data;
  const schema = isV2 ? dmV2Schema : dmV1Schema;
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalid(item, pathText('data', issue.path), issue.message);
  }
  if (isV2) {
    for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
      if (key === 'classification' || !Array.isArray(value)) continue;
      const media = v2Media.safeParse(value);
      if (!media.success) throw invalid(item, pathText(`data.${key}`, media.error.issues[0]!.path), media.error.issues[0]!.message);
    }
    return;
  }
  const document = parsed.data as z.infer<typeof dmV1Schema>;
  for (const [mediaId, annotations] of Object.entries(document.annotations ?? {})) {
    const entries = document.annotationsData?.[mediaId] ?? [];
    const geometry = new Map(entries.map((entry, index) => [String(entry.id), index]));
    for (const annotation of annotations ?? []) {
      const index = geometry.get(String(annotation.id));
      if (index === undefined) continue;
      const framed = annotation.tool === 'bounding_box' && 'coordinates' in entries[index]!;
      const schemaOfTool = v1Geometry[framed ? 'bounding_box_frames' : annotation.tool];
      if (schemaOfTool === undefined) continue;
      const checked = schemaOfTool.safeParse(entries[index]);
      if (!checked.success) {
        throw invalid(item, pathText(`data.annotationsData.${mediaId}[${index}]`, checked.error.issues[0]!.path), `${checked.error.issues[0]!.message} (${annotation.tool} ${String(annotation.id)})`);
      }
    }
  }
}
