import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { codeOf, messageOf } from '../errors.js';
import { ParamsValidationError } from '../platform/params-validation-error.js';
import { createPlugin } from '../platform/plugin/create-plugin.js';
import { ANNOTATION_TYPES, DATA_TYPES } from '../platform/plugin/plugin-choices.js';
import { codeFromName, type PluginAnswers } from '../platform/plugin/plugin-template.js';
import { ConsoleReporter } from '../run/console-reporter.js';
import { RunLogReporter } from '../run/run-log-reporter.js';
import type { Reporter } from '../run/reporter.js';
import { VERSION } from '../version.js';
import { EXIT_CODES_HELP, exitCodeForCounts, exitCodeForError, ExitCode } from './exit-codes.js';

/** `synapse-export plugin create | run`. */
export function pluginCommand(): Command {
  return new Command('plugin')
    .description('Create export plugins and run them against the Synapse backend or local items.')
    .addCommand(createCommand().exitOverride())
    .addCommand(runPluginCommand().exitOverride());
}

interface CreateFlags {
  name?: string;
  code?: string;
  pluginVersion?: string;
  description?: string;
  dataTypes?: string[];
  annotationTypes?: string[];
  dir: string;
  yes: boolean;
  link: boolean;
}

function createCommand(): Command {
  return new Command('create')
    .description('Scaffold an export plugin (config.yaml, plugin/export.ts, a test and sample items). Asks for what flags do not give, on a terminal.')
    .option('--name <name>', 'plugin display name')
    .option('--code <code>', 'kebab-case plugin code (default: from the name)')
    .option('--plugin-version <version>', 'plugin version (default 0.1.0)')
    .option('--description <text>', 'description (default: "This is <name> plugin")')
    .option('--data-types <types...>', `data types (${DATA_TYPES.join(', ')})`, listOf(DATA_TYPES, '--data-types'))
    .option('--annotation-types <types...>', `annotation types (${ANNOTATION_TYPES.join(', ')})`, listOf(ANNOTATION_TYPES, '--annotation-types'))
    .option('--dir <folder>', 'folder to create synapse-<code>-plugin in', '.')
    .option('-y, --yes', 'ask nothing: use the flags and defaults', false)
    .option('--no-link', 'do not link node_modules/synapse-export to this installation (run npm install instead)')
    .action(async (flags: CreateFlags, command: Command) => {
      try {
        const answers = await answer(flags);
        const directory = await createPlugin({ ...answers, parent: flags.dir, ...(flags.link ? { linkPackage: packageRoot() } : {}) });
        process.stderr.write(`Created ${directory}\nNext: cd ${directory} && npm test\n`);
      } catch (error) {
        command.error(`synapse-export: ${messageOf(error)}`, { exitCode: ExitCode.USAGE, code: codeOf(error) });
      }
    });
}

async function answer(flags: CreateFlags): Promise<PluginAnswers> {
  const interactive = !flags.yes && process.stdin.isTTY === true;
  const prompt = interactive ? createInterface({ input: process.stdin, output: process.stderr }) : undefined;
  // Lines are read through the iterator, which buffers them: typed-ahead or pasted answers are kept.
  const lines = prompt?.[Symbol.asyncIterator]();
  const ask = async (question: string, fallback: string | undefined): Promise<string | undefined> => {
    if (lines === undefined) return fallback;
    process.stderr.write(fallback ? `${question} (${fallback}): ` : `${question}: `);
    const next = await lines.next();
    const reply = next.done === true ? '' : String(next.value).trim();
    return reply === '' ? fallback : reply;
  };
  try {
    const name = flags.name ?? (await ask('Plugin name', undefined));
    if (name === undefined || name.trim() === '') throw new InvalidArgumentError('a plugin name is required: --name "My Export Plugin" (or answer the prompt)');
    const code = flags.code ?? (await ask('Plugin code', codeFromName(name)))!;
    const version = flags.pluginVersion ?? (await ask('Version', '0.1.0'))!;
    const description = flags.description ?? (await ask('Description', `This is ${name} plugin`))!;
    return {
      name,
      code,
      version,
      description,
      dataTypes: (flags.dataTypes ?? [...DATA_TYPES]) as PluginAnswers['dataTypes'],
      annotationTypes: (flags.annotationTypes ?? [...ANNOTATION_TYPES]) as PluginAnswers['annotationTypes'],
    };
  } finally {
    prompt?.close();
  }
}

interface RunFlags {
  plugin: string;
  items?: string;
  out?: string;
  jobId?: string;
  host?: string;
  tenant?: string;
  logFile?: string;
  quiet: boolean;
  json: boolean;
}

