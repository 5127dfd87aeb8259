#!/usr/bin/env node
// The benchmark suite: every scenario × dataset size × exporter (synapse-export and the baselines)
// in one run on the same cached data, reported as items/s, MB/s, RSS and ratios to the baselines.
//   npm run bench                 10k, 100k and 1M items (1M: synapse-export, JSON only: the memory-flatness run)
//   npm run bench -- --quick      10k items, about two minutes
//   npm run bench -- --sizes 100000 --scenarios json+originals --runners python,engine
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as library from '../dist/index.js';
import { rssChart, throughputChart } from './lib/charts.mjs';
import { CACHE, ensureDataset } from './lib/dataset.mjs';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    sizes: { type: 'string' },
    scenarios: { type: 'string' },
    runners: { type: 'string' },
    'no-save': { type: 'boolean', default: false },
    // Appended to the results' file names, so a partial run does not replace the day's full one.
    tag: { type: 'string' },
    // The raw-fs strategies tried for `limit` (the best is kept); fewer makes a run shorter.
    'limit-strategies': { type: 'string', default: 'sync,cb:8,cb:32' },
    // Where exports are written (and removed after each run); a tmpfs here measures CPU cost only.
    'out-root': { type: 'string' },
  },
});
const here = new URL('.', import.meta.url).pathname;
const outRoot = values['out-root'] ?? join(CACHE, 'out');
const log = (line) => process.stderr.write(`${line}\n`);

const sizes = (values.sizes ?? (values.quick ? '10000' : '10000,100000,1000000')).split(',').map(Number);
/** Sizes above this run only the runners marked `big` (the sequential baselines would take an hour). */
const BIG = 100_000;

// Runners: how to start each exporter. `scenarioArgs` adds --originals where the scenario copies media.
const RUNNERS = [
  { name: 'python', cmd: (a) => ['python3', [join(here, 'baselines/python_export.py'), a.items, a.out, String(a.count), ...(a.originals ? ['--originals'] : [])]] },
  { name: 'node-seq', cmd: (a) => node('baselines/node-loop.mjs', a, ['--in-flight', '1']) },
  { name: 'node-32', cmd: (a) => node('baselines/node-loop.mjs', a, ['--in-flight', '32']) },
  { name: 'limit', strategies: values['limit-strategies'].split(','), cmd: (a, s) => node('baselines/fs-limit.mjs', a, ['--strategy', s]) },
  { name: 'engine', big: true, cmd: (a) => node('runners/engine.mjs', a, []) },
  { name: 'engine-hardlink', originalsOnly: true, cmd: (a) => node('runners/engine.mjs', a, ['--media-mode', 'hardlink']) },
];
const RUNNER_ORDER = RUNNERS.map((r) => r.name);

function node(script, a, extra) {
  return [process.execPath, [join(here, script), '--items', a.items, '--out', a.out, '--count', String(a.count), ...(a.originals ? ['--originals'] : []), ...extra]];
}

const hasExport = (pattern) => Object.keys(library).some((key) => pattern.test(key));
const SCENARIOS = [
  { name: 'json', originals: false },
  { name: 'json+originals', originals: true },
  { name: 'json+originals+zip', skip: () => (hasExport(/zip|archive/i) ? 'archive output is on main but this scenario has no runner yet' : 'archive output (zip) is not on main yet') },
  { name: 'zip-only', skip: () => (hasExport(/zip|archive/i) ? 'archive output is on main but this scenario has no runner yet' : 'archive output (zip) is not on main yet') },
  { name: 'coco', skip: () => (hasExport(/coco/i) ? 'COCO is on main but this scenario has no runner yet' : 'the COCO format is not on main yet') },
  { name: 'yolo', skip: () => (hasExport(/yolo/i) ? 'YOLO is on main but this scenario has no runner yet' : 'the YOLO format is not on main yet') },
  { name: 'backend-source', skip: () => (hasExport(/backend|platform/i) ? 'the backend source is on main but this scenario has no runner yet' : 'the loopback backend stand-in (paginated HTTP) is not on main yet') },
  { name: 'highland-stage', skip: () => 'no highland adapter on main (highland is not a dependency)' },
];
// Every scenario here reads the cached items.jsonl: the JSONL-source scenario is all of them.

