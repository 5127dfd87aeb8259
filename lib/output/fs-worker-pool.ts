import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DEFLATE, LOCAL_HEADER_FIELDS, STORE } from '../archive/zip-format.js';
import { ErrorCode, ExportError } from '../errors.js';
import type { WrittenFile } from './file-ops.js';
import { PARTIAL_SUFFIX } from './partial-suffix.js';

/** How an original is put into the export: a new copy, a hard link or a symbolic link to the source. */
export type MediaMode = 'copy' | 'hardlink' | 'symlink';

const MEDIA_MODES: readonly MediaMode[] = ['copy', 'hardlink', 'symlink'];

/** Checks a `mediaMode` option; undefined means `copy`. */
export function mediaMode(value: unknown): MediaMode {
  if (value === undefined) return 'copy';
  if (MEDIA_MODES.includes(value as MediaMode)) return value as MediaMode;
  throw new ExportError(`mediaMode must be one of ${MEDIA_MODES.join(', ')} (got ${JSON.stringify(value)})`, { code: ErrorCode.INVALID_OPTION });
}

/**
 * An archive file a worker writes a packed entry into itself (see ZipFileSink): it reserves the
 * entry's bytes by growing `shared[0]` (the file's length) atomically, and sets `shared[1]` when
 * its write fails. `header` is the entry's local header, with method, CRC and sizes to fill in.
 */
export interface ArchiveSlot {
  fd: number;
  shared: BigInt64Array;
  header: Uint8Array;
}

/**
 * One file operation, done synchronously inside a worker and hashed there. A file is made under
 * its own name when `inPlace` (in a staging folder), else under a partial name renamed when whole.
 * `pack` and `pack-file` prepare a zip entry's content (of bytes, or of a file read whole): written
 * into the archive `into` by the worker, or else handed back. With `jsonIndent`, the data is compact
 * JSON text (`JSON.stringify(value)`), written as `JSON.stringify(value, null, jsonIndent)` lays it
 * out: the layout is done in the worker, off the main thread.
 */
export type FsOperation =
  | { kind: 'write'; path: string; data: string | Uint8Array; inPlace: boolean; jsonIndent?: number }
  | { kind: 'copy'; source: string; destination: string; mode: MediaMode; wholeFileLimit: number; inPlace: boolean }
  | { kind: 'pack'; data: string | Uint8Array; level: number; into?: ArchiveSlot; jsonIndent?: number }
  | { kind: 'pack-file'; source: string; level: number; wholeFileLimit: number; into?: ArchiveSlot };

/** A byte range of the batch's one buffer. */
type Range = { start: number; end: number };

/** Every field of `T`, listed even when undefined: a wire operation built field by field must miss none. */
type AllFields<T> = { [K in keyof Required<T>]: T[K] };

/** An archive slot as the worker gets it: its header as a range of the batch's one buffer. */
type WireSlot = Omit<ArchiveSlot, 'header'> & Range;

/**
 * An operation as the worker gets it: its data, and its archive slot's header, as ranges of the
 * batch's one buffer.
 */
type WireOperation = {
  [K in FsOperation['kind']]: AllFields<Omit<Extract<FsOperation, { kind: K }>, 'data' | 'into'>> &
    ('data' extends keyof Extract<FsOperation, { kind: K }> ? Range : unknown) &
    ('into' extends keyof Extract<FsOperation, { kind: K }> ? { into: WireSlot | undefined } : unknown);
}[FsOperation['kind']];

/**
 * A zip entry's content: size, sha256 and CRC-32 of the bytes, and what to store: the bytes
 * deflated at the level asked for when that made them smaller (`deflated`), else as they are.
 */
export interface PackedContent {
  size: number;
  sha256: string;
  crc: number;
  deflated: boolean;
  data: Uint8Array;
}

/** A zip entry the worker wrote into its archive: at `offset`, `compressedSize` bytes after the header. */
export interface ArchivedContent extends Omit<PackedContent, 'data'> {
  offset: number;
  compressedSize: number;
}

type ErrorFields = { message: string; code?: string; errno?: number; syscall?: string; path?: string; dest?: string };

