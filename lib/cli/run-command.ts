import { tmpdir } from 'node:os';
import { basename, extname, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { BaseExporter } from '../exporter/base-exporter.js';
import type { ItemSource } from '../sources/item-source.js';
import { FORMAT_NAMES, formatExporter, type FormatName } from '../../formats/registry.js';
import { classList } from '../../formats/shared/class-list.js';
import { DmExporter } from '../../transforms/dm-exporter.js';
import { parseRenames, type ClassMappingOptions } from '../../transforms/classes.js';
import { parseSplit, type SplitRatios } from '../../transforms/split.js';
import { codeOf, ErrorCode, ExportError, ExportValidationError, messageOf } from '../errors.js';
import { runExport } from '../exporter/run-export.js';
import { refuseUnresumable } from '../exporter/resume.js';
import type { ArchiveOptions } from '../output/open-export-output.js';
import { DEFAULT_CONCURRENCY, DEFAULT_DOWNLOAD_CONCURRENCY, type ExportResult } from '../exporter/execute-export.js';
import type { MediaMode } from '../output/fs-worker-pool.js';
import { ConsoleReporter } from '../run/console-reporter.js';
import type { Reporter } from '../run/reporter.js';
import { RunLogReporter } from '../run/run-log-reporter.js';
import { openInput, streamSource } from '../sources/file-source.js';
import { ExportIncompleteError } from '../exporter/export-incomplete-error.js';
import type { NamingRule } from '../naming/name-plan.js';
import { checkShardFlags, shardedOptions } from './sharded-options.js';
import { EXIT_CODES_HELP, exitCodeForCounts, exitCodeForError, exitCodeForSignal } from './exit-codes.js';

interface RunFlags {
  input: string;
  out?: string;
  resume?: string;
  name?: string;
  originalFiles: boolean;
  mediaMode: MediaMode;
  concurrency: number;
  downloadConcurrency: number;
  downloadTimeout: number;
  downloadRetries: number;
  logFile?: string;
  quiet: boolean;
  json: boolean;
  maxErrors?: number;
  failFast: boolean;
  format: FormatName;
  classes?: string[];
  rename?: string[];
  split?: SplitRatios;
  validate: boolean;
  zip: boolean;
  zipOnly: boolean;
  zipLevel?: number;
  zipSplitSize?: number;
  naming: NamingRule;
  workers?: string;
  shards?: number;
}

export function runCommand(): Command {
  return new Command('run')
    .description('Export items from a JSONL/JSON file, a dataset folder or standard input into a Synapse-style export directory.')
    .requiredOption('-i, --input <path>', 'items file (.jsonl or .json), dataset folder with items.jsonl, or - for standard input')
    .option('-o, --out <dir>', 'folder to create the export directory in (required unless --resume)')
    .option('--resume <export dir>', 'continue an interrupted export in this directory (same input and options as its first run)')
    .option('-n, --name <name>', 'export directory name; name(1), name(2)… when taken (default: the input name)')
    .option('--no-original-files', 'do not save original media to origin_files/')
    .addOption(new Option('--media-mode <mode>', 'how local originals land in origin_files/ (hardlink/symlink share the source file)').choices(['copy', 'hardlink', 'symlink']).default('copy'))
    .addOption(new Option('-c, --concurrency <n>', 'items being saved at once').default(DEFAULT_CONCURRENCY).argParser(positive('--concurrency')))
    .addOption(new Option('--download-concurrency <n>', 'downloads running at once').default(DEFAULT_DOWNLOAD_CONCURRENCY).argParser(positive('--download-concurrency')))
    .addOption(new Option('--download-timeout <ms>', 'timeout per download attempt').default(30_000).argParser(positive('--download-timeout')))
    .addOption(new Option('--download-retries <n>', 'retries of a download after 5xx, timeouts or connection errors').default(3).argParser(nonNegative('--download-retries')))
    .addOption(new Option('--max-errors <n>', 'stop once more than n items have failed (the export is then marked incomplete)').argParser(nonNegative('--max-errors')))
    .option('--fail-fast', 'stop at the first failed item (same as --max-errors 0)', false)
    .option('--log-file <file>', 'append every run event to this file as JSON lines')
    .option('-q, --quiet', 'print only warnings, errors and the summary', false)
    .option('--json', 'print the summary as one JSON object on standard output', false)
    .addOption(new Option('-f, --format <format>', 'output format (see `synapse-export formats`)').choices(FORMAT_NAMES).default('dm'))
    .option('--classes <names>', 'keep only these classes, comma-separated (also YOLO\'s class list)', commaList)
    .option('--rename <old=new>', 'rename (or merge) a class; repeatable, or comma-separated', collect, [])
    .option('--validate', 'check each DM document (v1 or v2) and fail items that do not fit, naming the JSON path', false)
    .addOption(new Option('--split <ratios>', 'train,val[,test] ratios, assigned by item id (training formats)').argParser(parseSplitFlag))
    .option('--zip', 'also write the export as <name>.zip beside its folder', false)
    .option('--zip-only', 'write only the archive, no loose files; with --out - it goes to standard output', false)
    .addOption(new Option('--zip-level <n>', 'deflate level for JSON and other compressible files, 0 (store) to 9; media are always stored').default(undefined, '3').argParser(zipLevel))
    .addOption(new Option('--naming <rule>', 'colliding names: source-order (a, a(1)… as items arrive) or by-id (the smallest id keeps a; reads the input twice)').choices(['source-order', 'by-id']).default('source-order'))
    .option('--workers <redis url>', 'run sharded on the BullMQ workers of this Redis (`synapse-export worker`); --out is then s3://bucket/prefix or a folder all workers share')
    .addOption(new Option('--shards <n>', 'shards of a --workers export (default 16)').argParser(positive('--shards')))
    .addOption(new Option('--zip-split-size <size>', 'split the archive into parts of at most this size (e.g. 2GB, 500MiB), each a zip by itself').argParser(byteSize))
    .addHelpText(
      'after',
      `
${EXIT_CODES_HELP}

Examples:
  synapse-export run --input examples/sample-dataset --out out
  synapse-export run --input examples/sample-dataset --out out --format yolo --split 0.8,0.2
  synapse-export run --input examples/sample-dataset --out out --zip
  synapse-export run --input items.jsonl --zip-only --out - > export.zip
  curl -s https://host/items.jsonl | synapse-export run --input - --out exports --name nightly`,
    )
    .action(async (flags: RunFlags, command: Command) => {
      process.exitCode = await run(flags, command);
    });
}

async function run(flags: RunFlags, command: Command): Promise<number> {
  const controller = new AbortController();
  let cancelledBy: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    // A second signal means now.
    if (cancelledBy !== undefined) process.exit(exitCodeForSignal(signal));
    cancelledBy = signal;
    process.stderr.write('Cancelling: finishing the files in flight… (press Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const toStdout = flags.out === '-';
  const archiveOnly = flags.zipOnly ? (toStdout ? 'standard output' : 'file') : null;
  try {
    if (flags.out === undefined && flags.resume === undefined) {
      throw new ExportValidationError("run needs --out <dir> (or --resume <export dir>)", 'out');
    }
    checkShardFlags(flags);
    if (flags.workers !== undefined) {
      // Sharded: planned here, exported by the workers, always with by-id names.
      const reporters: Reporter[] = [new ConsoleReporter({ quiet: flags.quiet || flags.json })];
      // Loaded only here: BullMQ and its Redis client would double the CLI's start-up time.
      const { runShardedExport } = await import('../scale/run-sharded-export.js');
      const result = await runShardedExport(shardedOptions(flags, flags.name ?? defaultName(flags.input), reporters, controller.signal));
      printSummary(result, flags.json, null);
      return exitCodeForCounts(result.counts);
    }
    const archive = archiveOptions(flags, toStdout);
    const source = flags.input === '-' ? streamSource(process.stdin) : await openInput(flags.input);
    const reporters: Reporter[] = [new ConsoleReporter({ quiet: flags.quiet || flags.json })];
    if (flags.logFile !== undefined) reporters.push(new RunLogReporter(flags.logFile));
    const exporter = await exporterFor(flags, source);
    const result = await runExport({
      ...(exporter === undefined ? {} : { exporter }),
      source,
      // Streaming to standard output, the export's folder is only scratch space.
      output: toStdout ? tmpdir() : flags.out,
      name: flags.name ?? defaultName(flags.input),
      ...(flags.resume === undefined ? {} : { resume: flags.resume }),
      saveOriginalFile: flags.originalFiles,
      mediaMode: flags.mediaMode,
      concurrency: flags.concurrency,
      downloadConcurrency: flags.downloadConcurrency,
      download: { timeoutMs: flags.downloadTimeout, retries: flags.downloadRetries },
      reporters,
      signal: controller.signal,
      ...(flags.failFast ? { maxErrors: 0 } : flags.maxErrors === undefined ? {} : { maxErrors: flags.maxErrors }),
      archive,
      naming: flags.naming,
    });
    printSummary(result, flags.json, archiveOnly);
    return exitCodeForCounts(result.counts);
  } catch (error) {
    const code = codeOf(error);
    if (error instanceof ExportIncompleteError) {
      // A stopped export still has a directory, an error list and a partial manifest: say where.
      printSummary(error.result, flags.json, archiveOnly, error);
      if (cancelledBy !== undefined) return exitCodeForSignal(cancelledBy);
      return exitCodeForError(code);
    }
    if (flags.json) process.stdout.write(`${JSON.stringify({ error: { code, message: messageOf(error) } })}\n`);
    return command.error(`synapse-export: ${messageOf(error)}`, { exitCode: exitCodeForError(code), code });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    // A cancelled or failed export may leave standard input open (a pipe still writing); it would
    // keep the process alive after the summary, so it is closed once the export is over.
    if (flags.input === '-') process.stdin.destroy();
  }
}

/** `archiveOnly`: where the zip-only archive went, null when the export has its folder. */
function printSummary(result: ExportResult, json: boolean, archiveOnly: 'file' | 'standard output' | null, stopped?: ExportIncompleteError): void {
  const { counts, durationMs } = result;
  const rate = durationMs > 0 ? Math.round((counts.total * 1000) / durationMs) : counts.total;
  if (json) {
    const incomplete = stopped === undefined ? {} : { complete: false, error: { code: stopped.code, message: stopped.message } };
    process.stdout.write(`${JSON.stringify({ ...result, itemsPerSecond: rate, ...incomplete })}\n`);
    return;
  }
  const lines = [
    ...(stopped === undefined ? [] : [`Stopped: ${stopped.message}`]),
    `${stopped === undefined ? 'Exported' : 'Exported before stopping:'} ${counts.total} items: ${counts.success} succeeded, ${counts.failed} failed, ${counts.skipped} skipped in ${(durationMs / 1000).toFixed(2)} s (${rate} items/s)`,
  ];
  if (archiveOnly === null) lines.push(`Export directory: ${result.uniqueExportPath}`);
  if (result.archivePaths.length > 0) lines.push(`Archive: ${result.archivePaths.join(', ')}`);
  else if (archiveOnly !== null) lines.push(stopped === undefined ? `Archive: written to ${archiveOnly}` : 'No archive was written: the export stopped.');
  if (result.errorListPath !== null && (archiveOnly === null || stopped === undefined)) {
    lines.push(`Failed files are listed in ${archiveOnly === null ? result.errorListPath : 'error_file_list.json inside the archive'}`);
  }
  process.stderr.write(`${lines.join('\n')}\n`);
}

/** The exporter for `--format` and the class/split options; undefined for plain `dm`. */
async function exporterFor(flags: RunFlags, source: ItemSource): Promise<BaseExporter | undefined> {
  const mapping: ClassMappingOptions | undefined =
    flags.classes !== undefined || (flags.rename ?? []).length > 0
      ? { ...(flags.classes === undefined ? {} : { keep: flags.classes }), rename: parseRenames(flags.rename ?? []) }
      : undefined;
  if (flags.format === 'dm') {
    if (flags.split !== undefined) throw new ExportValidationError('--split applies to the training formats (--format coco|yolo|yolo-seg|yolo-pose|voc)', 'split');
    if (mapping === undefined && !flags.validate) return undefined;
    return new DmExporter({ ...(mapping === undefined ? {} : { classes: mapping }), validate: flags.validate });
  }
  // YOLO's ids need the class list before the first item: --classes gives it, else a pre-pass
  // over the input file (pose always reads the input once, for the keypoint names).
  const knownClasses = flags.classes !== undefined && flags.format !== 'yolo-pose' ? classList(flags.classes) : undefined;
  const exporter = formatExporter(flags.format, {
    ...(mapping === undefined ? {} : { classes: mapping }),
    ...(flags.split === undefined ? {} : { split: flags.split }),
    ...(knownClasses === undefined ? {} : { classList: knownClasses }),
    validate: flags.validate,
  });
  if (flags.input === '-' && flags.format.startsWith('yolo') && knownClasses === undefined) {
    throw new ExportValidationError(`--format ${flags.format} from standard input needs --classes${flags.format === 'yolo-pose' ? ' (and pose reads its input twice: give a file)' : ''}`, 'classes');
  }
  // Before the pre-pass, which may read the whole input.
  if (flags.resume !== undefined) refuseUnresumable(exporter, flags.resume);
  await exporter.prepare(source);
  return exporter;
}

/** The archive settings the flags ask for; standard output (`--out -`) takes the zip-only archive. */
function archiveOptions(flags: RunFlags, toStdout: boolean): ArchiveOptions | undefined {
  const usage = (message: string): ExportError => new ExportError(message, { code: ErrorCode.INVALID_OPTION });
  if (flags.zip && flags.zipOnly) throw usage('--zip and --zip-only exclude each other; --zip-only is the archive alone');
  if (toStdout && !flags.zipOnly) throw usage('--out - (standard output) needs --zip-only');
  if (toStdout && flags.json) throw usage('--json prints to standard output, which --out - uses for the archive');
  if (!flags.zip && !flags.zipOnly) {
    if (flags.zipLevel !== undefined || flags.zipSplitSize !== undefined) throw usage('--zip-level and --zip-split-size need --zip or --zip-only');
    return undefined;
  }
  const archive: ArchiveOptions = { mode: flags.zipOnly ? 'zip-only' : 'zip' };
  if (flags.zipLevel !== undefined) archive.level = flags.zipLevel;
  if (flags.zipSplitSize !== undefined) archive.splitSize = flags.zipSplitSize;
  if (toStdout) {
    const stream = new PassThrough();
    // pipe() never ends standard output, and it honours its backpressure. A reader that goes
    // away (EPIPE) fails the export instead of leaving it waiting for a drain.
    stream.pipe(process.stdout);
    process.stdout.once('error', (error) => stream.destroy(error));
    archive.stream = stream;
  }
  return archive;
}

function zipLevel(value: string): number {
  const level = Number(value);
  if (!Number.isInteger(level) || level < 0 || level > 9) throw new InvalidArgumentError('--zip-level takes a whole number from 0 to 9.');
  return level;
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40 };

/** `2GB` (decimal), `500MiB` (binary), or a plain number of bytes. */
function byteSize(value: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const unit = SIZE_UNITS[match?.[2]?.toLowerCase() ?? 'x'];
  if (match === null || unit === undefined) throw new InvalidArgumentError('--zip-split-size takes a size such as 2GB, 500MiB or 1000000.');
  return Math.floor(Number(match[1]) * unit);
}

function defaultName(input: string): string {
  if (input === '-') return 'export';
  // Resolved, so that `.` or `..` is named after the folder it stands for.
  const name = basename(resolve(input));
  return basename(name, extname(name)) || 'export';
}

function positive(flag: string) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError(`${flag} takes a whole number of at least 1.`);
    return parsed;
  };
}

function commaList(value: string): string[] {
  return value.split(',').map((name) => name.trim()).filter((name) => name !== '');
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseSplitFlag(value: string): SplitRatios {
  try {
    return parseSplit(value);
  } catch (error) {
    throw new InvalidArgumentError(messageOf(error));
  }
}

function nonNegative(flag: string) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError(`${flag} takes a whole number of at least 0.`);
    return parsed;
  };
}
