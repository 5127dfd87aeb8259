import { Command } from 'commander';
import { verifyExport, type VerifyReport } from '../archive/verify-export.js';
import { codeOf, messageOf } from '../errors.js';
import { ExitCode } from './exit-codes.js';

/** Problems listed per kind before the rest are only counted. */
const SHOWN = 20;

export function verifyCommand(): Command {
  return new Command('verify')
    .description('Check an export folder or archive against its export_manifest.json: every file present, with the size and sha256 recorded, and nothing else.')
    .argument('<export>', 'export folder, .zip archive, or any part of a split archive')
    .option('--json', 'print the report as one JSON object on standard output', false)
    .addHelpText(
      'after',
      `
Exit codes:
  0  every file matches the manifest
  3  files are missing, extra or corrupt (listed)
  2  no readable manifest, or the archive cannot be read (truncated, not a zip)`,
    )
    .action(async (target: string, flags: { json: boolean }, command: Command) => {
      try {
        const report = await verifyExport(target);
        if (flags.json) process.stdout.write(`${JSON.stringify(report)}\n`);
        else process.stdout.write(describe(report));
        process.exitCode = report.ok ? ExitCode.OK : ExitCode.ITEMS_FAILED;
      } catch (error) {
        const code = codeOf(error);
        if (flags.json) process.stdout.write(`${JSON.stringify({ error: { code, message: messageOf(error) } })}\n`);
        command.error(`synapse-export: ${messageOf(error)}`, { exitCode: ExitCode.USAGE, code });
      }
    });
}

function describe(report: VerifyReport): string {
  const where = report.checked.join(', ');
  if (report.ok) return `OK: all ${report.expected} files of ${where} match the manifest.\n`;
  const lines = [`FAILED: ${where}: ${report.missing.length} missing, ${report.extra.length} extra, ${report.corrupt.length} corrupt of ${report.expected} files listed.`];
  const list = (title: string, items: string[]): void => {
    if (items.length === 0) return;
    lines.push(`${title}:`, ...items.slice(0, SHOWN).map((item) => `  ${item}`));
    if (items.length > SHOWN) lines.push(`  … and ${items.length - SHOWN} more`);
  };
  list('missing', report.missing);
  list('extra (not in the manifest)', report.extra);
  list('corrupt', report.corrupt.map((file) => `${file.path}: ${file.reason}`));
  return `${lines.join('\n')}\n`;
}
