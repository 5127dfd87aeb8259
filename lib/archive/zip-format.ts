/**
 * The byte layouts of a zip file (PKWARE APPNOTE 6.3): local headers, data descriptors, central
 * directory headers and the end records, with ZIP64 where a count or size needs it.
 */

/** A 32-bit field holding this means "see the ZIP64 extra field". */
export const ZIP32_LIMIT = 0xffffffff;
/** More entries than this need the ZIP64 end records. */
export const ZIP16_LIMIT = 0xffff;

export const STORE = 0;
export const DEFLATE = 8;

/** General-purpose flag bits: sizes follow in a data descriptor; the name is UTF-8. */
const FLAG_DATA_DESCRIPTOR = 0x0008;
const FLAG_UTF8 = 0x0800;
const VERSION_DEFAULT = 20;
const VERSION_ZIP64 = 45;
/** "Made by" Unix (3), so that the external attributes below are read as file modes. */
const MADE_BY_UNIX = 3 << 8;
/** A regular file, rw-r--r--. */
const FILE_ATTRIBUTES = (0o100644 << 16) >>> 0;

/**
 * Where a local header keeps the fields known only once the content is packed: a header made
 * with zeros there is filled in by whoever packs the entry (a file worker).
 */
export const LOCAL_HEADER_FIELDS = { method: 8, crc: 14, compressedSize: 18, size: 22 } as const;

/** What the central directory says of one entry. */
export interface CentralEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  /** Where the entry's local header starts in its part. */
  offset: number;
  /** Sizes come after the data, in a descriptor (the entry was streamed). */
  streamed: boolean;
}