const wantedScenarios = values.scenarios?.split(',');
const wantedRunners = values.runners?.split(',');
const results = [];
const startedAt = new Date().toISOString();
const skipped = [];

for (const scenario of SCENARIOS) {
  if (wantedScenarios && !wantedScenarios.includes(scenario.name)) continue;
  const reason = scenario.skip?.();
  if (reason !== undefined) {
    log(`SKIP ${scenario.name}: ${reason}`);
    skipped.push({ scenario: scenario.name, reason });
  }
}

for (const count of sizes) {
  const meta = await ensureDataset(count, log);
  for (const scenario of SCENARIOS) {
    if (scenario.skip !== undefined || (wantedScenarios && !wantedScenarios.includes(scenario.name))) continue;
    for (const runner of RUNNERS) {
      if (wantedRunners && !wantedRunners.includes(runner.name)) continue;
      if (runner.originalsOnly && !scenario.originals) continue;
      if (count > BIG && (!runner.big || scenario.name !== 'json')) continue;
      const best = await runBest(runner, scenario, meta);
      if (best === undefined) continue;
      const bytes = meta.jsonBytes + (scenario.originals ? meta.mediaBytes : 0);
      results.push({
        scenario: scenario.name,
        count,
        runner: runner.name,
        ...best,
        itemsPerSecond: Math.round(best.items / best.seconds),
        mbPerSecond: Math.round((bytes / 1048576 / best.seconds) * 10) / 10,
        itemsPerCpuSecond: Math.round(best.items / best.cpuSeconds),
      });
      const r = results.at(-1);
      save(false);
      log(`${scenario.name.padEnd(16)} ${String(count).padStart(8)} ${runner.name.padEnd(16)} ${String(r.itemsPerSecond).padStart(7)} items/s ${String(r.mbPerSecond).padStart(7)} MB/s  peak ${r.peakRssMb} MB${r.strategy ? `  (${r.strategy})` : ''}`);
    }
  }
}

save(true);

/** Writes the results so far (after every run, so an interrupted run keeps what it measured). */
function save(final) {
  addRatios(results);
  const report = { date: startedAt, quick: values.quick, complete: final, machine: machineFacts(), skipped, results };
  const markdown = renderMarkdown(report);
  if (final) process.stdout.write(markdown);
  if (values['no-save']) return;
  const dir = join(here, 'results');
  mkdirSync(dir, { recursive: true });
  const stem = `${report.date.slice(0, 10)}${values.quick ? '-quick' : ''}${values.tag ? `-${values.tag}` : ''}`;
  writeFileSync(join(dir, `${stem}.json`), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(dir, `${stem}.md`), markdown);
  writeFileSync(join(dir, `${stem}-throughput.svg`), throughputChart(results, RUNNER_ORDER));
  writeFileSync(join(dir, `${stem}-rss.svg`), rssChart(results.filter((r) => r.runner === 'engine')));
  if (final) log(`results: benchmarks/results/${stem}.{json,md} and ${stem}-throughput.svg, ${stem}-rss.svg`);
}

/** Runs a runner (each of its strategies, keeping the fastest) on fresh output. */
async function runBest(runner, scenario, meta) {
  let best;
  for (const strategy of runner.strategies ?? [undefined]) {
    const out = join(outRoot, `${scenario.name}-${runner.name}`);
    rmSync(outRoot, { recursive: true, force: true });
    mkdirSync(outRoot, { recursive: true });
    // Earlier runs' dirty pages must not be written back on this run's time.
    spawnSync('sync');
    const [command, args] = runner.cmd({ items: meta.itemsPath, out, count: meta.count, originals: scenario.originals }, strategy);
    const result = await runChild(command, args);
    if (result === undefined) {
      log(`FAILED ${scenario.name} ${meta.count} ${runner.name}${strategy ? ` ${strategy}` : ''}`);
      continue;
    }
    if (result.items !== meta.count) log(`WARNING ${runner.name} exported ${result.items} of ${meta.count}`);
    if (best === undefined || result.seconds < best.seconds) best = result;
  }
  rmSync(outRoot, { recursive: true, force: true });
  return best;
}

function runChild(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.on('close', (code) => {
      const last = stdout.trim().split('\n').at(-1);
      if (code !== 0 || !last) return resolve(undefined);
      resolve(JSON.parse(last));
    });
  });
}

