#!/usr/bin/env node
// The benchmark suite: every scenario × dataset size × exporter (synapse-export and the baselines)
// in one run on the same cached data, reported as items/s, MB/s, RSS and ratios to the baselines.
//   npm run bench                 10k, 100k and 1M items (1M: synapse-export, JSON only, COCO and YOLO: the memory runs)
//   npm run bench -- --quick      3,000 items, fewer baselines, about two minutes
//   npm run bench -- --sizes 100000 --scenarios json+originals --runners python,engine
//   npm run bench -- --rounds 3   each runner three times, in turn, keeping its best run
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { rssChart, throughputChart } from './lib/charts.mjs';
import { CACHE, ensureDataset } from './lib/dataset.mjs';
import { scratchFileSystem } from './lib/scratch-fs.mjs';

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
    'limit-strategies': { type: 'string' },
    // Where exports are written: a new file system mounted here for each run (see lib/scratch-fs.mjs).
    'out-root': { type: 'string' },
    // Runs of each runner, taken in turn; the best is kept (wall times on a shared machine swing 2x).
    rounds: { type: 'string', default: '1' },
  },
});
const here = new URL('.', import.meta.url).pathname;
const outRoot = values['out-root'] ?? join(CACHE, 'out');
const log = (line) => process.stderr.write(`${line}\n`);
const scratch = scratchFileSystem(outRoot, log);

// The sync strategy never won a run here (cb:32 for JSON, cb:8 with originals); `--limit-strategies sync,cb:8,cb:32` tries it.
// --quick: fewer items, one raw-fs strategy (cb:32) and no sequential Node
// loop, so the whole suite fits in about two minutes on a quiet 2-core machine.
const QUICK_SIZE = 3000;
const QUICK_SKIP = ['node-seq', 'engine-hardlink'];
const limitStrategies = values['limit-strategies'] ?? (values.quick ? 'cb:32' : 'cb:8,cb:32');
const sizes = (values.sizes ?? (values.quick ? String(QUICK_SIZE) : '10000,100000,1000000')).split(',').map(Number);
/** Sizes above this run only the runners marked `big`, in the scenarios marked `big` (the sequential baselines would take an hour). */
const BIG = 100_000;
const rounds = Math.max(1, Number(values.rounds) || 1);

// Runners: how to start each exporter. `baseline` runners run only in the scenarios that have
// baselines; synapse-export runs everywhere, with the scenario's own arguments.
const RUNNERS = [
  { name: 'python', baseline: true, cmd: (a) => ['python3', [join(here, 'baselines/python_export.py'), a.items, a.out, String(a.count), ...(a.originals ? ['--originals'] : [])]] },
  { name: 'node-seq', baseline: true, cmd: (a) => node('baselines/node-loop.mjs', a, ['--in-flight', '1']) },
  { name: 'node-32', baseline: true, cmd: (a) => node('baselines/node-loop.mjs', a, ['--in-flight', '32']) },
  { name: 'limit', baseline: true, strategies: limitStrategies.split(','), cmd: (a, s) => node('baselines/fs-limit.mjs', a, ['--strategy', s]) },
  { name: 'engine', big: true, cmd: (a) => node('runners/engine.mjs', a, a.engineArgs) },
  { name: 'engine-hardlink', scenarios: ['json+originals'], besideMedia: true, cmd: (a) => node('runners/engine.mjs', a, ['--media-mode', 'hardlink']) },
];
const RUNNER_ORDER = RUNNERS.map((r) => r.name);
const BASELINES = RUNNERS.filter((r) => r.baseline).map((r) => r.name);

function node(script, a, extra) {
  return [process.execPath, [join(here, script), '--items', a.items, '--out', a.out, '--count', String(a.count), ...(a.originals ? ['--originals'] : []), ...extra]];
}

// Scenarios with `baselines` run every runner; the others run synapse-export alone and are
// compared with the runners of their `reference` scenario (the same items, exported plainly).
// Every scenario but backend-source reads the cached items.jsonl: that is the JSONL-source scenario.
const SCENARIOS = [
  { name: 'json', baselines: true, big: true },
  { name: 'json+originals', originals: true, baselines: true },
  { name: 'json+originals+zip', originals: true, engineArgs: ['--archive', 'zip'], reference: 'json+originals' },
  // Media stored, JSON deflated (the archive's default for compressible files), no loose files.
  { name: 'zip-only', originals: true, engineArgs: ['--archive', 'zip-only'], reference: 'json+originals' },
  // Annotations only (no images/ copies): the format's conversion and its one streamed annotations.json.
  { name: 'coco', engineArgs: ['--format', 'coco'], reference: 'json', big: true, noBytes: true },
  // At 1M too: a format's per-item files are where a leak in the writer would show (one did).
  { name: 'yolo', engineArgs: ['--format', 'yolo'], reference: 'json', big: true, noBytes: true },
  { name: 'backend-source', engineArgs: ['--backend'], reference: 'json' },
  { name: 'highland-stage', engineArgs: ['--highland'], reference: 'json' },
];

