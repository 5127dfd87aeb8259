/**
 * The two DM annotation schemas (behaviour notes §11): v1, what the platform stores and exports,
 * and v2, the normalised form format converters read.
 */

/** A v1 annotation entry: what was drawn, with its class and attributes. */
export interface DmV1Annotation {
  id: string;
  tool: string;
  isLocked?: boolean;
  isVisible?: boolean;
  isValid?: boolean;
  shape?: string;
  classification?: { class?: string; [attribute: string]: unknown } | null;
  label?: unknown;
  [key: string]: unknown;
}

/** A v1 geometry entry, matched to its annotation by `id`. */
export interface DmV1AnnotationData {
  id: string;
  [key: string]: unknown;
}

/** DM v1: everything keyed by media id (`image_1`, `video_1`…). */
export interface DmV1Document {
  assignmentId?: string;
  extra?: Record<string, Record<string, unknown> | undefined>;
  relations?: Record<string, unknown[] | undefined>;
  annotations?: Record<string, DmV1Annotation[] | undefined>;
  annotationsData?: Record<string, DmV1AnnotationData[] | undefined>;
  annotationGroups?: Record<string, unknown[] | undefined>;
  [key: string]: unknown;
}

export interface DmV2Attribute {
  name: string;
  value: unknown;
}

/** A v2 annotation: class as a string, other classification keys as `attrs`, geometry in `data`. */
export interface DmV2Annotation {
  id: string;
  classification: string;
  attrs: DmV2Attribute[];
  data: unknown;
}

/** One media element of a v2 document: annotations grouped by tool. */
export type DmV2Media = Record<string, DmV2Annotation[]>;

/** DM v2: a class summary per tool, then one list per media type (`images`, `videos`…). */
export interface DmV2Document {
  classification: Record<string, string[]>;
  [mediaType: string]: DmV2Media[] | Record<string, string[]>;
}

/** Tools both schemas know (behaviour notes §11.2). */
export const DM_TOOLS = [
  'bounding_box',
  'polygon',
  'polyline',
  'keypoint',
  'segmentation',
  'classification',
  'relation',
  'named_entity',
  '3d_bounding_box',
  '3d_segmentation',
  'prompt',
  'answer',
] as const;

export type DmTool = (typeof DM_TOOLS)[number];