/**
 * What a worker answers: the file written, the content packed, or packed and archived, `large` (a
 * file over the whole-file limit: the caller streams it instead; `size` is its size), or the
 * error's fields.
 */
export type FsReply =
  | { ok: WrittenFile }
  | { packed: PackedContent }
  | { archived: ArchivedContent }
  | { large: true; size: number }
  | { error: ErrorFields };

/** A reply as the worker sends it: packed data is `start`–`end` of the reply's one buffer. */
type WireReply = Exclude<FsReply, { packed: unknown }> | { packed: Omit<PackedContent, 'data'> & Range };

/**
 * The worker's code. Sync calls in a worker cost one system call each, where every async `fs`
 * call also costs a thread-pool round trip and a FileHandle; batches of operations per message
 * amortise the messaging. It is plain CommonJS run with `eval`, so it works the same from the
 * built library (ESM or CJS) and from the TypeScript sources under test.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const { createHash } = require('node:crypto');
const zlib = require('node:zlib');
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const chunk = Buffer.allocUnsafe(1 << 20);
const NEW_FILE = { flag: 'wx' };

/**
 * Reads a file of up to \`limit\` bytes whole (a bigger one: \`{ large: true, size }\`), into the
 * worker's reused buffer when it fits: buffers allocated per file are off-heap, and this thread
 * allocates too little on its heap for GC to run often, so they piled up (tens of MB) before
 * being freed.
 */
