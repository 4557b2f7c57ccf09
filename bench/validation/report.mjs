#!/usr/bin/env node
// Merges result files of run-js.mjs and of the C++ runner (same JSON shape,
// see README.md) into one markdown table for bench/README.md.
//
//   node report.mjs results-js.json results-cpp.json > table.md
//
// Columns are instances/s (median). Ratios: keel ÷ ajv on the valid set (fast
// paths; target ≥ 2), and keel's error-collecting cost over its fast-path cost
// on the invalid set (target ≤ 1.2). A second table gives, per case, the
// other reading of the second target (errors on invalid ÷ fast on valid),
// the same with every message written (keel `messages` mode, when measured),
// and the floor of the literal reading: fast on valid ÷ fast on invalid,
// as costs (the fast path stops at the first mistake; collecting cannot).
// Missing results show as "—".
import fs from 'node:fs';

const files = process.argv.slice(2);
if (!files.length) {
  console.error('usage: node report.mjs RESULTS.json [RESULTS.json...]');
  process.exit(2);
}
const runs = files.map((f) => ({ file: f, ...JSON.parse(fs.readFileSync(f, 'utf8')) }));

const ips = new Map(); // "case|set|validator|mode" -> instances/s
const cases = new Set();
for (const run of runs) {
  for (const r of run.results) {
    ips.set(`${r.case}|${r.set}|${r.validator}|${r.mode}`, r.instances_per_s);
    cases.add(r.case);
  }
}
const get = (c, set, validator, mode) => ips.get(`${c}|${set}|${validator}|${mode}`);

// The reference API first, then the corpus schemas, each by name.
const order = [...cases].sort((a, b) => (a.startsWith('ref-') === b.startsWith('ref-') ? (a < b ? -1 : 1) : a.startsWith('ref-') ? -1 : 1));

const COLUMNS = [
  ['keel fast', 'keel', 'fast'], ['keel errors', 'keel', 'errors'], ['keel messages', 'keel', 'messages'],
  ['ajv', 'ajv', 'fast'], ['ajv allErrors', 'ajv', 'errors'],
  ['hyperjump FLAG', 'hyperjump', 'fast'], ['hyperjump BASIC', 'hyperjump', 'errors'],
];
const num = (n) => (n === undefined ? '—' : Math.round(n).toLocaleString('en-US'));
const ratio = (a, b) => (a === undefined || b === undefined ? undefined : a / b);
const fmtRatio = (x) => (x === undefined ? '—' : x.toFixed(2));

const lines = [];
for (const run of runs) {
  const m = run.machine ?? {};
  const versions = Object.entries(run.versions ?? {}).map(([k, v]) => `${k} ${v}`).join(', ');
  lines.push(`- ${run.runner ?? run.file}: ${run.date ?? '?'}; ${m.cpus ?? '?'} × ${m.model ?? '?'}`
    + `${m.node ? `, node ${m.node}` : ''}${m.compiler ? `, ${m.compiler}` : ''}${versions ? `; ${versions}` : ''}`
    + `${m.loadavg_at_end ? `; load at end ${m.loadavg_at_end.join(' ')}` : ''}`
    + `${run.settings ? `; ${run.settings.reps} × ${run.settings.seconds} s per measurement, ${run.settings.statistic ?? 'median'}` : ''}`);
}
lines.push('');
lines.push(`| case | set | ${COLUMNS.map((c) => c[0]).join(' | ')} | keel ÷ ajv (valid) | keel errors cost ÷ fast cost (invalid) |`);
lines.push(`|---|---|${COLUMNS.map(() => '---:').join('|')}|---:|---:|`);
const speedups = [], errorCosts = [];
for (const c of order) {
  for (const set of ['valid', 'invalid']) {
    const cells = COLUMNS.map(([, v, mode]) => num(get(c, set, v, mode)));
    let speedup, errCost;
    if (set === 'valid') {
      speedup = ratio(get(c, set, 'keel', 'fast'), get(c, set, 'ajv', 'fast'));
      if (speedup !== undefined) speedups.push([c, speedup]);
    } else {
      // cost = 1 / throughput, so errors cost ÷ fast cost = fast ips ÷ errors ips
      errCost = ratio(get(c, set, 'keel', 'fast'), get(c, set, 'keel', 'errors'));
      if (errCost !== undefined) errorCosts.push([c, errCost]);
    }
    lines.push(`| ${set === 'valid' ? c : ''} | ${set} | ${cells.join(' | ')} | ${set === 'valid' ? fmtRatio(speedup) : ''} | ${set === 'invalid' ? fmtRatio(errCost) : ''} |`);
  }
}