const wantedScenarios = values.scenarios?.split(',');
const wantedRunners = values.runners?.split(',');
const results = [];
const startedAt = new Date().toISOString();
const started = performance.now();

for (const count of sizes) {
  const meta = await ensureDataset(count, log);
  for (const scenario of SCENARIOS) {
    if (wantedScenarios && !wantedScenarios.includes(scenario.name)) continue;
    const runners = RUNNERS.filter(
      (runner) =>
        !(wantedRunners && !wantedRunners.includes(runner.name)) &&
        !(runner.baseline && !scenario.baselines) &&
        !(runner.scenarios && !runner.scenarios.includes(scenario.name)) &&
        !(values.quick && QUICK_SKIP.includes(runner.name)) &&
        !(count > BIG && !(runner.big && scenario.big)),
    );
    // Rounds go through the runners in turn, so a slow spell of the shared machine hits every
    // runner alike; each keeps its best round.
    for (let round = 1; round <= rounds; round++) {
      for (const runner of runners) {
        const run = await runBest(runner, scenario, meta);
        if (run === undefined) continue;
        const bytes = meta.jsonBytes + (scenario.originals ? meta.mediaBytes : 0);
        const row = {
          scenario: scenario.name,
          count,
          runner: runner.name,
          ...run,
          itemsPerSecond: Math.round(run.items / run.seconds),
          mbPerSecond: scenario.noBytes ? null : Math.round((bytes / 1048576 / run.seconds) * 10) / 10,
          itemsPerCpuSecond: Math.round(run.items / run.cpuSeconds),
        };
        const earlier = results.findIndex((r) => r.scenario === row.scenario && r.count === count && r.runner === row.runner);
        // Every round's items/s stays with the best row: the spread is part of the result.
        row.roundsItemsPerSecond = [...(earlier === -1 ? [] : results[earlier].roundsItemsPerSecond), row.itemsPerSecond];
        if (earlier === -1) results.push(row);
        else if (row.seconds < results[earlier].seconds) results[earlier] = row;
        else results[earlier].roundsItemsPerSecond = row.roundsItemsPerSecond;
        save(false);
        log(`${scenario.name.padEnd(18)} ${String(count).padStart(8)} ${runner.name.padEnd(16)} ${String(row.itemsPerSecond).padStart(7)} items/s ${String(row.itemsPerCpuSecond).padStart(7)} items/CPU-s  peak ${row.peakRssMb} MB  load ${row.loadAverage.join('/')}${row.strategy ? `  (${row.strategy})` : ''}${rounds > 1 ? `  round ${round}/${rounds}` : ''}`);
      }
    }
  }
}

save(true);
const total = Math.round((performance.now() - started) / 1000);
log(`total time: ${Math.floor(total / 60)} min ${total % 60} s`);

function scenarioIndex(row) {
  return SCENARIOS.findIndex((s) => s.name === row.scenario);
}

/** Writes the results so far (after every run, so an interrupted run keeps what it measured). */
function save(final) {
  addRatios(results);
  // Sizes may run in any order (--sizes 10000,1000000,100000); the report lists them by size.
  results.sort((a, b) => a.count - b.count || scenarioIndex(a) - scenarioIndex(b) || RUNNER_ORDER.indexOf(a.runner) - RUNNER_ORDER.indexOf(b.runner));
  const report = { date: startedAt, quick: values.quick, rounds, complete: final, totalSeconds: Math.round((performance.now() - started) / 1000), machine: machineFacts(), results };
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
    scratch.prepare(meta.jsonBytes + (scenario.originals ? meta.mediaBytes : 0), meta.count * (scenario.originals ? 2 : 1), { besideMedia: runner.besideMedia });
    const [command, args] = runner.cmd({ items: meta.itemsPath, out, count: meta.count, originals: scenario.originals ?? false, engineArgs: scenario.engineArgs ?? [] }, strategy);
    // The other tenants' load as the run starts (1, 5 and 15 minutes): wall-clock figures depend on it.
    const loadAverage = os.loadavg().map((l) => Math.round(l * 100) / 100);
    const result = await runChild(command, args);
    scratch.release();
    if (result === undefined) {
      log(`FAILED ${scenario.name} ${meta.count} ${runner.name}${strategy ? ` ${strategy}` : ''}`);
      continue;
    }
    if (result.items !== meta.count) log(`WARNING ${runner.name} exported ${result.items} of ${meta.count}`);
    result.loadAverage = loadAverage;
    if (best === undefined || result.seconds < best.seconds) best = result;
  }
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

/**
 * synapse-export's items/s divided by each baseline's (wall and CPU), same size: the scenario's own
 * baselines, or for a scenario with a `reference`, that scenario's baselines and synapse-export's
 * own run of it (`engine` in `ratios.reference`).
 */
