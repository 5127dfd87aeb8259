import type { ExportItem } from '../types.js';
import type { ItemSource } from './item-source.js';

export interface SyntheticOptions {
  /** How many items. */
  count: number;
  /** Annotations per item; 8 gives a DM v1 document of about 2.5 KB. Default 8. */
  annotationsPerItem?: number;
  /** Same seed, same items. Default 1. */
  seed?: number;
  /** Gives every item this local media file (for copy benchmarks); by default items have only a name. */
  mediaPath?: string;
  /** Item ids start here. Default 1. */
  firstId?: number;
}

const CLASSES = ['person', 'car', 'bicycle', 'truck', 'traffic_light', '보행자', 'vélo', '狗'];
const TOOLS = ['bounding_box', 'polygon', 'keypoint', 'polyline'] as const;

/**
 * Deterministic DM v1 items generated on demand, for tests and benchmarks: nothing is held, so a
 * ten-million-item source costs no memory. Each call of `items()` yields the same sequence.
 */
export function syntheticSource(options: SyntheticOptions): ItemSource {
  const { count, annotationsPerItem = 8, seed = 1, mediaPath, firstId = 1 } = options;
  return {
    description: `${count} synthetic items`,
    count: async () => count,
    *items(): Generator<ExportItem> {
      for (let i = 0; i < count; i++) {
        const id = firstId + i;
        const random = mulberry32(seed * 0x9e3779b1 + id);
        const name = `item_${String(id).padStart(8, '0')}.jpg`;
        yield {
          id,
          data: dmV1Document(random, annotationsPerItem),
          files: mediaPath === undefined ? { file_name_original: name } : { file_name_original: name, path: mediaPath },
        };
      }
    },
  };
}

function dmV1Document(random: () => number, annotationCount: number): Record<string, unknown> {
  const annotations: unknown[] = [];
  const annotationsData: unknown[] = [];
  for (let a = 0; a < annotationCount; a++) {
    const id = annotationId(random);
    const tool = TOOLS[a % TOOLS.length]!;
    annotations.push({
      id,
      tool,
      isLocked: false,
      isVisible: true,
      classification: { class: CLASSES[Math.floor(random() * CLASSES.length)], occluded: random() < 0.2 },
    });
    annotationsData.push({ id, ...geometry(tool, random) });
  }
  return {
    extra: { image_1: { width: 1920, height: 1080 } },
    relations: { image_1: [] },
    annotations: { image_1: annotations },
    annotationsData: { image_1: annotationsData },
    annotationGroups: { image_1: [] },
  };
}

function geometry(tool: (typeof TOOLS)[number], random: () => number): Record<string, unknown> {
  const x = round(random() * 1800);
  const y = round(random() * 1000);
  switch (tool) {
    case 'bounding_box':
      return { coordinate: { x, y, width: round(random() * 120), height: round(random() * 80) } };
    case 'keypoint':
      return { coordinate: { x, y } };
    default:
      return {
        coordinate: Array.from({ length: 4 }, () => ({
          x: round(x + random() * 60),
          y: round(y + random() * 60),
          id: annotationId(random),
        })),
      };
  }
}

function annotationId(random: () => number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let id = '';
  for (let i = 0; i < 10; i++) id += alphabet[Math.floor(random() * alphabet.length)];
  return id;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** A small seeded PRNG: the same seed gives the same items on every machine. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
