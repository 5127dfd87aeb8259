import { basename, extname, resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { codeOf, ExportValidationError, messageOf } from '../errors.js';
import type { BaseExporter } from '../exporter/base-exporter.js';
import type { ItemSource } from '../sources/item-source.js';
import { FORMAT_NAMES, formatExporter, type FormatName } from '../../formats/registry.js';
import { classList } from '../../formats/shared/class-list.js';
import { DmExporter } from '../../transforms/dm-exporter.js';
import { parseRenames, type ClassMappingOptions } from '../../transforms/classes.js';
import { parseSplit, type SplitRatios } from '../../transforms/split.js';
import { runExport } from '../exporter/run-export.js';
import type { ExportResult } from '../exporter/execute-export.js';
import { ConsoleReporter } from '../run/console-reporter.js';
import type { Reporter } from '../run/reporter.js';
import { RunLogReporter } from '../run/run-log-reporter.js';
import { openInput, streamSource } from '../sources/file-source.js';
import { ExportIncompleteError } from '../exporter/export-incomplete-error.js';
import { EXIT_CODES_HELP, exitCodeForCounts, exitCodeForError, exitCodeForSignal } from './exit-codes.js';

interface RunFlags {
  input: string;
  out?: string;
  resume?: string;
  name?: string;
  originalFiles: boolean;
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
}

export function runCommand(): Command {
  return new Command('run')
    .description('Export items from a JSONL/JSON file, a dataset folder or standard input into a Synapse-style export directory.')
    .requiredOption('-i, --input <path>', 'items file (.jsonl or .json), dataset folder with items.jsonl, or - for standard input')
    .option('-o, --out <dir>', 'folder to create the export directory in (required unless --resume)')
    .option('--resume <export dir>', 'continue an interrupted export in this directory (same input and options as its first run)')
    .option('-n, --name <name>', 'export directory name; name(1), name(2)… when taken (default: the input name)')
    .option('--no-original-files', 'do not save original media to origin_files/')
    .addOption(new Option('-c, --concurrency <n>', 'items being saved at once').default(16).argParser(positive('--concurrency')))
    .addOption(new Option('--download-concurrency <n>', 'downloads running at once').default(8).argParser(positive('--download-concurrency')))
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
    .addHelpText(
      'after',
      `
${EXIT_CODES_HELP}

Examples:
  synapse-export run --input examples/sample-dataset --out out
  synapse-export run --input examples/sample-dataset --out out --format yolo --split 0.8,0.2
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
  try {
    if (flags.out === undefined && flags.resume === undefined) {
      throw new ExportValidationError("run needs --out <dir> (or --resume <export dir>)", 'out');
    }
    const source = flags.input === '-' ? streamSource(process.stdin) : await openInput(flags.input);
    const reporters: Reporter[] = [new ConsoleReporter({ quiet: flags.quiet || flags.json })];
    if (flags.logFile !== undefined) reporters.push(new RunLogReporter(flags.logFile));
    const exporter = await exporterFor(flags, source);
    const result = await runExport({
      ...(exporter === undefined ? {} : { exporter }),
      source,
      output: flags.out,
      name: flags.name ?? defaultName(flags.input),
      ...(flags.resume === undefined ? {} : { resume: flags.resume }),
      saveOriginalFile: flags.originalFiles,
      concurrency: flags.concurrency,
      downloadConcurrency: flags.downloadConcurrency,
      download: { timeoutMs: flags.downloadTimeout, retries: flags.downloadRetries },
      reporters,
      signal: controller.signal,
      ...(flags.failFast ? { maxErrors: 0 } : flags.maxErrors === undefined ? {} : { maxErrors: flags.maxErrors }),
    });
    printSummary(result, flags.json);
    return exitCodeForCounts(result.counts);
  } catch (error) {
    const code = codeOf(error);
    if (error instanceof ExportIncompleteError) {
      // A stopped export still has a directory, an error list and a partial manifest: say where.
      printSummary(error.result, flags.json, error);
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

function printSummary(result: ExportResult, json: boolean, stopped?: ExportIncompleteError): void {
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
    `Export directory: ${result.uniqueExportPath}`,
  ];
  if (result.errorListPath !== null) lines.push(`Failed files are listed in ${result.errorListPath}`);
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
  if (flags.resume !== undefined) {
    // The dataset-wide files (annotations.json, image lists) are built from every item of one
    // run; a resumed run skips the items already written, so they would be missing.
    throw new ExportValidationError(`--resume works with --format dm only; export --format ${flags.format} again instead`, 'resume');
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
  await exporter.prepare(source);
  return exporter;
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