function readWhole(source, limit) {
  const fd = fs.openSync(source, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    if (size > limit) return { large: true, size };
    const bytes = size <= chunk.length ? chunk.subarray(0, size) : Buffer.allocUnsafe(size);
    let read = 0;
    while (read < size) {
      const n = fs.readSync(fd, bytes, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return read === size ? bytes : bytes.subarray(0, read);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Compact JSON text laid out as \`JSON.stringify(value, null, indent)\` lays it out, in the worker's
 * reused buffer: a newline and the depth's indent after \`{\`, \`[\` and \`,\`, one before \`}\` and
 * \`]\`, a space after \`:\`, empty containers kept as \`{}\` and \`[]\`, strings copied as they are.
 * Every byte of a multi-byte UTF-8 character is 0x80 or more, so none is mistaken for these.
 */
let laidOut = Buffer.allocUnsafeSlow(1 << 16);
function layOutJson(src, indent) {
  const n = src.length;
  if (laidOut.length < n + 2) laidOut = Buffer.allocUnsafeSlow(n + 2);
  let out = laidOut;
  let o = 0;
  let depth = 0;
  // Plain locals in one loop, no closures: a closure over \`o\` made every byte's write slower.
  // \`out\` has room for the rest of the input copied as is, and the one \`: \` that can come
  // before the next line break; checked at each line break.
  for (let i = 0; i < n; i++) {
    const c = src[i];
    if (c === 34) {
      out[o++] = c;
      // Bounded by the input's end too: a text cut inside a string must not loop for ever.
      while (++i < n) {
        const b = src[i];
        out[o++] = b;
        if (b === 34) break;
        if (b === 92 && i + 1 < n) out[o++] = src[++i];
      }
      continue;
    }
    if (c === 123 || c === 91) {
      out[o++] = c;
      const next = src[i + 1];
      if (next === 125 || next === 93) {
        out[o++] = next;
        i += 1;
        continue;
      }
      depth += 1;
    } else if (c === 44) {
      out[o++] = c;
    } else if (c === 125 || c === 93) {
      depth -= 1;
    } else if (c === 58) {
      out[o++] = c;
      out[o++] = 32;
      continue;
    } else {
      out[o++] = c;
      continue;
    }
    const needed = o + (n - i) + depth * indent + 2;
    if (needed > out.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(needed, out.length * 2));
      out.copy(grown, 0, 0, o);
      out = laidOut = grown;
    }
    out[o++] = 10;
    for (let k = depth * indent; k > 0; k--) out[o++] = 32;
    if (c === 125 || c === 93) out[o++] = c;
  }
  return out.subarray(0, o);
}

/** The operation's data: its range of the batch's buffer, laid out when it is compact JSON. */
function dataOf(op, batchBytes) {
  const bytes = batchBytes.subarray(op.start, op.end);
  return op.jsonIndent === undefined ? bytes : layOutJson(bytes, op.jsonIndent);
}

/**
 * Makes \`path\` with \`make(pathToMake)\`, which must create a new file (exclusively): in place, or
 * under its partial name renamed into place, so a final name only ever holds a whole file. What a
 * resumed export left under the name is unlinked, never written into: it may be a link to a
 * source file. A failure leaves nothing behind.
 */
function throughPartial(path, inPlace, make) {
  const made = inPlace ? path : path + '${PARTIAL_SUFFIX}';
  try {
    try {
      make(made);
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      fs.unlinkSync(made);
      make(made);
    }
    if (!inPlace) fs.renameSync(made, path);
  } catch (error) {
    try { fs.unlinkSync(made); } catch {}
    throw error;
  }
}

/** Links destination to source; false when a hard link cannot cross file systems (then it is copied). */
function linked(op) {
  const link = op.mode === 'symlink' ? fs.symlinkSync : fs.linkSync;
  try {
    throughPartial(op.destination, op.inPlace, (path) => link(op.source, path));
  } catch (error) {
    if (op.mode === 'hardlink' && (error.code === 'EXDEV' || error.code === 'EPERM')) return false;
    throw error;
  }
  // rename() between two names of one file does nothing (a resumed hard link): drop the partial name.
  if (!op.inPlace) try { fs.unlinkSync(op.destination + '${PARTIAL_SUFFIX}'); } catch {}
  return true;
}

/** Size and sha256 of a file of any size, read in chunks. */
function hashFile(path) {
  const fd = fs.openSync(path, 'r');
  try {
    const hash = createHash('sha256');
    let size = 0;
    for (let n; (n = fs.readSync(fd, chunk, 0, chunk.length, null)) > 0; size += n) hash.update(chunk.subarray(0, n));
    return { size, sha256: hash.digest('hex') };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Packed content is gathered in one buffer per batch, sent to the main thread with the replies.
 * Copied at once: the bytes may be the reused read buffer.
 */
let packedOut = Buffer.allocUnsafeSlow(1 << 18);
let packedLength = 0;
function appendPacked(bytes) {
  if (packedLength + bytes.byteLength > packedOut.length) {
    const grown = Buffer.allocUnsafeSlow(Math.max(packedOut.length * 2, packedLength + bytes.byteLength));
    packedOut.copy(grown, 0, 0, packedLength);
    packedOut = grown;
  }
  packedOut.set(bytes, packedLength);
  const start = packedLength;
  packedLength += bytes.byteLength;
  return { start, end: packedLength };
}

/** The batch's entries packed for an archive file (\`into\`), each under its local header in packedOut, to place. */
let toPlace = [];

/** One raw deflate stream per level, kept for the worker's life and reset between entries. */
const deflaters = new Map();
/** Where entries of up to 1 MB are deflated; a bigger one gets a buffer of its own, not kept. */
const deflatedOut = Buffer.allocUnsafeSlow(1 << 20);

/**
 * \`bytes\` deflated, in a buffer valid until the next call, or undefined when that is not
 * smaller. \`zlib.deflateRawSync\` makes and tears down a zlib stream per call: 12 of its 42 µs
 * for a 6.7 KB JSON document. This drives a kept stream's handle as deflateRawSync does inside
 * (Node's own \`writeSync\` and \`_writeState\`), and falls back to it where a Node lacks them.
 */
function deflateSmaller(bytes, level) {
  let stream = deflaters.get(level);
  if (stream === undefined) {
    stream = zlib.createDeflateRaw({ level });
    // A failure is thrown below, where it happens; the event would come too late.
    stream.on('error', () => {});
    deflaters.set(level, stream);
  }
  const handle = stream._handle;
  if (typeof handle?.writeSync !== 'function' || !(stream._writeState instanceof Uint32Array)) {
    const compressed = zlib.deflateRawSync(bytes, { level });
    return compressed.byteLength < bytes.byteLength ? compressed : undefined;
  }
  const out = bytes.byteLength <= deflatedOut.length ? deflatedOut : Buffer.allocUnsafe(bytes.byteLength);
  // Room for no more than the input: a fuller output is not worth deflating.
  handle.writeSync(zlib.constants.Z_FINISH, bytes, 0, bytes.byteLength, out, 0, bytes.byteLength);
  if (stream.errored) {
    deflaters.delete(level);
    throw stream.errored;
  }
  const [availOut, availIn] = stream._writeState;
  handle.reset();
  return availIn === 0 && availOut > 0 ? out.subarray(0, bytes.byteLength - availOut) : undefined;
}

/**
 * Packs \`bytes\` as a zip entry: handed back in packedOut, or, given an archive slot, under the
 * slot's local header (filled in here) to be written into the archive at the batch's end.
 */
function pack(bytes, level, into, batchBytes, index) {
  const size = bytes.byteLength;
  const compressed = level > 0 && size > 0 ? deflateSmaller(bytes, level) : undefined;
  const deflated = compressed !== undefined;
  const stored = compressed ?? bytes;
  const content = { size, sha256: sha256(bytes), crc: zlib.crc32(bytes), deflated };
  if (into === undefined) return { packed: { ...content, ...appendPacked(stored) } };
  const { start } = appendPacked(batchBytes.subarray(into.start, into.end));
  packedOut.writeUInt16LE(deflated ? ${DEFLATE} : ${STORE}, start + ${LOCAL_HEADER_FIELDS.method});
  packedOut.writeUInt32LE(content.crc, start + ${LOCAL_HEADER_FIELDS.crc});
  packedOut.writeUInt32LE(stored.byteLength, start + ${LOCAL_HEADER_FIELDS.compressedSize});
  packedOut.writeUInt32LE(size, start + ${LOCAL_HEADER_FIELDS.size});
  const { end } = appendPacked(stored);
  const archived = { ...content, offset: -1, compressedSize: stored.byteLength };
  toPlace.push({ into, start, end, archived, index });
  return { archived };
}

/**
 * Writes the batch's packed entries into their archives: for each archive file, one atomic
 * reservation of their whole length and their bytes written there, in one go when they lie
 * together in packedOut. A failed write fails those entries and marks the archive as failed.
 */
function placeEntries(replies) {
  const byFile = new Map();
  for (const entry of toPlace) {
    const group = byFile.get(entry.into.fd);
    if (group === undefined) byFile.set(entry.into.fd, [entry]);
    else group.push(entry);
  }
  toPlace = [];
  for (const [fd, group] of byFile) {
    const { shared } = group[0].into;
    const length = group.reduce((sum, entry) => sum + entry.end - entry.start, 0);
    let position = Number(Atomics.add(shared, 0, BigInt(length)));
    try {
      for (let i = 0; i < group.length; ) {
        let j = i + 1;
        while (j < group.length && group[j].start === group[j - 1].end) j += 1;
        const start = group[i].start;
        for (let k = i; k < j; k++) group[k].archived.offset = position + group[k].start - start;
        for (let at = start; at < group[j - 1].end; ) at += fs.writeSync(fd, packedOut, at, group[j - 1].end - at, position + at - start);
        position += group[j - 1].end - start;
        i = j;
      }
    } catch (error) {
      Atomics.store(shared, 1, 1n);
      for (const { index } of group) replies[index] = errorReply(error);
    }
  }
}

function errorReply(error) {
  const { message, code, errno, syscall, path, dest } = error;
  return { error: { message, code, errno, syscall, path, dest } };
}

function run(op, batchBytes, index) {
  try {
    if (op.kind === 'pack') return pack(dataOf(op, batchBytes), op.level, op.into, batchBytes, index);
    if (op.kind === 'pack-file') {
      const bytes = readWhole(op.source, op.wholeFileLimit);
      return bytes instanceof Uint8Array ? pack(bytes, op.level, op.into, batchBytes, index) : bytes;
    }
    if (op.kind === 'write') {
      const bytes = dataOf(op, batchBytes);
      throughPartial(op.path, op.inPlace, (path) => fs.writeFileSync(path, bytes, NEW_FILE));
      return { ok: { size: bytes.byteLength, sha256: sha256(bytes) } };
    }
    if (op.mode !== 'copy') {
      // Hashed first: a missing source fails here, before any (dangling) link is made.
      const hashed = hashFile(op.source);
      if (linked(op)) return { ok: hashed };
    }
    const bytes = readWhole(op.source, op.wholeFileLimit);
    if (!(bytes instanceof Uint8Array)) return bytes;
    throughPartial(op.destination, op.inPlace, (path) => fs.writeFileSync(path, bytes, NEW_FILE));
    return { ok: { size: bytes.byteLength, sha256: sha256(bytes) } };
  } catch (error) {
    return errorReply(error);
  }
}

// The batch's buffer goes back with the replies, for the next batch.
parentPort.on('message', ({ ops, bytes }) => {
  const batchBytes = new Uint8Array(bytes);
  const replies = ops.map((op, index) => run(op, batchBytes, index));
  if (toPlace.length > 0) {
    placeEntries(replies);
    if (!replies.some((reply) => 'packed' in reply)) packedLength = 0;
  }
  if (packedLength === 0) return parentPort.postMessage({ replies, bytes }, [bytes]);
  // Exactly as big as its content: the main thread holds it until the archive has written it.
  const packed = packedOut.buffer.slice(0, packedLength);
  packedLength = 0;
  parentPort.postMessage({ replies, bytes, packed }, [bytes, packed]);
});
`;

interface Pending {
  resolve: (reply: FsReply) => void;
  reject: (error: Error) => void;
}

interface PoolWorker {
  worker: Worker;
  /**
   * The batch in flight, in order (its answers come back in this order), without the operations'
   * data, which need not live on; a worker has at most one batch out.
   */
  inFlight: Array<Omit<Queued, 'op'>>;
  /** The buffer this worker's batches carry their write data in, while it is here. */
  buffer: ArrayBuffer;
}

/**
 * The `directory` of operations that create no file (packing zip content): never made to wait
 * for a directory, and handed out as one batch per dispatch, so they spread over the workers.
 */
const NO_DIRECTORY = '';

interface Queued {
  op: FsOperation;
  pending: Pending;
  /** Where the operation creates its file: operations on one directory go to one worker at a time. */
  directory: string;
}

/**
 * A few worker threads doing the export's small-file writes and copies with sync calls, fed in
 * batches: one batch in flight per worker, and whatever queues meanwhile goes out as the next
 * batch. Workers are unreferenced while idle, so they never keep the process alive.
 */
export class FsWorkerPool {
  private readonly workers: PoolWorker[] = [];
  private queue: Queued[] = [];
  private flushScheduled = false;

  constructor(private readonly size: number) {}

  /** Worker threads started so far (and still running). */
  get threads(): number {
    return this.workers.length;
  }

  /** Queues `op`. A write's data is copied when its batch goes out, later: leave it unchanged until the reply. */
  run(op: FsOperation): Promise<FsReply> {
    return new Promise<FsReply>((resolve, reject) => {
      const directory = op.kind === 'write' ? dirname(op.path) : op.kind === 'copy' ? dirname(op.destination) : NO_DIRECTORY;
      this.queue.push({ op, pending: { resolve, reject }, directory });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        // Let the rest of this turn's operations join the batch.
        setImmediate(() => {
          this.flushScheduled = false;
          this.dispatch();
        });
      }
    });
  }

  /**
   * Hands the queue out by directory: a directory's operations go to one worker, and wait while
   * another worker has a batch in that directory. Creating and renaming files in one directory
   * is serialised by the kernel (the directory's lock), so two workers there mostly spin on it:
   * 0.9–1.2× the speed of one for 1.6–2× the CPU (benchmarks/directory-parallelism.mjs). Different
   * directories (`json/` and `origin_files/`) do proceed in parallel, one worker each.
   */
  private dispatch(): void {
    const busy = new Set<string>();
    for (const entry of this.workers) for (const { directory } of entry.inFlight) busy.add(directory);
    const idle = this.workers.filter((w) => w.inFlight.length === 0);
    const claimed = new Map<string, PoolWorker>();
    const batches = new Map<PoolWorker, Queued[]>();
    const waiting: Queued[] = [];
    for (const queued of this.queue) {
      const { directory } = queued;
      if (directory !== NO_DIRECTORY && busy.has(directory)) {
        waiting.push(queued);
        continue;
      }
      let entry = claimed.get(directory);
      if (entry === undefined) {
        // A free worker, a new one while the pool has room, or else one already given a batch now.
        entry = idle.shift() ?? (this.workers.length < this.size ? this.startWorker() : [...batches.keys()].at(-1));
        if (entry === undefined) {
          waiting.push(queued);
          continue;
        }
        claimed.set(directory, entry);
      }
      const batch = batches.get(entry);
      if (batch === undefined) batches.set(entry, [queued]);
      else batch.push(queued);
    }
    this.queue = waiting;
    for (const [entry, batch] of batches) {
      entry.inFlight = batch.map(({ pending, directory }) => ({ pending, directory }));
      entry.worker.ref();
      const { ops, bytes } = wireBatch(batch.map((b) => b.op), entry.buffer);
      entry.worker.postMessage({ ops, bytes }, [bytes]);
    }
  }

  private startWorker(): PoolWorker {
    // A small young generation: the worker allocates little (its buffers are off-heap), and the
    // default one grew to about 20 MB of RSS for nothing.
    const worker = new Worker(WORKER_SOURCE, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 2 } });
    const entry: PoolWorker = { worker, inFlight: [], buffer: new ArrayBuffer(0) };
    this.workers.push(entry);
    entry.worker.on('message', ({ replies, bytes, packed }: { replies: WireReply[]; bytes: ArrayBuffer; packed?: ArrayBuffer }) => {
      // A buffer grown for one big file is let go rather than held for the rest of the export.
      entry.buffer = bytes.byteLength <= KEPT_BUFFER_LIMIT ? bytes : new ArrayBuffer(0);
      const answered = entry.inFlight;
      entry.inFlight = [];
      entry.worker.unref();
      replies.forEach((reply, i) => answered[i]!.pending.resolve(fromWire(reply, packed)));
      this.dispatch();
    });
    entry.worker.on('error', (error: Error) => this.retire(entry, error));
    entry.worker.on('exit', (code) => this.retire(entry, new Error(`file worker stopped (exit code ${code})`)));
    entry.worker.unref();
    return entry;
  }

  /** A dead worker fails its batch; the next dispatch starts a fresh one. */
  private retire(entry: PoolWorker, error: Error): void {
    const index = this.workers.indexOf(entry);
    if (index === -1) return;
    this.workers.splice(index, 1);
    for (const { pending } of entry.inFlight) pending.reject(error);
    entry.inFlight = [];
    if (this.queue.length > 0) this.dispatch();
  }
}

const utf8 = new TextEncoder();

/** The largest batch buffer a worker keeps between batches (a few hundred JSON files). */
const KEPT_BUFFER_LIMIT = 4 * 1024 * 1024;

/**
 * The batch's write data encoded or copied into one buffer (`spare`, the worker's own, when it is
 * big enough), which moves to the worker and back without a copy. One reused buffer, not one per
 * file: encoding each JSON text into a buffer of its own and transferring it cost the main thread
 * about a fifth of its time, and the transferred buffers piled up in the worker until its GC ran.
 */
function wireBatch(batch: readonly FsOperation[], spare: ArrayBuffer): { ops: WireOperation[]; bytes: ArrayBuffer } {
  let capacity = 0;
  for (const op of batch) {
    if ('data' in op) capacity += typeof op.data === 'string' ? op.data.length : op.data.byteLength;
    capacity += slotOf(op)?.header.byteLength ?? 0;
  }
  // One byte per UTF-16 unit is exact for ASCII JSON; other text grows the buffer as it goes.
  let bytes = capacity <= spare.byteLength ? new Uint8Array(spare) : new Uint8Array(capacity);
  let offset = 0;
  const reserve = (needed: number): void => {
    if (offset + needed <= bytes.byteLength) return;
    const grown = new Uint8Array(Math.max(offset + needed, bytes.byteLength * 2));
    grown.set(bytes.subarray(0, offset));
    bytes = grown;
  };
  const put = (data: string | Uint8Array): Range => {
    const start = offset;
    if (typeof data === 'string') {
      for (let text = data; ; ) {
        const { read, written } = utf8.encodeInto(text, bytes.subarray(offset));
        offset += written;
        if (read === text.length) break;
        text = text.slice(read);
        reserve(text.length * 3);
      }
    } else {
      reserve(data.byteLength);
      bytes.set(data, offset);
      offset += data.byteLength;
    }
    return { start, end: offset };
  };
  const slot = (into: ArchiveSlot | undefined): WireSlot | undefined => {
    if (into === undefined) return undefined;
    const { start, end } = put(into.header);
    return { fd: into.fd, shared: into.shared, start, end };
  };
  // Field by field, not with object rest and spread: those cost about 2 µs an operation here,
  // a tenth of a second per 50k files on the export's busiest thread.
  const ops = batch.map((op): WireOperation => {
    switch (op.kind) {
      case 'copy':
        return op;
      case 'write': {
        const { start, end } = put(op.data);
        return { kind: op.kind, path: op.path, inPlace: op.inPlace, jsonIndent: op.jsonIndent, start, end };
      }
      case 'pack': {
        const { start, end } = put(op.data);
        return { kind: op.kind, level: op.level, jsonIndent: op.jsonIndent, start, end, into: slot(op.into) };
      }
      case 'pack-file':
        return { kind: op.kind, source: op.source, level: op.level, wholeFileLimit: op.wholeFileLimit, into: slot(op.into) };
    }
  });
  return { ops, bytes: bytes.buffer as ArrayBuffer };
}

function slotOf(op: FsOperation): ArchiveSlot | undefined {
  return 'into' in op ? op.into : undefined;
}

/** The reply's result of that kind (`ok` for a write, `packed` or `archived` for packing); its error thrown as `fs` would have. */
export function resultOf<K extends 'ok' | 'packed' | 'archived'>(reply: FsReply, kind: K): Extract<FsReply, Record<K, unknown>>[K] {
  if ('error' in reply) throw fsError(reply.error);
  if (!(kind in reply)) throw new Error(`unreachable: expected a reply with ${kind}`);
  return (reply as Extract<FsReply, Record<K, unknown>>)[kind];
}

/** A reply with its packed data as a view of the reply's buffer. */
function fromWire(reply: WireReply, packed: ArrayBuffer | undefined): FsReply {
  if (!('packed' in reply)) return reply;
  const { size, sha256, crc, deflated, start, end } = reply.packed;
  return { packed: { size, sha256, crc, deflated, data: new Uint8Array(packed!, start, end - start) } };
}

/** Turns a worker's error fields back into an Error like the one `fs` would have thrown here. */
function fsError(fields: ErrorFields): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(fields.message);
  if (fields.code !== undefined) error.code = fields.code;
  if (fields.errno !== undefined) error.errno = fields.errno;
  if (fields.syscall !== undefined) error.syscall = fields.syscall;
  if (fields.path !== undefined) error.path = fields.path;
  if (fields.dest !== undefined) (error as { dest?: string }).dest = fields.dest;
  return error;
}

/**
 * Two workers by default: one per directory being written (see `dispatch`), so an export with
 * originals writes `json/` and `origin_files/` in parallel, and a JSON-only export never starts
 * the second. `SYNAPSE_EXPORT_FS_WORKERS` changes it.
 */
const DEFAULT_WORKERS = 2;

/** The process-wide pool (created on first use). `SYNAPSE_EXPORT_FS_WORKERS` overrides its size. */
let shared: FsWorkerPool | undefined;
export function fsWorkers(): FsWorkerPool {
  shared ??= new FsWorkerPool(Number(process.env.SYNAPSE_EXPORT_FS_WORKERS) || DEFAULT_WORKERS);
  return shared;
}
