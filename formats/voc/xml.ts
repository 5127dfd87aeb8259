import type { VocImage } from './convert.js';

/** The image folder of a VOC export, as VOC readers (torchvision, mmdetection) expect it. */
export const VOC_IMAGE_FOLDER = 'JPEGImages';

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * `Annotations/<stem>.xml` in the reference's element order: folder, filename, path,
 * source/database, size/{width,height,depth}, segmented, then per object name, pose, truncated,
 * difficult, bndbox/{xmin,ymin,xmax,ymax}.
 */
export function vocXml(fileName: string, image: VocImage): string {
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<annotation>',
    `  <folder>${VOC_IMAGE_FOLDER}</folder>`,
    `  <filename>${escape(fileName)}</filename>`,
    `  <path>${escape(fileName)}</path>`,
    '  <source>',
    '    <database>Unknown</database>',
    '  </source>',
    '  <size>',
    `    <width>${image.width}</width>`,
    `    <height>${image.height}</height>`,
    `    <depth>${image.depth}</depth>`,
    '  </size>',
    `  <segmented>${image.segmented ? 1 : 0}</segmented>`,
  ];
  for (const object of image.objects) {
    lines.push(
      '  <object>',
      `    <name>${escape(object.name)}</name>`,
      '    <pose>Unspecified</pose>',
      '    <truncated>0</truncated>',
      '    <difficult>0</difficult>',
      '    <bndbox>',
      `      <xmin>${object.xmin}</xmin>`,
      `      <ymin>${object.ymin}</ymin>`,
      `      <xmax>${object.xmax}</xmax>`,
      `      <ymax>${object.ymax}</ymax>`,
      '    </bndbox>',
      '  </object>',
    );
  }
  lines.push('</annotation>');
  return `${lines.join('\n')}\n`;
}
