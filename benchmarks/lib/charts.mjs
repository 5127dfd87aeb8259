// Hand-written SVG charts for the results: no charting dependency.
const COLORS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#9c755f'];
const escape = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const format = (n) => Math.round(n).toLocaleString('en-US');

/** Horizontal bars: one group per (scenario, N), one bar per runner, items/s. */
export function throughputChart(results, runnerOrder) {
  const groups = [];
  for (const r of results) {
    const key = `${r.scenario} · ${format(r.count)} items`;
    let group = groups.find((g) => g.key === key);
    if (group === undefined) groups.push((group = { key, bars: [] }));
    group.bars.push(r);
  }
  const runners = runnerOrder.filter((name) => results.some((r) => r.runner === name));
  const max = Math.max(...results.map((r) => r.itemsPerSecond));
  const barHeight = 14;
  const left = 150;
  const width = 760;
  const plot = width - left - 90;
  let y = 40;
  const parts = [];
  for (const group of groups) {
    parts.push(`<text x="10" y="${y + 10}" font-weight="bold">${escape(group.key)}</text>`);
    y += 18;
    for (const bar of group.bars) {
      const color = COLORS[runners.indexOf(bar.runner) % COLORS.length];
      const w = Math.max(1, (bar.itemsPerSecond / max) * plot);
      parts.push(
        `<text x="${left - 6}" y="${y + 11}" text-anchor="end">${escape(bar.runner)}</text>`,
        `<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${barHeight}" fill="${color}"/>`,
        `<text x="${(left + w + 4).toFixed(1)}" y="${y + 11}">${format(bar.itemsPerSecond)}</text>`,
      );
      y += barHeight + 4;
    }
    y += 10;
  }
  return svg(width, y + 10, 'Throughput (items/s, higher is better)', parts);
}

/** RSS over the run (x: share of items read), one line per run. */
export function rssChart(results) {
  const width = 760;
  const height = 360;
  const left = 60;
  const top = 40;
  const plotW = width - left - 220;
  const plotH = height - top - 50;
  const runs = results.filter((r) => r.series?.length > 1);
  const maxRss = Math.max(50, ...runs.map((r) => Math.max(...r.series.map((s) => s[1]))));
  const yMax = Math.ceil(maxRss / 50) * 50;
  const parts = [];
  for (let v = 0; v <= yMax; v += 50) {
    const y = top + plotH - (v / yMax) * plotH;
    parts.push(`<line x1="${left}" y1="${y}" x2="${left + plotW}" y2="${y}" stroke="#ddd"/>`, `<text x="${left - 6}" y="${y + 4}" text-anchor="end">${v}</text>`);
  }
  for (let p = 0; p <= 100; p += 25) {
    const x = left + (p / 100) * plotW;
    parts.push(`<text x="${x}" y="${top + plotH + 16}" text-anchor="middle">${p}%</text>`);
  }
  parts.push(
    `<text x="${left + plotW / 2}" y="${height - 8}" text-anchor="middle">share of items read</text>`,
    `<text x="14" y="${top + plotH / 2}" transform="rotate(-90 14 ${top + plotH / 2})" text-anchor="middle">RSS (MB)</text>`,
  );
  runs.forEach((run, i) => {
    const color = COLORS[i % COLORS.length];
    const points = run.series
      .map(([, rss, done]) => `${(left + (done / run.count) * plotW).toFixed(1)},${(top + plotH - (rss / yMax) * plotH).toFixed(1)}`)
      .join(' ');
    parts.push(
      `<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${points}"/>`,
      `<rect x="${left + plotW + 12}" y="${top + i * 18}" width="10" height="10" fill="${color}"/>`,
      `<text x="${left + plotW + 26}" y="${top + i * 18 + 9}">${escape(`${run.runner}, ${run.scenario}, ${format(run.count)}`)}</text>`,
    );
  });
  return svg(width, height, 'Resident memory over the run (synapse-export)', parts);
}

function svg(width, height, title, parts) {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">${escape(title)}</text>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
