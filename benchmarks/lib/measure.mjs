// Shared by the Node runners: counts items as they are read, samples RSS, and prints one JSON
// line of results on stdout (the harness reads the last line).
import { readFileSync } from 'node:fs';

const SAMPLE_MS = 50;

export function startMeasurement(total) {
  const started = performance.now();
  const series = [];
  const marks = {};
  let done = 0;
  let peak = 0;
  const sample = () => {
    const rss = process.memoryUsage.rss();
    if (rss > peak) peak = rss;
    series.push([performance.now() - started, rss, done]);
  };
  const timer = setInterval(sample, SAMPLE_MS);
  return {
    /** Call once per item read from the source. */
    tick() {
      done += 1;
      if (done === Math.ceil(total * 0.1)) marks['10'] = process.memoryUsage.rss();
      else if (done === Math.ceil(total * 0.5)) marks['50'] = process.memoryUsage.rss();
    },
    finish(extra = {}) {
      clearInterval(timer);
      sample();
      marks['100'] = process.memoryUsage.rss();
      const seconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage();
      const mb = (bytes) => Math.round((bytes / 1048576) * 10) / 10;
      const step = Math.max(1, Math.ceil(series.length / 60));
      const result = {
        items: done,
        seconds,
        // User + system CPU of all threads: robust to other load on a shared machine, unlike seconds.
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        peakRssMb: mb(Math.max(peak, highWaterRss())),
        rssMb: { '10': mb(marks['10'] ?? 0), '50': mb(marks['50'] ?? 0), '100': mb(marks['100']) },
        series: series.filter((_, i) => i % step === 0).map(([t, rss, n]) => [Math.round(t), mb(rss), n]),
        ...extra,
      };
      process.stdout.write(`${JSON.stringify(result)}\n`);
    },
  };
}

/**
 * The process's peak RSS from /proc (VmHWM). Not getrusage's maxrss: that survives exec, so a child
 * of the harness would report the harness's own RSS at fork time when that is larger.
 */
function highWaterRss() {
  const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return match === null ? 0 : Number(match[1]) * 1024;
}

/** Items of a JSONL file, one parsed line at a time. */
export async function* readJsonLines(path) {
  const { createReadStream } = await import('node:fs');
  const { createInterface } = await import('node:readline');
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const line of lines) if (line !== '') yield JSON.parse(line);
}
