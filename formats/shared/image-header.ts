import { open, type FileHandle } from 'node:fs/promises';

export interface ImageSize {
  width: number;
  height: number;
  /** Colour channels the header declares (1 grey, 2 grey + alpha, 3 colour, 4 colour + alpha). */
  channels?: number;
}

/** PNG colour type → channels. */
const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 3, 4: 2, 6: 4 };

/**
 * An image's pixel size from its header, without decoding it: PNG (IHDR), JPEG (the first SOF
 * marker, found by walking the segments), GIF and BMP. `undefined` when the file is none of these.
 */
export async function readImageSize(path: string): Promise<ImageSize | undefined> {
  const handle = await open(path, 'r');
  try {
    const head = await readAt(handle, 0, 32);
    if (head.length >= 24 && head.readUInt32BE(0) === 0x89504e47 && head.toString('latin1', 12, 16) === 'IHDR') {
      const channels = PNG_CHANNELS[head[25]!];
      return { width: head.readUInt32BE(16), height: head.readUInt32BE(20), ...(channels === undefined ? {} : { channels }) };
    }
    if (head.length >= 10 && head.toString('latin1', 0, 3) === 'GIF') {
      return { width: head.readUInt16LE(6), height: head.readUInt16LE(8), channels: 3 };
    }
    if (head.length >= 26 && head.toString('latin1', 0, 2) === 'BM') {
      return { width: head.readInt32LE(18), height: Math.abs(head.readInt32LE(22)) };
    }
    if (head.length >= 2 && head[0] === 0xff && head[1] === 0xd8) return await jpegSize(handle);
    return undefined;
  } finally {
    await handle.close();
  }
}

/** SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

async function jpegSize(handle: FileHandle): Promise<ImageSize | undefined> {
  let position = 2;
  for (;;) {
    const header = await readAt(handle, position, 10);
    if (header.length < 4 || header[0] !== 0xff) return undefined;
    const marker = header[1]!;
    // Fill bytes and markers without a length.
    if (marker === 0xff) {
      position += 1;
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      position += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return undefined;
    if (isStartOfFrame(marker)) {
      if (header.length < 10) return undefined;
      return { height: header.readUInt16BE(5), width: header.readUInt16BE(7), channels: header[9]! };
    }
    position += 2 + header.readUInt16BE(2);
  }
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}