/** synapse-export's items/s divided by each baseline's, same scenario and size. */
function addRatios(rows) {
  for (const row of rows) {
    if (!row.runner.startsWith('engine')) continue;
    row.ratios = {};
    row.cpuRatios = {};
    for (const base of rows) {
      if (base.scenario === row.scenario && base.count === row.count && !base.runner.startsWith('engine')) {
        row.ratios[base.runner] = Math.round((row.itemsPerSecond / base.itemsPerSecond) * 100) / 100;
        row.cpuRatios[base.runner] = Math.round((row.itemsPerCpuSecond / base.itemsPerCpuSecond) * 100) / 100;
      }
    }
  }
}

function machineFacts() {
  const tryRun = (cmd, args) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  };
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    kernel: os.release(),
    node: process.version,
    python: tryRun('python3', ['--version']).replace('Python ', ''),
    filesystem: tryRun('df', ['--output=fstype,source', outRoot.replace(/\/[^/]*$/, '')]).split('\n').at(-1)?.trim().replace(/\s+/g, ' '),
    uvThreadpoolSize: process.env.UV_THREADPOOL_SIZE ?? '4 (default)',
  };
}

function renderMarkdown(report) {
  const m = report.machine;
  const lines = [
    `# Benchmark results ${report.date.slice(0, 10)}${report.quick ? ' (quick)' : ''}${report.complete ? '' : ' (incomplete: run still going or interrupted)'}`,
    '',
    `Machine: ${m.cores} × ${m.cpu}, ${m.memoryGb} GB RAM, Linux ${m.kernel}, ${m.filesystem}; Node ${m.node}, Python ${m.python}.`,
    'Data: DM v1 items of about 2.4 KB read from a cached JSONL file; JSON written with indent 4 (about 6.7 KB);',
    'originals are 18–22 KB media files (a pool of 20,000, cycled). Ratios: synapse-export items/s ÷ the baseline\'s, same run.',
    `\`limit\` = the best of these raw \`fs\` strategies: ${values['limit-strategies']} (sync = sync calls in a loop, cb:N = callback API with N in flight); no hashing, no manifest.`,
    '`items/CPU-s` = items per second of CPU time (user + system, all threads): unlike items/s it does not depend on',
    'what else the machine is running. Ratios are given for both (wall ÷ wall, CPU ÷ CPU).',
    '',
    '| scenario | items | exporter | items/s | MB/s | items/CPU-s | peak RSS MB | RSS MB at 10/50/100 % | ÷ python | ÷ node-seq | ÷ node-32 | ÷ limit |',
    '|---|---:|---|---:|---:|---:|---:|---|---:|---:|---:|---:|',
  ];
  for (const r of report.results) {
    const ratio = (name) => (r.ratios?.[name] === undefined ? '' : `${r.ratios[name].toFixed(2)}× (CPU ${r.cpuRatios[name].toFixed(2)}×)`);
    lines.push(
      `| ${r.scenario} | ${r.count.toLocaleString('en-US')} | ${r.runner}${r.strategy ? ` (${r.strategy})` : ''} | ${r.itemsPerSecond.toLocaleString('en-US')} | ${r.mbPerSecond} | ${r.itemsPerCpuSecond.toLocaleString('en-US')} | ${r.peakRssMb} | ${r.rssMb['10']} / ${r.rssMb['50']} / ${r.rssMb['100']} | ${ratio('python')} | ${ratio('node-seq')} | ${ratio('node-32')} | ${ratio('limit')} |`,
    );
  }
  for (const scenario of new Set(report.results.map((r) => r.scenario))) {
    const peakAt = (count) => report.results.find((r) => r.runner === 'engine' && r.scenario === scenario && r.count === count)?.peakRssMb;
    if (peakAt(1_000_000) !== undefined && peakAt(100_000) !== undefined) {
      lines.push('', `Memory flatness (${scenario}): peak RSS at 1M = ${(peakAt(1_000_000) / peakAt(100_000)).toFixed(2)}× peak at 100k (target ≤ 1.2×).`);
    }
  }
  if (report.skipped.length > 0) {
    lines.push('', 'Skipped:', ...report.skipped.map((s) => `- ${s.scenario}: ${s.reason}`));
  }
  return `${lines.join('\n')}\n`;
}
