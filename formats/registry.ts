import { CocoExporter } from './coco/exporter.js';
import type { FormatExporter, FormatExporterOptions } from './shared/format-exporter.js';
import type { ClassList } from './shared/class-list.js';
import { VocExporter } from './voc/exporter.js';
import { YoloExporter } from './yolo/exporter.js';

export const FORMAT_NAMES = ['dm', 'coco', 'yolo', 'yolo-seg', 'yolo-pose', 'voc'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

export interface FormatDescription {
  name: FormatName;
  /** What the output is. */
  summary: string;
  /** Which annotations it carries. */
  carries: string;
  /** Which tools read it. */
  readers: string;
}

/** What `synapse-export formats` lists. */
export const FORMATS: readonly FormatDescription[] = [
  { name: 'dm', summary: 'Synapse export layout: json/<stem>.json (DM v1, as exported) + origin_files/', carries: 'everything, unchanged', readers: 'the Synapse platform and plugins; the SDK converters after DM v2 conversion and renaming origin_files/ to original_files/' },
  { name: 'coco', summary: 'COCO: annotations.json per split + images/', carries: 'boxes (rotated: bounds + corner polygon), polygons and polylines as segmentation, keypoints grouped per object', readers: 'pycocotools, Detectron2, MMDetection' },
  { name: 'yolo', summary: 'YOLO detection: images/, labels/<stem>.txt, classes.txt, dataset.yaml', carries: 'boxes (rotated: axis-aligned bounds), polygons as their bounds', readers: 'Ultralytics (task=detect)' },
  { name: 'yolo-seg', summary: 'YOLO segmentation: as yolo, with polygon label lines', carries: 'polygons, boxes as their (rotated) corners', readers: 'Ultralytics (task=segment)' },
  { name: 'yolo-pose', summary: 'YOLO pose: as yolo, with box + keypoints label lines and kpt_shape', carries: 'keypoints grouped per object (instance attribute)', readers: 'Ultralytics (task=pose)' },
  { name: 'voc', summary: 'Pascal VOC: Annotations/<stem>.xml, JPEGImages/, ImageSets/Main/<split>.txt, classes.txt', carries: 'boxes (rotated: axis-aligned bounds, cut to the image)', readers: 'torchvision VOCDetection, MMDetection, any VOC XML reader' },
];

export interface FormatExporterSettings extends FormatExporterOptions {
  /** YOLO's class list when known (project configuration, `--classes`); else a pre-pass. */
  classList?: ClassList;
}

/** The exporter for a format other than `dm`. */
export function formatExporter(name: Exclude<FormatName, 'dm'>, options: FormatExporterSettings): FormatExporter<unknown> {
  switch (name) {
    case 'coco':
      return new CocoExporter(options);
    case 'voc':
      return new VocExporter(options);
    case 'yolo':
      return new YoloExporter({ ...options, task: 'detect' });
    case 'yolo-seg':
      return new YoloExporter({ ...options, task: 'segment' });
    case 'yolo-pose':
      return new YoloExporter({ ...options, task: 'pose' });
  }
}
