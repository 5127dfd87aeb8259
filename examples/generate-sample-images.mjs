#!/usr/bin/env node
// Generates the bundled sample dataset under examples/sample-dataset/:
//   media/**        small synthetic PNG and baseline-JPEG images
//   items.jsonl     one export item per line (DM v1 annotation document + file descriptor)
//
// Dependency-free (node:fs, node:zlib, node:crypto only) and deterministic: a fixed-seed PRNG is
// used everywhere (no Math.random, no clock), so re-running it rewrites byte-identical files.
// The PNG bytes depend on the zlib build bundled with Node; the pixels never change.
//
// Usage: node examples/generate-sample-images.mjs
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const DATASET_DIR = new URL('./sample-dataset/', import.meta.url);
const MEDIA_DIR = new URL('./media/', DATASET_DIR);

// ---------------------------------------------------------------------------------------------
// Deterministic randomness
// ---------------------------------------------------------------------------------------------

/** mulberry32: small, fast, fully deterministic 32-bit PRNG returning floats in [0, 1). */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a hash of a string, used to derive a per-image seed. */
function fnv1a(str) {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(str, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const idRng = mulberry32(20240611);
const usedIds = new Set();
/** 10-character random-looking id, like the platform's annotation ids ("WDHHkCvwOv"). */
function newId() {
  for (;;) {
    let s = '';
    for (let i = 0; i < 10; i++) s += ID_ALPHABET[Math.floor(idRng() * ID_ALPHABET.length)];
    if (!usedIds.has(s)) {
      usedIds.add(s);
      return s;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Raster canvas + drawing primitives
// ---------------------------------------------------------------------------------------------

function createCanvas(width, height, channels) {
  return { width, height, channels, data: new Uint8Array(width * height * channels) };
}

const clamp8 = (v) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/** RGB colour → value stored in the canvas (grayscale canvases keep the BT.601 luma). */
function setPixel(c, x, y, rgb) {
  if (x < 0 || y < 0 || x >= c.width || y >= c.height) return;
  const i = (y * c.width + x) * c.channels;
  if (c.channels === 1) {
    c.data[i] = clamp8(0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]);
  } else {
    c.data[i] = rgb[0];
    c.data[i + 1] = rgb[1];
    c.data[i + 2] = rgb[2];
  }
}

/** Vertical (or horizontal) two-colour gradient background. */
function fillGradient(c, from, to, horizontal = false) {
  for (let y = 0; y < c.height; y++) {
    for (let x = 0; x < c.width; x++) {
      const t = horizontal ? x / Math.max(1, c.width - 1) : y / Math.max(1, c.height - 1);
      setPixel(c, x, y, [0, 1, 2].map((k) => clamp8(from[k] + (to[k] - from[k]) * t)));
    }
  }
}

/** Even-odd point-in-polygon test at pixel centres. */
function insidePolygon(pts, px, py) {
  let inside = false;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const [xi, yi] = pts[i];
    const [xj, yj] = pts[j];
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function fillPolygon(c, pts, rgb) {
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  const x0 = Math.max(0, Math.floor(Math.min(...xs)));
  const x1 = Math.min(c.width - 1, Math.ceil(Math.max(...xs)));
  const y0 = Math.max(0, Math.floor(Math.min(...ys)));
  const y1 = Math.min(c.height - 1, Math.ceil(Math.max(...ys)));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      if (insidePolygon(pts, x + 0.5, y + 0.5)) setPixel(c, x, y, rgb);
    }
  }
}

/** Corners of an (optionally rotated, about its centre) box. */
function boxCorners(x, y, w, h, rotation = 0) {
  const cx = x + w / 2;
  const cy = y + h / 2;
  const cos = Math.cos(rotation);
  const sin = Math.sin(rotation);
  return [
    [-w / 2, -h / 2],
    [w / 2, -h / 2],
    [w / 2, h / 2],
    [-w / 2, h / 2],
  ].map(([dx, dy]) => [cx + dx * cos - dy * sin, cy + dx * sin + dy * cos]);
}

function fillCircle(c, cx, cy, r, rgb) {
  for (let y = Math.floor(cy - r); y <= Math.ceil(cy + r); y++) {
    for (let x = Math.floor(cx - r); x <= Math.ceil(cx + r); x++) {
      const dx = x + 0.5 - cx;
      const dy = y + 0.5 - cy;
      if (dx * dx + dy * dy <= r * r) setPixel(c, x, y, rgb);
    }
  }
}

/** Thick polyline: every pixel whose centre is within thickness/2 of a segment. */
function strokePolyline(c, pts, rgb, thickness = 2) {
  const half = thickness / 2;
  for (let s = 0; s + 1 < pts.length; s++) {
    const [ax, ay] = pts[s];
    const [bx, by] = pts[s + 1];
    const len2 = (bx - ax) ** 2 + (by - ay) ** 2 || 1;
    for (let y = Math.floor(Math.min(ay, by) - half); y <= Math.ceil(Math.max(ay, by) + half); y++) {
      for (let x = Math.floor(Math.min(ax, bx) - half); x <= Math.ceil(Math.max(ax, bx) + half); x++) {
        const px = x + 0.5;
        const py = y + 0.5;
        const t = Math.max(0, Math.min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / len2));
        const qx = ax + t * (bx - ax);
        const qy = ay + t * (by - ay);
        if ((px - qx) ** 2 + (py - qy) ** 2 <= half * half) setPixel(c, x, y, rgb);
      }
    }
  }
}

/**
 * Deterministic speckle noise on a fraction of the pixels, so images look less synthetic and
 * every file differs, while PNGs stay a few KB.
 */
function addNoise(c, rng, amplitude, density) {
  for (let p = 0; p < c.width * c.height; p++) {
    if (rng() >= density) continue;
    const delta = Math.round((rng() * 2 - 1) * amplitude);
    for (let k = 0; k < c.channels; k++) {
      const i = p * c.channels + k;
      c.data[i] = clamp8(c.data[i] + delta);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// PNG encoder (8-bit grayscale or RGB, non-interlaced)
// ---------------------------------------------------------------------------------------------

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(buf) {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

function encodePng(c) {
  const { width, height, channels, data } = c;
  const stride = width * channels;
  // Every scanline uses filter type 1 (Sub): byte minus the byte one pixel to the left.
  const raw = Buffer.alloc(height * (stride + 1));
  for (let y = 0; y < height; y++) {
    const o = y * (stride + 1);
    raw[o] = 1;
    for (let i = 0; i < stride; i++) {
      const cur = data[y * stride + i];
      const left = i >= channels ? data[y * stride + i - channels] : 0;
      raw[o + 1 + i] = (cur - left) & 0xff;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = channels === 1 ? 0 : 2; // colour type: 0 = grayscale, 2 = RGB
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method 0
  ihdr[12] = 0; // no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Baseline JPEG encoder (JFIF, 8-bit, grayscale or YCbCr 4:4:4, standard Annex K tables)
// ---------------------------------------------------------------------------------------------

// Annex K.1 quantisation tables, natural (row-major) order.
const STD_LUMA_Q = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
  14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
  49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
const STD_CHROMA_Q = [
  17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99,
  47, 66, 99, 99, 99, 99, 99, 99, ...Array(32).fill(99),
];

// Annex K.3 Huffman tables: BITS (code counts for lengths 1..16) and HUFFVAL.
const DC_LUMA = { bits: [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0], vals: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] };
const DC_CHROMA = { bits: [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0], vals: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] };
const AC_LUMA = {
  bits: [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d],
  vals: [
    0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
    0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0,
    0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
    0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
    0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
    0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
    0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
    0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5,
    0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
    0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
    0xf9, 0xfa,
  ],
};
const AC_CHROMA = {
  bits: [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77],
  vals: [
    0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
    0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0,
    0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
    0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
    0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
    0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
    0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5,
    0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3,
    0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
    0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
    0xf9, 0xfa,
  ],
};

/** ZIGZAG[k] = natural index of the k-th coefficient in zig-zag order. */
const ZIGZAG = (() => {
  const order = [];
  for (let s = 0; s < 15; s++) {
    const cells = [];
    for (let r = 0; r < 8; r++) {
      const col = s - r;
      if (col >= 0 && col < 8) cells.push(r * 8 + col);
    }
    // Even diagonals run bottom-left → top-right, odd ones top-right → bottom-left.
    if (s % 2 === 0) cells.reverse();
    order.push(...cells);
  }
  return order;
})();

/** Canonical Huffman code table (Annex C): symbol → [code, length]. */
function buildHuffman({ bits, vals }) {
  const total = bits.reduce((a, b) => a + b, 0);
  if (total !== vals.length) throw new Error('Huffman table: BITS/HUFFVAL mismatch');
  const table = new Map();
  let code = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    for (let i = 0; i < bits[len - 1]; i++) table.set(vals[k++], [code++, len]);
    code <<= 1;
  }
  return table;
}

/** IJG quality scaling of a base table. */
function scaleQuant(base, quality) {
  const q = Math.max(1, Math.min(100, quality));
  const scale = q < 50 ? Math.floor(5000 / q) : 200 - q * 2;
  return base.map((v) => Math.max(1, Math.min(255, Math.floor((v * scale + 50) / 100))));
}

const DCT_COS = (() => {
  const t = new Float64Array(64);
  for (let x = 0; x < 8; x++) {
    for (let u = 0; u < 8; u++) t[x * 8 + u] = Math.cos(((2 * x + 1) * u * Math.PI) / 16);
  }
  return t;
})();

/** Forward 8x8 DCT-II (JPEG normalisation) of a level-shifted block, separable. */
function fdct(block) {
  const tmp = new Float64Array(64);
  const out = new Float64Array(64);
  for (let y = 0; y < 8; y++) {
    for (let u = 0; u < 8; u++) {
      let s = 0;
      for (let x = 0; x < 8; x++) s += block[y * 8 + x] * DCT_COS[x * 8 + u];
      tmp[y * 8 + u] = s * (u === 0 ? Math.SQRT1_2 : 1) * 0.5;
    }
  }
  for (let u = 0; u < 8; u++) {
    for (let v = 0; v < 8; v++) {
      let s = 0;
      for (let y = 0; y < 8; y++) s += tmp[y * 8 + u] * DCT_COS[y * 8 + v];
      out[v * 8 + u] = s * (v === 0 ? Math.SQRT1_2 : 1) * 0.5;
    }
  }
  return out;
}

class BitWriter {
  constructor() {
    this.bytes = [];
    this.acc = 0;
    this.n = 0;
  }
  write(code, len) {
    for (let i = len - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((code >>> i) & 1);
      if (++this.n === 8) this.flushByte();
    }
  }
  flushByte() {
    this.bytes.push(this.acc);
    if (this.acc === 0xff) this.bytes.push(0x00); // byte stuffing
    this.acc = 0;
    this.n = 0;
  }
  finish() {
    while (this.n !== 0) this.write(1, 1); // pad with 1-bits
    return Buffer.from(this.bytes);
  }
}

/** Magnitude category (bit length) and additional bits of a coefficient (F.1.2.1). */
function categorize(v) {
  const a = Math.abs(v);
  let size = 0;
  while (a >> size) size++;
  const bits = v < 0 ? v + (1 << size) - 1 : v;
  return [size, bits];
}

function segment(marker, payload) {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(marker, 0);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, Buffer.from(payload)]);
}

function encodeJpeg(c, quality = 80) {
  const { width, height, channels, data } = c;
  const gray = channels === 1;
  const quant = [scaleQuant(STD_LUMA_Q, quality), scaleQuant(STD_CHROMA_Q, quality)];
  const huff = {
    dc: [buildHuffman(DC_LUMA), buildHuffman(DC_CHROMA)],
    ac: [buildHuffman(AC_LUMA), buildHuffman(AC_CHROMA)],
  };
  if (huff.dc.some((t) => t.size !== 12) || huff.ac.some((t) => t.size !== 162)) {
    throw new Error('Huffman tables must cover all 12 DC / 162 AC symbols');
  }

  // Colour planes (level-shifted), JFIF YCbCr conversion.
  const ncomp = gray ? 1 : 3;
  const planes = Array.from({ length: ncomp }, () => new Float64Array(width * height));
  for (let i = 0; i < width * height; i++) {
    if (gray) {
      planes[0][i] = data[i] - 128;
    } else {
      const r = data[i * 3];
      const g = data[i * 3 + 1];
      const b = data[i * 3 + 2];
      planes[0][i] = 0.299 * r + 0.587 * g + 0.114 * b - 128;
      planes[1][i] = -0.168736 * r - 0.331264 * g + 0.5 * b;
      planes[2][i] = 0.5 * r - 0.418688 * g - 0.081312 * b;
    }
  }

  const bw = new BitWriter();
  const prevDc = new Array(ncomp).fill(0);
  const block = new Float64Array(64);
  for (let by = 0; by < height; by += 8) {
    for (let bx = 0; bx < width; bx += 8) {
      for (let comp = 0; comp < ncomp; comp++) {
        const t = comp === 0 ? 0 : 1;
        // Edge replication for partial blocks.
        for (let y = 0; y < 8; y++) {
          const sy = Math.min(by + y, height - 1);
          for (let x = 0; x < 8; x++) {
            const sx = Math.min(bx + x, width - 1);
            block[y * 8 + x] = planes[comp][sy * width + sx];
          }
        }
        const coef = fdct(block);
        const q = new Int32Array(64);
        for (let k = 0; k < 64; k++) {
          const n = ZIGZAG[k];
          q[k] = Math.round(coef[n] / quant[t][n]);
        }
        // DC: difference to previous block of the same component.
        const [dcSize, dcBits] = categorize(q[0] - prevDc[comp]);
        prevDc[comp] = q[0];
        const dcCode = huff.dc[t].get(dcSize);
        bw.write(dcCode[0], dcCode[1]);
        if (dcSize) bw.write(dcBits, dcSize);
        // AC: run-length / size pairs.
        let run = 0;
        for (let k = 1; k < 64; k++) {
          if (q[k] === 0) {
            run++;
            continue;
          }
          while (run > 15) {
            const zrl = huff.ac[t].get(0xf0);
            bw.write(zrl[0], zrl[1]);
            run -= 16;
          }
          const [size, bits] = categorize(q[k]);
          const code = huff.ac[t].get((run << 4) | size);
          bw.write(code[0], code[1]);
          bw.write(bits, size);
          run = 0;
        }
        if (run > 0) {
          const eob = huff.ac[t].get(0x00);
          bw.write(eob[0], eob[1]);
        }
      }
    }
  }
  const scan = bw.finish();

  const parts = [Buffer.from([0xff, 0xd8])]; // SOI
  // APP0 JFIF 1.01, no density units, aspect 1:1, no thumbnail.
  parts.push(segment(0xffe0, [0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0]));
  // DQT: 8-bit precision, zig-zag order.
  for (let t = 0; t < (gray ? 1 : 2); t++) {
    parts.push(segment(0xffdb, [t, ...ZIGZAG.map((n) => quant[t][n])]));
  }
  // SOF0: baseline, 8-bit precision, 1x1 sampling for every component.
  const sof = [8, height >> 8, height & 0xff, width >> 8, width & 0xff, ncomp];
  for (let comp = 0; comp < ncomp; comp++) sof.push(comp + 1, 0x11, comp === 0 ? 0 : 1);
  parts.push(segment(0xffc0, sof));
  // DHT: class 0 = DC, 1 = AC; id 0 = luma, 1 = chroma.
  const tables = [
    [0x00, DC_LUMA],
    [0x10, AC_LUMA],
  ];
  if (!gray) tables.push([0x01, DC_CHROMA], [0x11, AC_CHROMA]);
  for (const [tc, { bits, vals }] of tables) parts.push(segment(0xffc4, [tc, ...bits, ...vals]));
  // SOS
  const sos = [ncomp];
  for (let comp = 0; comp < ncomp; comp++) sos.push(comp + 1, comp === 0 ? 0x00 : 0x11);
  sos.push(0, 63, 0);
  parts.push(segment(0xffda, sos));
  parts.push(scan);
  parts.push(Buffer.from([0xff, 0xd9])); // EOI
  return Buffer.concat(parts);
}

// ---------------------------------------------------------------------------------------------
// DM v1 annotation builders. Each helper returns {annotation, data, draw(canvas)} so the drawn
// pixels and the annotation geometry always agree.
// ---------------------------------------------------------------------------------------------

const r2 = (v) => Math.round(v * 100) / 100;

function annotationBase(tool, classification, flags = {}) {
  const a = { id: newId(), tool, isLocked: flags.locked ?? false, isVisible: flags.visible ?? true };
  if (flags.valid !== undefined) a.isValid = flags.valid;
  if (flags.shape) a.shape = flags.shape;
  a.classification = classification;
  return a;
}

function bbox(x, y, width, height, classification, opts = {}) {
  const annotation = annotationBase('bounding_box', classification, opts);
  const coordinate = { x: r2(x), y: r2(y), width: r2(width), height: r2(height) };
  if (opts.rotation !== undefined) coordinate.rotation = Math.round(opts.rotation * 1e4) / 1e4;
  return {
    annotation,
    data: { id: annotation.id, coordinate },
    draw: (c) => fillPolygon(c, boxCorners(x, y, width, height, opts.rotation ?? 0), opts.color ?? [200, 60, 60]),
  };
}

function polygon(points, classification, opts = {}) {
  const annotation = annotationBase('polygon', classification, opts);
  return {
    annotation,
    data: { id: annotation.id, coordinate: points.map(([x, y]) => ({ x: r2(x), y: r2(y), id: newId() })) },
    draw: (c) => fillPolygon(c, points, opts.color ?? [90, 160, 90]),
  };
}

function polyline(points, classification, opts = {}) {
  const annotation = annotationBase('polyline', classification, opts);
  return {
    annotation,
    data: { id: annotation.id, coordinate: points.map(([x, y]) => ({ x: r2(x), y: r2(y), id: newId() })) },
    draw: (c) => strokePolyline(c, points, opts.color ?? [240, 240, 240], opts.thickness ?? 2),
  };
}

function keypoint(x, y, classification, opts = {}) {
  const annotation = annotationBase('keypoint', classification, { shape: 'circle', ...opts });
  return {
    annotation,
    data: { id: annotation.id, coordinate: { x: r2(x), y: r2(y) } },
    draw: (c) => fillCircle(c, x, y, 1.6, opts.color ?? [255, 220, 0]),
  };
}

/** Several keypoints of one object instance (DM v1 stores one point per keypoint annotation). */
function keypoints(instance, points, extra = {}) {
  return points.map(([name, x, y, visible = true]) =>
    keypoint(x, y, { class: name, instance, visible, ...extra }, { color: visible ? [255, 220, 0] : [255, 120, 0] }),
  );
}

function classification(cls, opts = {}) {
  const annotation = annotationBase('classification', cls, opts);
  return { annotation, data: { id: annotation.id }, draw: () => {} };
}

function dmDocument(objects, extra) {
  return {
    extra: extra === undefined ? {} : { image_1: extra },
    relations: { image_1: [] },
    annotations: { image_1: objects.map((o) => o.annotation) },
    annotationsData: { image_1: objects.map((o) => o.data) },
    annotationGroups: { image_1: [] },
  };
}

// ---------------------------------------------------------------------------------------------
// Backgrounds
// ---------------------------------------------------------------------------------------------

function streetBackground(c, { sky = [120, 170, 225], horizonColor = [200, 215, 230], horizon = 0.42, road = [70, 70, 76] } = {}) {
  const hy = Math.round(c.height * horizon);
  for (let y = 0; y < c.height; y++) {
    for (let x = 0; x < c.width; x++) {
      if (y < hy) {
        const t = y / Math.max(1, hy - 1);
        setPixel(c, x, y, [0, 1, 2].map((k) => sky[k] + (horizonColor[k] - sky[k]) * t));
      } else {
        const t = (y - hy) / Math.max(1, c.height - hy - 1);
        setPixel(c, x, y, road.map((v) => v + 30 * t));
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The dataset
// ---------------------------------------------------------------------------------------------

const RED = [200, 40, 40];
const BLUE = [40, 80, 200];
const WHITE = [235, 235, 235];
const YELLOW = [235, 200, 40];
const SKIN = [225, 180, 140];
const DARK = [30, 30, 35];
const BROWN = [140, 95, 50];
const GREEN = [70, 150, 70];

/**
 * Item specs. format: png | png-gray | jpeg | jpeg-gray | missing (never written).
 * objects: annotation helpers; data: null → "data": null in items.jsonl.
 */
function buildSpecs() {
  return [
    {
      id: 1001, path: 'street/street_0001.png', width: 160, height: 120, format: 'png',
      background: (c) => streetBackground(c),
      objects: [
        bbox(18, 62, 46, 28, { class: 'car', color: 'red', occluded: false }, { color: RED }),
        bbox(96, 44, 52, 44, { class: 'truck', color: 'white', occluded: true }, { color: WHITE }),
        bbox(72.5, 56, 10, 26, { class: '보행자', pose: 'standing' }, { color: SKIN }),
        classification({ class: 'scene', time_of_day: 'day', weather: 'clear' }),
      ],
    },
    {
      id: 1002, path: 'street/street_0002.png', width: 160, height: 120, format: 'png',
      background: (c) => streetBackground(c, { sky: [150, 190, 235] }),
      objects: [
        polyline([[40, 119], [62, 90], [76, 70], [84, 54]], { class: 'lane_marking', type: 'dashed' }),
        polyline([[130, 119], [112, 88], [98, 62], [92, 52]], { class: 'lane_marking', type: 'solid' }, { color: YELLOW }),
        bbox(60, 70, 44, 24, { class: 'car', color: 'blue', occluded: false }, { rotation: 0.3491, color: BLUE }),
        bbox(126, 58, 22, 18, { class: 'vélo', parked: true }, { color: DARK }),
      ],
    },
    {
      id: 1003, path: 'street/street_0003.png', width: 128, height: 96, format: 'png',
      background: (c) => streetBackground(c, { horizon: 0.35 }),
      objects: [
        polygon([[0, 95], [0, 70], [50, 36], [78, 36], [127, 70], [127, 95]], { class: 'road', surface: 'asphalt' }, { color: [85, 85, 90] }),
        polygon([[0, 66], [44, 36], [50, 36], [0, 72]], { class: '인도', material: 'brick' }, { color: [170, 120, 100] }),
        bbox(58, 40, 14, 38, { class: '보행자', pose: 'walking' }, { color: [60, 90, 160] }),
        ...keypoints(1, [
          ['head', 65, 44],
          ['left_shoulder', 60, 52],
          ['right_shoulder', 70, 52],
          ['left_hip', 61, 64],
          ['right_hip', 69, 64],
          ['left_ankle', 60, 76, false],
        ]),
      ],
    },
    {
      id: 1004, path: 'street/street_0004.png', width: 128, height: 96, format: 'png',
      background: (c) => streetBackground(c, { sky: [70, 60, 110], horizonColor: [230, 140, 90] }),
      objects: [
        bbox(30, 40, 62, 30, { class: 'bus', color: 'yellow', occluded: false }, { rotation: -0.2618, color: YELLOW }),
        bbox(108, 10, 8, 22, { class: 'traffic_light', state: 'red' }, { color: DARK }),
        classification({ class: 'scene', time_of_day: 'dusk', weather: 'rain' }),
      ],
    },
    {
      id: 1005, path: 'street/crossing_0005.png', name: '교차로 사진.png', width: 160, height: 120, format: 'png',
      background: (c) => streetBackground(c, { horizon: 0.3 }),
      objects: [
        polygon([[20, 86], [140, 86], [150, 110], [10, 110]], { class: 'crosswalk' }, { color: [210, 210, 210] }),
        polyline([[10, 80], [150, 80]], { class: 'stop_line', type: 'solid' }, { thickness: 3 }),
        bbox(40, 54, 12, 34, { class: '보행자', pose: 'walking', child: false }, { color: [180, 60, 140] }),
        bbox(100, 62, 9, 24, { class: '보행자', pose: 'walking', child: true }, { color: [60, 160, 180] }),
        classification({ class: 'scene', time_of_day: 'day', weather: 'cloudy' }),
      ],
    },
    {
      id: 1006, path: 'animals/dog_0001.png', width: 120, height: 90, format: 'png',
      background: (c) => fillGradient(c, [120, 180, 90], [60, 120, 50]),
      objects: [
        bbox(24, 22, 70, 54, { class: '狗', breed: 'shiba', occluded: false }, { color: [205, 140, 70] }),
        ...keypoints(1, [
          ['nose', 86, 40],
          ['left_eye', 78, 32],
          ['right_eye', 84, 30],
          ['tail_base', 28, 36],
        ]),
        classification({ class: 'animal_photo', indoor: false }),
      ],
    },
    {
      id: 1007, path: 'animals/cat_0002.png', width: 96, height: 72, format: 'png',
      background: (c) => fillGradient(c, [230, 220, 200], [180, 160, 140], true),
      objects: [
        polygon([[30, 60], [28, 30], [34, 14], [42, 24], [54, 24], [62, 14], [66, 30], [70, 60]], { class: '고양이', color: 'black' }, { color: DARK }),
        ...keypoints(1, [
          ['nose', 48, 36],
          ['left_ear', 35, 17],
          ['right_ear', 61, 17],
        ]),
      ],
    },
    {
      id: 1008, path: 'photos/IMG_2041.jpg', width: 100, height: 75, format: 'jpeg',
      background: (c) => fillGradient(c, [150, 200, 240], [250, 200, 120]),
      objects: [
        polygon([[70, 74], [72, 40], [60, 40], [80, 8], [98, 40], [86, 40], [88, 74]], { class: 'arbre', season: 'autumn' }, { color: [200, 110, 30] }),
        bbox(18, 18, 24, 12, { class: 'oiseau', flying: true }, { rotation: 0.7854, color: DARK }),
        classification({ class: 'outdoor', season: 'autumn' }),
      ],
    },
    {
      // Deliberately unlabeled: "data": null.
      id: 1009, path: 'unlabeled/street_0009.png', width: 128, height: 96, format: 'png', data: null,
      background: (c) => streetBackground(c, { sky: [180, 190, 200], horizonColor: [210, 210, 215] }),
      objects: [],
    },
    {
      id: 1010, path: 'photos/IMG_2042.jpg', width: 120, height: 90, format: 'jpeg',
      background: (c) => streetBackground(c, { horizon: 0.4 }),
      objects: [
        bbox(8, 50, 40, 22, { class: 'car', color: 'red', occluded: false }, { color: RED }),
        bbox(70, 46, 38, 24, { class: 'car', color: 'white', occluded: true }, { color: WHITE }),
        bbox(54, 40, 9, 24, { class: '보행자', pose: 'standing' }, { color: SKIN }),
        classification({ class: 'scene', time_of_day: 'day', weather: 'clear' }),
      ],
    },
    {
      id: 1011, path: 'cam_a/frame_0001.png', width: 96, height: 72, format: 'png',
      background: (c) => streetBackground(c, { horizon: 0.45 }),
      objects: [
        polyline([[20, 71], [40, 50], [48, 33]], { class: 'lane_marking', type: 'dashed' }, { valid: true }),
        bbox(52, 40, 30, 16, { class: 'car', color: 'silver', occluded: false }, { valid: true, color: [190, 190, 200] }),
      ],
    },
    {
      id: 1012, path: 'cam_a/frame_0002.png', width: 96, height: 72, format: 'png',
      background: (c) => streetBackground(c, { horizon: 0.45 }),
      objects: [
        polyline([[20, 71], [40, 50], [48, 33]], { class: 'lane_marking', type: 'dashed' }, { valid: true }),
        bbox(48, 42, 32, 17, { class: 'car', color: 'silver', occluded: false }, { valid: true, color: [190, 190, 200] }),
      ],
    },
    {
      // The referenced media file is intentionally never generated.
      id: 1013, path: 'missing_0099.png', width: 128, height: 96, format: 'missing',
      objects: [
        bbox(10, 20, 30, 20, { class: 'car', color: 'green', occluded: false }),
        classification({ class: 'scene', time_of_day: 'night', weather: 'clear' }),
      ],
    },
    {
      // Same file_name_original as item 1011 ("frame_0001.png"), different camera folder.
      id: 1014, path: 'cam_b/frame_0001.png', width: 96, height: 72, format: 'png',
      background: (c) => streetBackground(c, { horizon: 0.5, sky: [110, 150, 210] }),
      objects: [
        bbox(14, 40, 28, 15, { class: 'car', color: 'silver', occluded: true }, { valid: true, color: [190, 190, 200] }),
        bbox(62, 38, 16, 14, { class: 'vélo', parked: false }, { valid: true, color: DARK }),
      ],
    },
    {
      id: 1015, path: 'cam_b/frame_0007.png', width: 96, height: 72, format: 'png',
      background: (c) => streetBackground(c, { horizon: 0.5, sky: [110, 150, 210] }),
      objects: [
        bbox(40, 32, 10, 28, { class: '보행자', pose: 'running' }, { rotation: 0.1745, valid: false, color: [60, 90, 160] }),
      ],
    },
    {
      id: 1016, path: 'docs/scan_0001.png', width: 96, height: 128, format: 'png-gray',
      background: (c) => fillGradient(c, [245, 245, 240], [225, 225, 220]),
      objects: [
        polygon([[8, 8], [88, 8], [88, 24], [8, 24]], { class: 'text_block', language: 'ko', role: 'title' }, { color: [60, 60, 60] }),
        polygon([[8, 32], [88, 32], [88, 84], [8, 84]], { class: 'text_block', language: 'ko', role: 'body' }, { color: [140, 140, 140] }),
        bbox(54, 98, 32, 14, { class: 'signature' }, { color: [20, 20, 80] }),
        classification({ class: 'invoice', language: 'ko', pages: 1 }),
      ],
    },
    {
      id: 1017, path: 'photos/IMG_2043.jpg', width: 88, height: 66, format: 'jpeg-gray',
      background: (c) => fillGradient(c, [40, 40, 40], [200, 200, 200], true),
      extra: null,
      objects: [classification({ class: 'blurry', reviewed: true, score: 0.82 })],
    },
    {
      // Labelled but empty: the annotator found nothing.
      id: 1018, path: 'street/street_0018.png', width: 64, height: 48, format: 'png',
      background: (c) => streetBackground(c, { sky: [20, 25, 60], horizonColor: [40, 45, 80], road: [25, 25, 30] }),
      objects: [],
    },
    {
      id: 1019, path: 'animals/bird_0003.png', width: 112, height: 84, format: 'png',
      background: (c) => fillGradient(c, [170, 210, 245], [230, 240, 250]),
      objects: [
        bbox(30, 28, 52, 30, { class: 'oiseau', flying: false, species: 'moineau' }, { color: BROWN }),
        ...keypoints(1, [
          ['beak', 81, 36],
          ['eye', 74, 34],
          ['wing_tip', 46, 40],
          ['tail', 31, 50],
        ]),
        bbox(90, 60, 14, 10, { class: 'oiseau', flying: false, species: 'unknown' }, { visible: false, color: BROWN }),
      ],
    },
    {
      id: 1020, path: 'aerial/field_0001.png', width: 160, height: 120, format: 'png',
      background: (c) => fillGradient(c, [110, 140, 80], [90, 120, 70], true),
      objects: [
        polygon([[4, 4], [74, 6], [70, 54], [6, 50]], { class: '農地', crop: 'rice', irrigated: true }, { color: [120, 190, 90] }),
        polygon([[84, 6], [154, 4], [156, 56], [80, 58]], { class: '農地', crop: 'wheat', irrigated: false }, { color: [210, 190, 110] }),
        polygon([[6, 66], [150, 64], [154, 114], [8, 116]], { class: '農地', crop: 'fallow', irrigated: false }, { color: [150, 120, 90] }),
        polyline([[0, 60], [40, 61], [80, 60], [120, 62], [159, 61]], { class: 'road', surface: 'gravel' }, { color: [200, 195, 180], thickness: 3 }),
      ],
    },
    {
      id: 1021, path: 'photos/IMG_2044.jpg', width: 64, height: 48, format: 'jpeg',
      background: (c) => streetBackground(c, { horizon: 0.5 }),
      objects: [bbox(12, 22, 36, 18, { class: 'car', color: 'red', occluded: false }, { locked: true, color: RED })],
    },
    {
      id: 1022, path: 'aerial/field_0002.png', width: 128, height: 96, format: 'png',
      background: (c) => fillGradient(c, [100, 130, 80], [130, 150, 100]),
      objects: [
        polygon([[10, 10], [44, 10], [44, 36], [10, 36]], { class: '건물', floors: 3 }, { color: [180, 80, 70] }),
        polygon([[70, 50], [110, 46], [116, 82], [74, 86]], { class: '건물', floors: 12 }, { color: [150, 150, 160] }),
        polyline([[0, 60], [20, 52], [40, 58], [60, 44], [80, 30], [127, 24]], { class: 'river', navigable: false }, { color: [60, 110, 200], thickness: 4 }),
      ],
    },
    {
      id: 1023, path: 'street/street_0023.png', width: 144, height: 108, format: 'png',
      background: (c) => streetBackground(c, { sky: [130, 175, 220] }),
      objects: [
        polygon([[0, 107], [0, 80], [60, 48], [84, 48], [143, 80], [143, 107]], { class: 'road', surface: 'concrete' }, { color: [110, 110, 115] }),
        polyline([[72, 107], [72, 48]], { class: 'lane_marking', type: 'dashed' }, { color: WHITE }),
        bbox(16, 60, 36, 22, { class: 'car', color: 'green', occluded: false }, { rotation: 0.1309, color: GREEN }),
        bbox(96, 56, 14, 12, { class: 'vélo', parked: false }, { color: DARK }),
        bbox(100, 36, 10, 26, { class: '보행자', pose: 'cycling' }, { color: [60, 90, 160] }),
        ...keypoints(1, [
          ['head', 105, 39],
          ['left_hand', 101, 50],
          ['right_hand', 109, 50],
          ['left_foot', 101, 60],
        ]),
        classification({ class: 'scene', time_of_day: 'day', weather: 'clear' }),
      ],
    },
    {
      id: 1024, path: 'animals/dog_0004.png', width: 80, height: 60, format: 'png',
      background: (c) => fillGradient(c, [220, 210, 190], [160, 140, 110]),
      objects: [
        bbox(6, 20, 36, 30, { class: '狗', breed: 'mixed', occluded: false }, { color: [90, 60, 40] }),
        bbox(46, 24, 26, 22, { class: 'chat', color: 'orange', occluded: true }, { color: [230, 140, 40] }),
        classification({ class: 'animal_photo', indoor: true }),
      ],
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

function main() {
  const specs = buildSpecs();
  const ids = new Set();
  for (const s of specs) {
    if (ids.has(s.id)) throw new Error(`duplicate item id ${s.id}`);
    ids.add(s.id);
  }

  rmSync(MEDIA_DIR, { recursive: true, force: true });
  mkdirSync(MEDIA_DIR, { recursive: true });

  const lines = [];
  let totalBytes = 0;
  for (const spec of specs) {
    const files = {
      file_name_original: spec.name ?? spec.path.split('/').pop(),
      path: `media/${spec.path}`,
    };
    if (spec.format !== 'missing') {
      const gray = spec.format.endsWith('-gray');
      const canvas = createCanvas(spec.width, spec.height, gray ? 1 : 3);
      spec.background(canvas);
      for (const o of spec.objects) o.draw(canvas);
      addNoise(canvas, mulberry32(fnv1a(spec.path)), 8, spec.format.startsWith('jpeg') ? 0.3 : 0.06);
      const bytes = spec.format.startsWith('jpeg') ? encodeJpeg(canvas, 80) : encodePng(canvas);
      const target = new URL(spec.path, MEDIA_DIR);
      mkdirSync(new URL('./', target), { recursive: true });
      writeFileSync(target, bytes);
      files.size = bytes.length;
      totalBytes += bytes.length;
      const sha = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
      console.log(`${String(bytes.length).padStart(6)}  ${sha}  media/${spec.path}`);
    } else {
      console.log(`     -  (not generated)  media/${spec.path}`);
    }
    files.width = spec.width;
    files.height = spec.height;

    let data = null;
    if (spec.data !== null) {
      const extra = spec.extra === null ? undefined : { width: spec.width, height: spec.height };
      data = dmDocument(spec.objects, extra);
    }
    lines.push(JSON.stringify({ id: spec.id, data, files }));
  }

  writeFileSync(new URL('items.jsonl', DATASET_DIR), `${lines.join('\n')}\n`);
  console.log(`wrote ${lines.length} items, ${totalBytes} bytes of media`);
}

main();