/** MS-DOS time and date, the only timestamp the core format has (2-second resolution, local time). */
export function dosDateTime(date: Date): { time: number; date: number } {
  const year = Math.max(1980, date.getFullYear());
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

/**
 * A local file header. With `sizes` the entry's CRC and sizes are known up front; without, they
 * follow the data in a descriptor, and `zip64` makes that descriptor carry 8-byte sizes.
 */
export function localHeader(
  name: string,
  method: number,
  stamp: { time: number; date: number },
  sizes: { crc: number; compressedSize: number; size: number } | null,
  zip64: boolean,
): Buffer {
  const nameLength = Buffer.byteLength(name, 'utf8');
  // One buffer, name and extra field included: made for every entry, on the export's busiest thread.
  const header = Buffer.allocUnsafe(30 + nameLength + (zip64 ? zip64ExtraLength(2) : 0));
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(zip64 ? VERSION_ZIP64 : VERSION_DEFAULT, 4);
  header.writeUInt16LE(FLAG_UTF8 | (sizes === null ? FLAG_DATA_DESCRIPTOR : 0), 6);
  header.writeUInt16LE(method, LOCAL_HEADER_FIELDS.method);
  header.writeUInt16LE(stamp.time, 10);
  header.writeUInt16LE(stamp.date, 12);
  header.writeUInt32LE(sizes?.crc ?? 0, LOCAL_HEADER_FIELDS.crc);
  header.writeUInt32LE(zip64 ? ZIP32_LIMIT : (sizes?.compressedSize ?? 0), LOCAL_HEADER_FIELDS.compressedSize);
  header.writeUInt32LE(zip64 ? ZIP32_LIMIT : (sizes?.size ?? 0), LOCAL_HEADER_FIELDS.size);
  header.writeUInt16LE(nameLength, 26);
  header.writeUInt16LE(header.length - 30 - nameLength, 28);
  header.write(name, 30, 'utf8');
  if (zip64) writeZip64Extra(header, 30 + nameLength, [0, 0]);
  return header;
}

/** The descriptor after a streamed entry's data; 8-byte sizes when its local header was ZIP64. */
export function dataDescriptor(crc: number, compressedSize: number, size: number, zip64: boolean): Buffer {
  const descriptor = Buffer.alloc(zip64 ? 24 : 16);
  descriptor.writeUInt32LE(0x08074b50, 0);
  descriptor.writeUInt32LE(crc, 4);
  if (zip64) {
    descriptor.writeBigUInt64LE(BigInt(compressedSize), 8);
    descriptor.writeBigUInt64LE(BigInt(size), 16);
  } else {
    descriptor.writeUInt32LE(compressedSize, 8);
    descriptor.writeUInt32LE(size, 12);
  }
  return descriptor;
}

/** One central directory header; sizes or offset past 4 GiB move into a ZIP64 extra field. */
export function centralHeader(entry: CentralEntry, stamp: { time: number; date: number }): Buffer {
  const nameLength = Buffer.byteLength(entry.name, 'utf8');
  const wide: number[] = [];
  const field = (value: number): number => {
    if (value < ZIP32_LIMIT) return value;
    wide.push(value);
    return ZIP32_LIMIT;
  };
  // The extra field's values come in this fixed order: size, compressed size, offset.
  const size = field(entry.size);
  const compressedSize = field(entry.compressedSize);
  const offset = field(entry.offset);
  const header = Buffer.allocUnsafe(46 + nameLength + (wide.length > 0 ? zip64ExtraLength(wide.length) : 0));
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE(MADE_BY_UNIX | VERSION_ZIP64, 4);
  header.writeUInt16LE(wide.length > 0 ? VERSION_ZIP64 : VERSION_DEFAULT, 6);
  header.writeUInt16LE(FLAG_UTF8 | (entry.streamed ? FLAG_DATA_DESCRIPTOR : 0), 8);
  header.writeUInt16LE(entry.method, 10);
  header.writeUInt16LE(stamp.time, 12);
  header.writeUInt16LE(stamp.date, 14);
  header.writeUInt32LE(entry.crc, 16);
  header.writeUInt32LE(compressedSize, 20);
  header.writeUInt32LE(size, 24);
  header.writeUInt16LE(nameLength, 28);
  header.writeUInt16LE(header.length - 46 - nameLength, 30);
  header.writeUInt32LE(0, 32); // comment length, disk number start
  header.writeUInt16LE(0, 36); // internal attributes
  header.writeUInt32LE(FILE_ATTRIBUTES, 38);
  header.writeUInt32LE(offset, 42);
  header.write(entry.name, 46, 'utf8');
  if (wide.length > 0) writeZip64Extra(header, 46 + nameLength, wide);
  return header;
}

/**
 * The end of the archive: the ZIP64 end record and its locator when the entry count, the
 * directory's size or its offset do not fit the classic record, then the classic record.
 */
export function endRecords(entries: number, directorySize: number, directoryOffset: number): Buffer {
  const zip64 = entries > ZIP16_LIMIT || directorySize >= ZIP32_LIMIT || directoryOffset >= ZIP32_LIMIT;
  const parts: Buffer[] = [];
  if (zip64) {
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4); // size of the rest of this record
    record.writeUInt16LE(MADE_BY_UNIX | VERSION_ZIP64, 12);
    record.writeUInt16LE(VERSION_ZIP64, 14);
    // this disk, disk where the directory starts: 0
    record.writeBigUInt64LE(BigInt(entries), 24);
    record.writeBigUInt64LE(BigInt(entries), 32);
    record.writeBigUInt64LE(BigInt(directorySize), 40);
    record.writeBigUInt64LE(BigInt(directoryOffset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(directoryOffset + directorySize), 8);
    locator.writeUInt32LE(1, 16); // total number of disks
    parts.push(record, locator);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Math.min(entries, ZIP16_LIMIT), 8);
  end.writeUInt16LE(Math.min(entries, ZIP16_LIMIT), 10);
  end.writeUInt32LE(Math.min(directorySize, ZIP32_LIMIT), 12);
  end.writeUInt32LE(Math.min(directoryOffset, ZIP32_LIMIT), 16);
  parts.push(end);
  return Buffer.concat(parts);
}

function zip64ExtraLength(values: number): number {
  return 4 + 8 * values;
}

/** Writes a ZIP64 extra field of these 8-byte values at `at`. */
function writeZip64Extra(target: Buffer, at: number, values: number[]): void {
  target.writeUInt16LE(0x0001, at);
  target.writeUInt16LE(8 * values.length, at + 2);
  values.forEach((value, i) => target.writeBigUInt64LE(BigInt(value), at + 4 + 8 * i));
}
