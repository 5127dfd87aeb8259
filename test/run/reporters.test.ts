import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConsoleReporter, renderLine } from '../../lib/run/console-reporter.js';
import { ExportRun } from '../../lib/run/export-run.js';
import { LogCode } from '../../lib/run/log-codes.js';
import { RunLogReporter } from '../../lib/run/run-log-reporter.js';
import { tempDirs } from '../helpers/temp-dir.js';

const tempDir = tempDirs('se-report-');

function fakeTerminal(): { stream: NodeJS.WriteStream; text: () => string } {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream;
  let text = '';
  (stream as unknown as PassThrough).on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

describe('RunLogReporter', () => {
  it('writes every event as a JSON line, batched', async () => {
    const path = join(await tempDir(), 'run.jsonl');
    const reporter = new RunLogReporter(path, { batchBytes: 1 << 20, flushMs: 10_000 });
    const run = new ExportRun({ throttleMs: 0 });
    reporter.attach(run);
    run.logMessage('hello');
    for (let i = 0; i < 1000; i++) run.exportLogJsonFile(i, { file_name: `${i}.json` }, 'success', '');
    run.setProgress(1000, 1000);
    // Nothing reaches the file before a batch is full or the reporter closes.
    expect(await readFile(path, 'utf8')).toBe('');
    await reporter.close();
    const lines = (await readFile(path, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1002);
    expect(lines[0]).toMatchObject({ event: 'message', data: { context: 'info', content: 'hello' } });
    expect(lines[1]).toMatchObject({ event: 'export_data_file', data: { target_id: 0, data_file_info: '{"file_name":"0.json"}', status: 'success' } });
    expect(lines.at(-1)).toMatchObject({ event: 'progress', data: { current: 1000 } });
  });

  it('refuses a log path it cannot open, before anything runs', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'file'), '');
    expect(() => new RunLogReporter(join(dir, 'file', 'run.jsonl'))).toThrow(expect.objectContaining({ code: 'ERR_OUTPUT_UNWRITABLE' }));
  });
});

describe('ConsoleReporter', () => {
  it('shows messages, caps per-item warnings and counts the rest', async () => {
    const terminal = fakeTerminal();
    const reporter = new ConsoleReporter({ stream: terminal.stream, tty: false, maxItemMessages: 3 });
    const run = new ExportRun();
    reporter.attach(run);
    run.logMessage('Starting export process.');
    for (let i = 0; i < 10; i++) run.logExportEvent(LogCode.NULL_DATA_DETECTED, i);
    await reporter.close();
    const lines = terminal.text().trim().split('\n');
    expect(lines).toEqual([
      'Starting export process.',
      'warning: item 0: Data is null for export item',
      'warning: item 1: Data is null for export item',
      'warning: item 2: Data is null for export item',
      '… and 7 more item warnings (see error_file_list.json)',
    ]);
  });

  it('prints only warnings with quiet', async () => {
    const terminal = fakeTerminal();
    const reporter = new ConsoleReporter({ stream: terminal.stream, tty: false, quiet: true });
    const run = new ExportRun({ throttleMs: 0 });
    reporter.attach(run);
    run.logMessage('Starting export process.');
    run.setProgress(10, 20);
    run.logMessageWithCode(LogCode.NO_RESULTS_FOUND);
    await reporter.close();
    expect(terminal.text()).toBe('warning: No results found for export.\n');
  });

  it('draws a bar with rate and ETA on a terminal', () => {
    const terminal = fakeTerminal();
    const reporter = new ConsoleReporter({ stream: terminal.stream, tty: true });
    const run = new ExportRun({ throttleMs: 0 });
    reporter.attach(run);
    run.setProgress(0, 200);
    run.setProgress(50, 200);
    expect(terminal.text()).toMatch(/\[#+-+\] exported 50 of 200 items · \d[\d,]* items\/s/);
  });

  it('renders a progress line for an unknown total', () => {
    expect(renderLine({ category: 'dataset_conversion', current: 1234, total: undefined, percent: undefined, time_remaining: undefined, rate: 99.6, elapsed_ms: 1000 })).toBe(
      'exported 1,234 items · 100 items/s',
    );
  });
});
