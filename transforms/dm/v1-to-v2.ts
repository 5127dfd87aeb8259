import type { ItemId } from '../../lib/types.js';
import { DM_TOOLS, type DmTool, type DmV1Annotation, type DmV1AnnotationData, type DmV1Document, type DmV2Annotation, type DmV2Attribute, type DmV2Document, type DmV2Media } from './types.js';

export interface V1ToV2Options {
  /** Named in warnings. */
  itemId?: ItemId;
  /** Told about each annotation whose tool is not a DM tool; the annotation is skipped. */
  onUnknownTool?: (tool: string, annotationId: string) => void;
}

const KNOWN_TOOLS = new Set<string>(DM_TOOLS);

/** Whether a document is already DM v2 (has media lists and no v1 `annotations` map). */
export function isDmV2(data: unknown): data is DmV2Document {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return false;
  const doc = data as Record<string, unknown>;
  if ('annotations' in doc || 'annotationsData' in doc) return false;
  return 'classification' in doc || Object.values(doc).some((value) => Array.isArray(value));
}

/**
 * `image_1` → `images`, `pcd_456` → `pcds`: the media id's prefix, pluralised with `s`
 * (the reference's rule, kept as is).
 */
export function mediaTypeOf(mediaId: string): string {
  const cut = mediaId.indexOf('_');
  return `${cut === -1 ? mediaId : mediaId.slice(0, cut)}s`;
}

/**
 * Converts a DM v1 document to DM v2 (behaviour notes §11.2): per media id one element of the
 * media type's list, annotations grouped by tool in first-seen order, `classification.class` as
 * the class and every other classification key as an attribute; a box's rotation becomes the
 * attribute `rotation`. Unknown tools are reported through `onUnknownTool` and skipped.
 */
export function convertV1ToV2(document: DmV1Document | null | undefined, options: V1ToV2Options = {}): DmV2Document {
  const result: DmV2Document = { classification: {} };
  if (!document) return result;
  const summary = result.classification;
  const annotations = document.annotations ?? {};
  for (const [mediaId, list] of Object.entries(annotations)) {
    const geometry = new Map<string, DmV1AnnotationData>();
    for (const entry of document.annotationsData?.[mediaId] ?? []) {
      if (entry && typeof entry.id === 'string') geometry.set(entry.id, entry);
    }
    const media: DmV2Media = {};
    for (const annotation of list ?? []) {
      if (!annotation || typeof annotation !== 'object') continue;
      const tool = annotation.tool;
      if (!KNOWN_TOOLS.has(tool)) {
        options.onUnknownTool?.(String(tool), String(annotation.id));
        continue;
      }
      const converted = convertAnnotation(tool as DmTool, annotation, geometry.get(annotation.id), mediaId);
      (media[tool] ??= []).push(converted);
      const classes = (summary[tool] ??= []);
      if (!classes.includes(converted.classification)) classes.push(converted.classification);
    }
    const type = mediaTypeOf(mediaId);
    const lists = (result[type] ??= []) as DmV2Media[];
    lists.push(media);
  }
  return result;
}

function convertAnnotation(tool: DmTool, annotation: DmV1Annotation, entry: DmV1AnnotationData | undefined, mediaId: string): DmV2Annotation {
  const { class: className, ...rest } = annotation.classification ?? {};
  const attrs: DmV2Attribute[] = Object.entries(rest).map(([name, value]) => ({ name, value }));
  const data = geometryOf(tool, entry ?? { id: annotation.id }, attrs, mediaId);
  return { id: annotation.id, classification: typeof className === 'string' ? className : String(className ?? ''), attrs, data };
}

interface Point {
  x: number;
  y: number;
}

function geometryOf(tool: DmTool, entry: DmV1AnnotationData, attrs: DmV2Attribute[], mediaId: string): unknown {
  switch (tool) {
    case 'bounding_box': {
      if (entry.coordinates && typeof entry.coordinates === 'object') {
        // Video: one box per frame.
        const frames: Record<string, number[]> = {};
        for (const [frame, box] of Object.entries(entry.coordinates as Record<string, Record<string, number>>)) frames[frame] = boxOf(box);
        return frames;
      }
      const box = (entry.coordinate ?? {}) as Record<string, number>;
      if (box.rotation !== undefined && box.rotation !== null) attrs.push({ name: 'rotation', value: box.rotation });
      return boxOf(box);
    }
    case 'polygon':
    case 'polyline':
      return ((entry.coordinate as Point[] | undefined) ?? []).map((point) => [point.x, point.y]);
    case 'keypoint': {
      const point = (entry.coordinate ?? {}) as Point;
      return [point.x, point.y];
    }
    case 'segmentation':
      if (entry.section !== undefined || !mediaId.startsWith('image')) return entry.section ?? {};
      return entry.pixel_indices ?? [];
    case '3d_bounding_box':
      return entry.psr ?? {};
    case '3d_segmentation':
      return entry.points ?? entry.point_indices ?? entry.pixel_indices ?? [];
    case 'named_entity':
      return { ranges: entry.ranges ?? [], content: entry.content ?? '' };
    case 'classification':
      return {};
    case 'relation':
      return [entry.annotationId, entry.targetAnnotationId];
    case 'prompt':
    case 'answer': {
      // What the item carries besides its id: `input` / `output`, `frameIndex`, `section`.
      const { id: _id, ...data } = entry;
      return data;
    }
  }
}

function boxOf(box: Record<string, number>): number[] {
  return [box.x ?? 0, box.y ?? 0, box.width ?? 0, box.height ?? 0];
}
