import { basename, extname, resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { codeOf, messageOf } from '../errors.js';
import { runExport } from '../exporter/run-export.js';
import type { ExportResult } from '../exporter/execute-export.js';
import type { MediaMode } from '../output/fs-worker-pool.js';
import { ConsoleReporter } from '../run/console-reporter.js';
import type { Reporter } from '../run/reporter.js';
import { RunLogReporter } from '../run/run-log-reporter.js';
import { openInput, streamSource } from '../sources/file-source.js';
import { EXIT_CODES_HELP, exitCodeForCounts, exitCodeForError } from './exit-codes.js';

interface RunFlags {
  input: string;
  out: string;
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
}

export function runCommand(): Command {
  return new Command('run')
    .description('Export items from a JSONL/JSON file, a dataset folder or standard input into a Synapse-style export directory.')
    .requiredOption('-i, --input <path>', 'items file (.jsonl or .json), dataset folder with items.jsonl, or - for standard input')
    .requiredOption('-o, --out <dir>', 'folder to create the export directory in')
    .option('-n, --name <name>', 'export directory name; name(1), name(2)… when taken (default: the input name)')
    .option('--no-original-files', 'do not save original media to origin_files/')
    .addOption(new Option('--media-mode <mode>', 'how local originals land in origin_files/ (hardlink/symlink share the source file)').choices(['copy', 'hardlink', 'symlink']).default('copy'))
    .addOption(new Option('-c, --concurrency <n>', 'items being saved at once').default(16).argParser(positive('--concurrency')))
    .addOption(new Option('--download-concurrency <n>', 'downloads running at once').default(8).argParser(positive('--download-concurrency')))
    .addOption(new Option('--download-timeout <ms>', 'timeout per download attempt').default(30_000).argParser(positive('--download-timeout')))
    .addOption(new Option('--download-retries <n>', 'retries of a download after 5xx, timeouts or connection errors').default(3).argParser(nonNegative('--download-retries')))
    .option('--log-file <file>', 'append every run event to this file as JSON lines')
    .option('-q, --quiet', 'print only warnings, errors and the summary', false)
    .option('--json', 'print the summary as one JSON object on standard output', false)
    .addHelpText(
      'after',
      `
${EXIT_CODES_HELP}

Examples:
  synapse-export run --input examples/sample-dataset --out out
  curl -s https://host/items.jsonl | synapse-export run --input - --out exports --name nightly`,
    )
    .action(async (flags: RunFlags, command: Command) => {
      process.exitCode = await run(flags, command);
    });
}

async function run(flags: RunFlags, command: Command): Promise<number> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts += 1;
    // A second Ctrl-C means now.
    if (interrupts > 1) process.exit(130);
    process.stderr.write('Cancelling… (press Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const source = flags.input === '-' ? streamSource(process.stdin) : await openInput(flags.input);
    const reporters: Reporter[] = [new ConsoleReporter({ quiet: flags.quiet || flags.json })];
    if (flags.logFile !== undefined) reporters.push(new RunLogReporter(flags.logFile));
    const result = await runExport({
      source,
      output: flags.out,
      name: flags.name ?? defaultName(flags.input),
      saveOriginalFile: flags.originalFiles,
      mediaMode: flags.mediaMode,
      concurrency: flags.concurrency,
      downloadConcurrency: flags.downloadConcurrency,
      download: { timeoutMs: flags.downloadTimeout, retries: flags.downloadRetries },
      reporters,
      signal: controller.signal,
    });
    printSummary(result, flags.json);
    return exitCodeForCounts(result.counts);
  } catch (error) {
    const code = codeOf(error);
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

function printSummary(result: ExportResult, json: boolean): void {
  const { counts, durationMs } = result;
  const rate = durationMs > 0 ? Math.round((counts.total * 1000) / durationMs) : counts.total;
  if (json) {
    process.stdout.write(`${JSON.stringify({ ...result, itemsPerSecond: rate })}\n`);
    return;
  }
  const lines = [
    `Exported ${counts.total} items: ${counts.success} succeeded, ${counts.failed} failed, ${counts.skipped} skipped in ${(durationMs / 1000).toFixed(2)} s (${rate} items/s)`,
    `Export directory: ${result.uniqueExportPath}`,
  ];
  if (result.errorListPath !== null) lines.push(`Failed files are listed in ${result.errorListPath}`);
  process.stderr.write(`${lines.join('\n')}\n`);
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

function nonNegative(flag: string) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError(`${flag} takes a whole number of at least 0.`);
    return parsed;
  };
}