function runPluginCommand(): Command {
  return new Command('run')
    .description('Run a plugin action. Against the backend (SYNAPSE_HOST, SYNAPSE_ACCESS_TOKEN), or offline on local items with --items.')
    .argument('<action>', 'the action to run: export')
    .argument('<params>', 'the params as JSON, or a .json/.yaml file holding them')
    .option('--plugin <dir>', 'plugin folder (holding config.yaml)', '.')
    .option('--items <file>', 'export these local items (JSONL/JSON file or dataset folder) instead of listing the backend')
    .option('--out <dir>', 'with --items: folder standing in for the storage root (default: the working directory)')
    .option('--job-id <id>', 'platform job to report logs, progress, metrics and the result to')
    .option('--host <url>', 'backend URL (default: SYNAPSE_HOST)')
    .option('--tenant <code>', 'tenant (default: SYNAPSE_TENANT)')
    .option('--log-file <file>', 'append every run event to this file as JSON lines')
    .option('-q, --quiet', 'print only warnings, errors and the summary', false)
    .option('--json', 'print the result as one JSON object on standard output', false)
    .addHelpText(
      'after',
      `
The token is read from SYNAPSE_ACCESS_TOKEN only, so it never lands in shell history or process lists.

${EXIT_CODES_HELP}

Examples:
  synapse-export plugin run export '{"name":"gt","storage":1,"path":"/exports","target":"ground_truth","filter":{"ground_truth_dataset_version":123}}' --plugin ./my-plugin
  synapse-export plugin run export params.json --plugin ./my-plugin --items items.jsonl --out out`,
    )
    .action(async (action: string, rawParams: string, flags: RunFlags, command: Command) => {
      process.exitCode = await runAction(action, rawParams, flags, command);
    });
}

async function runAction(action: string, rawParams: string, flags: RunFlags, command: Command): Promise<number> {
  if (action !== 'export') return command.error(`synapse-export: unknown action "${action}"; the only action is export`, { exitCode: ExitCode.USAGE });
  try {
    // Loaded only here: the platform's params and config checks bring zod, which other commands do not need.
    const { runPlugin } = await import('../platform/plugin/run-plugin.js');
    const reporters: Reporter[] = [new ConsoleReporter({ quiet: flags.quiet || flags.json })];
    if (flags.logFile !== undefined) reporters.push(new RunLogReporter(flags.logFile));
    const result = await runPlugin({
      directory: flags.plugin,
      params: await readParams(rawParams),
      reporters,
      ...(flags.items !== undefined ? { items: flags.items } : {}),
      ...(flags.out !== undefined ? { out: flags.out } : {}),
      ...(flags.jobId !== undefined ? { jobId: flags.jobId } : {}),
      client: { ...(flags.host !== undefined ? { host: flags.host } : {}), ...(flags.tenant !== undefined ? { tenant: flags.tenant } : {}) },
    });
    if (flags.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else process.stderr.write(`Exported ${result.counts.total} items (${result.counts.success} succeeded, ${result.counts.failed} failed, ${result.counts.skipped} skipped) to ${result.unique_export_path}\n`);
    return exitCodeForCounts(result.counts);
  } catch (error) {
    const code = codeOf(error);
    if (flags.json) {
      const detail = error instanceof ParamsValidationError ? error.toJSON() : undefined;
      process.stdout.write(`${JSON.stringify({ error: { code, message: messageOf(error), ...(detail ? { detail } : {}) } })}\n`);
    }
    return command.error(`synapse-export: ${messageOf(error)}`, { exitCode: exitCodeForError(code), code });
  }
}

/** Params from JSON text, or from a .json / .yaml file (yaml is loaded only for the latter). */
async function readParams(raw: string): Promise<unknown> {
  const extension = extname(raw).toLowerCase();
  if (['.json', '.yaml', '.yml'].includes(extension) && existsSync(raw)) {
    const text = readFileSync(raw, 'utf8');
    return extension === '.json' ? JSON.parse(text) : (await import('yaml')).parse(text);
  }
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new InvalidArgumentError(`params are not valid JSON (${messageOf(error)}) nor a .json/.yaml file`);
  }
}

function listOf(allowed: readonly string[], flag: string) {
  return (value: string, previous: string[] | undefined): string[] => {
    if (!allowed.includes(value)) throw new InvalidArgumentError(`${flag} takes ${allowed.join(', ')}; got ${value}`);
    return [...(previous ?? []), value];
  };
}

/** This installation's package folder (the one holding package.json), for linking into new plugins. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'synapse-export') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the synapse-export package above ${fileURLToPath(import.meta.url)} (version ${VERSION})`);
    dir = parent;
  }
}