function addRatios(rows) {
  for (const row of rows) {
    if (!row.runner.startsWith('engine')) continue;
    const scenario = SCENARIOS.find((s) => s.name === row.scenario);
    const against = scenario.reference ?? scenario.name;
    row.ratios = {};
    row.cpuRatios = {};
    for (const base of rows) {
      if (base.count !== row.count || base.scenario !== against) continue;
      const key = base.runner === 'engine' && scenario.reference !== undefined ? 'reference' : base.runner;
      if (!BASELINES.includes(base.runner) && key !== 'reference') continue;
      row.ratios[key] = Math.round((row.itemsPerSecond / base.itemsPerSecond) * 100) / 100;
      row.cpuRatios[key] = Math.round((row.itemsPerCpuSecond / base.itemsPerCpuSecond) * 100) / 100;
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
    exportsWrittenTo: scratch.describe(),
    uvThreadpoolSize: process.env.UV_THREADPOOL_SIZE ?? '4 (default)',
  };
}

/** "a, b → json+originals; c, d → json": each reference scenario and what is compared with it. */
function references() {
  const referenced = [...new Set(SCENARIOS.map((s) => s.reference).filter((r) => r !== undefined))];
  return referenced.map((reference) => `${SCENARIOS.filter((s) => s.reference === reference).map((s) => s.name).join(', ')} → ${reference}`).join('; ');
}

function renderMarkdown(report) {
  const m = report.machine;
  const lines = [
    `# Benchmark results ${report.date.slice(0, 10)}${report.quick ? ' (quick)' : ''}${report.complete ? '' : ' (incomplete: run still going or interrupted)'}`,
    '',
    `Started ${report.date}; ${report.complete ? 'took' : 'so far'} ${Math.floor(report.totalSeconds / 60)} min ${report.totalSeconds % 60} s.${(report.rounds ?? 1) > 1 ? ` Each exporter ran ${report.rounds} times, in turn with the others; the table keeps its fastest run.` : ''}`,
    `Machine: ${m.cores} × ${m.cpu}, ${m.memoryGb} GB RAM, Linux ${m.kernel}, ${m.filesystem}; Node ${m.node}, Python ${m.python}.`,
    ...(m.exportsWrittenTo ? [`Exports written to ${m.exportsWrittenTo} (benchmarks/lib/scratch-fs.mjs says why).`] : []),
    'Data: DM v1 items of about 2.4 KB read from a cached JSONL file; JSON written with indent 4 (about 6.7 KB);',
    'originals are 18–22 KB media files (a pool of 20,000, cycled). Ratios: synapse-export items/s ÷ the baseline\'s, same run.',
    `\`limit\` = the best of these raw \`fs\` strategies: ${limitStrategies} (sync = sync calls in a loop, cb:N = callback API with N in flight); no hashing, no manifest.`,
    '`items/CPU-s` = items per second of CPU time (user + system, all threads): unlike items/s it does not depend on',
    'what else the machine is running. Ratios are given for both (wall ÷ wall, CPU ÷ CPU). `load` = the machine\'s',
    '1/5/15-minute load average as the run started (2 cores: above 2 the run shared the CPUs with other work).',
    'Scenarios without baselines of their own are compared with the baselines of their reference scenario',
    `(the same items exported plainly) and with synapse-export's own run of it (\`÷ reference\`): ${references()}.`,
    'MB/s counts the DM JSON (indent 4) plus, with originals, the media; none for the training formats.',
    '',
    '| scenario | items | exporter | items/s | MB/s | items/CPU-s | peak RSS MB | RSS MB at 10/50/100 % | load | ÷ python | ÷ node-seq | ÷ node-32 | ÷ limit | ÷ reference |',
    '|---|---:|---|---:|---:|---:|---:|---|---|---:|---:|---:|---:|---:|',
  ];
  for (const r of report.results) {
    const ratio = (name) => (r.ratios?.[name] === undefined ? '' : `${r.ratios[name].toFixed(2)}× (CPU ${r.cpuRatios[name].toFixed(2)}×)`);
    lines.push(
      `| ${r.scenario} | ${r.count.toLocaleString('en-US')} | ${r.runner}${r.strategy ? ` (${r.strategy})` : ''} | ${r.itemsPerSecond.toLocaleString('en-US')}${(r.roundsItemsPerSecond?.length ?? 1) > 1 ? ` (rounds: ${r.roundsItemsPerSecond.map((v) => v.toLocaleString('en-US')).join(', ')})` : ''} | ${r.mbPerSecond ?? ''} | ${r.itemsPerCpuSecond.toLocaleString('en-US')} | ${r.peakRssMb} | ${r.rssMb['10']} / ${r.rssMb['50']} / ${r.rssMb['100']} | ${r.loadAverage.join(' / ')} | ${ratio('python')} | ${ratio('node-seq')} | ${ratio('node-32')} | ${ratio('limit')} | ${ratio('reference')} |`,
    );
  }
  for (const scenario of new Set(report.results.map((r) => r.scenario))) {
    const peakAt = (count) => report.results.find((r) => r.runner === 'engine' && r.scenario === scenario && r.count === count)?.peakRssMb;
    if (peakAt(1_000_000) !== undefined && peakAt(100_000) !== undefined) {
      lines.push('', `Memory flatness (${scenario}): peak RSS at 1M = ${(peakAt(1_000_000) / peakAt(100_000)).toFixed(2)}× peak at 100k (target ≤ 1.2×).`);
    }
  }
  return `${lines.join('\n')}\n`;
}
