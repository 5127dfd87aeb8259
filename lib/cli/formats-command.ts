import { Command } from 'commander';
import { FORMATS } from '../../formats/registry.js';

/** `synapse-export formats`: what each `--format` writes, carries, and what reads it. */
export function formatsCommand(): Command {
  return new Command('formats')
    .description('List the output formats of `run --format`, what they carry and which tools read them.')
    .option('--json', 'print the list as JSON', false)
    .action((flags: { json: boolean }) => {
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(FORMATS, null, 2)}\n`);
        return;
      }
      const text = FORMATS.map((f) => `${f.name}\n  ${f.summary}\n  carries: ${f.carries}\n  read by: ${f.readers}`).join('\n\n');
      process.stdout.write(`${text}\n`);
    });
}
