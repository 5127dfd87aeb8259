#!/usr/bin/env node
// Every format through the library, on the sample dataset (run `npm run build` first):
//   node examples/formats-library.mjs [out-folder]     (default: out/formats-library)
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  CocoExporter, ExportOutput, VocExporter, YoloExporter, assignSplit, coco, collectClasses, dmToV2,
  mapClasses, openInput, runExport, toRecords, validateDm, yolo, yoloClassNames,
} from '../dist/index.js';

const out = process.argv[2] ?? 'out/formats-library';
const source = await openInput('examples/sample-dataset');
const fresh = async (name) => {
  const folder = join(out, name);
  await mkdir(folder, { recursive: true });
  return new ExportOutput(folder);
};
const records = () => Readable.from(toRecords(source.items()));
const files = { baseDirectory: source.baseDirectory };

// 1. COCO as stages in your own pipeline: validate, normalise, rename, split, convert, write.
const cocoOutput = await fresh('coco-pipeline');
await pipeline(
  records(),
  validateDm(),
  ...dmToV2(),
  mapClasses({ rename: { truck: 'car' } }),
  assignSplit([0.8, 0.2]),
  coco.stage(files),
  coco.writer(cocoOutput, files),
);
await cocoOutput.dispose();

// 2. YOLO as stages: the class list first (here a pre-pass; a project configuration would do).
const classes = await collectClasses(source, yoloClassNames('detect'));
const yoloOutput = await fresh('yolo-pipeline');
await pipeline(records(), yolo.stage({ classes, ...files }), yolo.writer(yoloOutput, { classes, ...files }));
await yoloOutput.dispose();

// 3. Ready exporters: manifest, error list, events and progress included.
const results = [
  await new CocoExporter({ pathRoot: out, params: { name: 'coco' } }).export(source),
  await new YoloExporter({ task: 'pose', pathRoot: out, params: { name: 'yolo-pose' } }).export(source),
  await new VocExporter({ split: [0.8, 0.2], pathRoot: out, params: { name: 'voc' } }).export(source),
  await runExport({ source, output: out, name: 'coco-cars', exporter: new CocoExporter({ classes: { keep: ['car'] } }) }),
];
for (const result of results) console.log(result.uniqueExportPath, result.counts);