const geomean = (xs) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
const extreme = (xs, pick) => xs.reduce((best, x) => (pick(x[1], best[1]) ? x : best));
lines.push('');
if (speedups.length) {
  const worst = extreme(speedups, (a, b) => a < b);
  const met = speedups.filter(([, x]) => x >= 2).length;
  lines.push(`keel ÷ ajv on valid instances (target ≥ 2): geometric mean ${fmtRatio(geomean(speedups.map((x) => x[1])))}, `
    + `lowest ${fmtRatio(worst[1])} (${worst[0]}); met on ${met} of ${speedups.length} cases.`);
} else lines.push('keel ÷ ajv on valid instances (target ≥ 2): no keel results yet.');
if (errorCosts.length) {
  const worst = extreme(errorCosts, (a, b) => a > b);
  const met = errorCosts.filter(([, x]) => x <= 1.2).length;
  lines.push(`keel error collection on invalid instances (target ≤ 1.2 × fast path): geometric mean ${fmtRatio(geomean(errorCosts.map((x) => x[1])))}, `
    + `highest ${fmtRatio(worst[1])} (${worst[0]}); met on ${met} of ${errorCosts.length} cases.`);
} else lines.push('keel error collection on invalid instances (target ≤ 1.2 × fast path): no keel results yet.');

// Cost ratios per case (cost = 1 / throughput, so a ÷ b = ips(b) ÷ ips(a)).
const cost = (c, setA, modeA, setB, modeB) => ratio(get(c, setB, 'keel', modeB), get(c, setA, 'keel', modeA));
const READINGS = [
  ['errors ÷ fast, both invalid', (c) => cost(c, 'invalid', 'errors', 'invalid', 'fast'), 1.2],
  ['errors (invalid) ÷ fast (valid)', (c) => cost(c, 'invalid', 'errors', 'valid', 'fast'), 1.2],
  ['messages ÷ fast, both invalid', (c) => cost(c, 'invalid', 'messages', 'invalid', 'fast'), 1.2],
  ['messages (invalid) ÷ fast (valid)', (c) => cost(c, 'invalid', 'messages', 'valid', 'fast'), 1.2],
  ['floor: fast (valid) ÷ fast (invalid)', (c) => cost(c, 'valid', 'fast', 'invalid', 'fast'), undefined],
  ['errors ÷ fast, both valid', (c) => cost(c, 'valid', 'errors', 'valid', 'fast'), undefined],
];
lines.push('');
lines.push(`| case | ${READINGS.map((r) => r[0]).join(' | ')} |`);
lines.push(`|---|${READINGS.map(() => '---:').join('|')}|`);
const columns = READINGS.map(() => []);
for (const c of order) {
  const cells = READINGS.map(([, f], k) => {
    const x = f(c);
    if (x !== undefined) columns[k].push(x);
    return fmtRatio(x);
  });
  lines.push(`| ${c} | ${cells.join(' | ')} |`);
}
const means = columns.map((xs) => (xs.length ? fmtRatio(geomean(xs)) : '—'));
lines.push(`| **geometric mean** | ${means.map((m) => `**${m}**`).join(' | ')} |`);
const met = READINGS.map(([, , target], k) => (target === undefined || !columns[k].length ? '' : `${columns[k].filter((x) => x <= target).length} of ${columns[k].length}`));
lines.push(`| ≤ 1.2 on | ${met.join(' | ')} |`);

const disagreements = runs.flatMap((r) => r.disagreements ?? []);
if (disagreements.length) {
  const groups = new Map();
  for (const d of disagreements) {
    const k = `${d.case}: ${d.validator} ${d.mode} on ${d.set}`;
    groups.set(k, [...(groups.get(k) ?? []), d.index]);
  }
  lines.push('');
  lines.push('Disagreements with the expected validity (instance indexes):');
  for (const [k, idx] of groups) lines.push(`- ${k}: ${idx.length} (${idx.slice(0, 8).join(', ')}${idx.length > 8 ? ', …' : ''})`);
}
console.log(lines.join('\n'));
