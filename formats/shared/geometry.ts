/** Plane geometry the formats share: points, boxes, clamping. */

export type Point = [number, number];

/** Axis-aligned `[x, y, width, height]`. */
export type Box = [number, number, number, number];

/** Corners of a box rotated by `rotation` radians about its centre (how the platform draws it). */
export function boxCorners(x: number, y: number, width: number, height: number, rotation = 0): Point[] {
  const cx = x + width / 2;
  const cy = y + height / 2;
  const cos = Math.cos(rotation);
  const sin = Math.sin(rotation);
  const half: Point[] = [
    [-width / 2, -height / 2],
    [width / 2, -height / 2],
    [width / 2, height / 2],
    [-width / 2, height / 2],
  ];
  return half.map(([dx, dy]) => [cx + dx * cos - dy * sin, cy + dx * sin + dy * cos]);
}

/** The smallest axis-aligned box around `points`; `undefined` for none. */
export function boundsOf(points: readonly Point[]): Box | undefined {
  if (points.length === 0) return undefined;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of points) {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  return [minX, minY, maxX - minX, maxY - minY];
}

export function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

/** `box` cut to the image `[0, width] × [0, height]`; may come out empty (zero width or height). */
export function clipBox([x, y, w, h]: Box, width: number, height: number): Box {
  const x0 = clamp(x, 0, width);
  const y0 = clamp(y, 0, height);
  const x1 = clamp(x + w, 0, width);
  const y1 = clamp(y + h, 0, height);
  return [x0, y0, x1 - x0, y1 - y0];
}

/** Area of a simple polygon (shoelace). */
export function polygonArea(points: readonly Point[]): number {
  let twice = 0;
  for (let i = 0; i < points.length; i += 1) {
    const [x0, y0] = points[i]!;
    const [x1, y1] = points[(i + 1) % points.length]!;
    twice += x0 * y1 - x1 * y0;
  }
  return Math.abs(twice) / 2;
}
