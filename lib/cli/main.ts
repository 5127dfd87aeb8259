#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { EXIT_CODES_HELP, ExitCode } from './exit-codes.js';
import { runCommand } from './run-command.js';
import { pluginCommand } from './plugin-command.js';
import { formatsCommand } from './formats-command.js';
import { verifyCommand } from './verify-command.js';
import { workerCommand } from './worker-command.js';

const program = new Command('synapse-export')
  .description('Streaming export of annotated datasets to Synapse-style export folders.')
  .version(VERSION)
  .showHelpAfterError('(add --help for usage)')
  .addHelpText('after', `\n${EXIT_CODES_HELP}`)
  .exitOverride()
  .addCommand(runCommand().exitOverride())
  .addCommand(pluginCommand().exitOverride())
  .addCommand(formatsCommand().exitOverride())
  .addCommand(verifyCommand().exitOverride())
  .addCommand(workerCommand().exitOverride());

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (!(error instanceof CommanderError)) throw error;
  // Help and version exit 0; usage errors exit 2 (commander already printed the message).
  const code = error.exitCode === 0 ? ExitCode.OK : error.code.startsWith('commander.') ? ExitCode.USAGE : error.exitCode;
  process.exitCode = code;
}
