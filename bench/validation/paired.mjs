#!/usr/bin/env node
// The first target (keel fast >= 2 x ajv fast on valid instances) measured in
// pairs: per case, ajv (run-js.mjs) and keel (keel_validation_bench) time the
// fast path on the valid instances back to back, seconds apart, in several
// rounds with the order swapped every round. A full run times the two
// runners a quarter of an hour apart, and on this shared machine one case's
// rate moved 1.7-2.6 x within an hour for either of them (bench/README.md,
// runs 7 and 8); within a pair both sides see the same machine. The ratio
// of a case is the median of its rounds.
//
//   node paired.mjs --keel PATH [--rounds 3] [--cases a,b] [--warmup 1]
//                   [--seconds 0.5] [--reps 3] [--date YYYY-MM-DD] [--json out.json]
//
// --keel is the built keel_validation_bench; --warmup, --seconds and --reps
// go to both runners, per measurement.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HERE, CASES_DIR, listCases, median, readJson } from './lib.mjs';

function parseArgs(argv) {
  const opts = { keel: null, rounds: 3, cases: null, warmup: 1, seconds: 0.5, reps: 3, json: null, date: new Date().toISOString().slice(0, 10) };
  const setters = {
    '--keel': (v) => { opts.keel = v; },
    '--rounds': (v) => { opts.rounds = Number(v); },
    '--cases': (v) => { opts.cases = v.split(','); },
    '--warmup': (v) => { opts.warmup = v; },
    '--seconds': (v) => { opts.seconds = v; },
    '--reps': (v) => { opts.reps = v; },
    '--json': (v) => { opts.json = v; },
    '--date': (v) => { opts.date = v; },
  };
  for (let i = 0; i < argv.length; i += 2) {
    if (!setters[argv[i]] || argv[i + 1] === undefined) {
      console.error(`bad argument ${argv[i]}; see the header of paired.mjs`);
      process.exit(2);
    }
    setters[argv[i]](argv[i + 1]);
  }
  if (!opts.keel) {
    console.error('--keel PATH (the built keel_validation_bench) is required');
    process.exit(2);
  }
  return opts;
}


// Runs one runner on one case and returns its fast/valid rate (instances/s).
function rate(runner, name, opts, scratch) {
  const out = path.join(scratch, `${runner}.json`);
  const timing = ['--cases', name, '--warmup', String(opts.warmup), '--seconds', String(opts.seconds), '--reps', String(opts.reps), '--json', out];
  const [cmd, args] = runner === 'ajv'
    ? [process.execPath, [path.join(HERE, 'run-js.mjs'), ...timing, '--validators', 'ajv', '--modes', 'fast', '--sets', 'valid']]
    : [opts.keel, ['--cases-dir', CASES_DIR, ...timing, '--modes', 'fast', '--sets', 'valid']];
  const run = spawnSync(cmd, args, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${runner} on ${name} exited ${run.status}: ${run.stderr}`);
  const found = readJson(out).results.find((r) => r.case === name && r.mode === 'fast' && r.set === 'valid');
  if (!found) throw new Error(`${runner} on ${name}: no fast/valid result`);
  return found.instances_per_s;
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const cases = listCases().filter((c) => !opts.cases || opts.cases.includes(c.name)).map((c) => c.name);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-paired-'));
  const pairs = [];
  try {
    for (let round = 0; round < opts.rounds; round++) {
      for (const name of cases) {
        const order = round % 2 === 0 ? ['ajv', 'keel'] : ['keel', 'ajv'];
        const got = {};
        for (const runner of order) got[runner] = rate(runner, name, opts, scratch);
        pairs.push({ case: name, round: round + 1, first: order[0], keel: got.keel, ajv: got.ajv, ratio: got.keel / got.ajv });
        console.error(`round ${round + 1} ${name}: keel ${got.keel.toLocaleString('en-US')}/s, ajv ${got.ajv.toLocaleString('en-US')}/s, ${(got.keel / got.ajv).toFixed(2)}`);
      }
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }

  const fmt = (n) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)} M` : `${Math.round(n / 1e3)} k`);
  const rounds = [...Array(opts.rounds).keys()].map((k) => k + 1);
  console.log(`| case | ${rounds.map((r) => `round ${r}: keel / ajv`).join(' | ')} | median keel ÷ ajv |`);
  console.log(`|---|${rounds.map(() => '---:').join('|')}|---:|`);
  const summary = [];
  for (const name of cases) {
    const mine = pairs.filter((p) => p.case === name);
    const m = median(mine.map((p) => p.ratio));
    summary.push({ case: name, median_ratio: m, lowest_ratio: Math.min(...mine.map((p) => p.ratio)) });
    console.log(`| ${name} | ${mine.map((p) => `${fmt(p.keel)} / ${fmt(p.ajv)} = ${p.ratio.toFixed(2)}`).join(' | ')} | ${m.toFixed(2)} |`);
  }
  const met = summary.filter((s) => s.median_ratio >= 2);
  const geo = Math.exp(summary.reduce((a, s) => a + Math.log(s.median_ratio), 0) / summary.length);
  const lowest = summary.reduce((a, s) => (s.median_ratio < a.median_ratio ? s : a));
  const lowestPair = pairs.reduce((a, p) => (p.ratio < a.ratio ? p : a));
  console.log(`\nkeel ÷ ajv, fast path on valid instances (target ≥ 2), median of ${opts.rounds} paired rounds: met on ${met.length} of ${summary.length} cases; geometric mean ${geo.toFixed(2)}; lowest median ${lowest.median_ratio.toFixed(2)} (${lowest.case}); lowest single pair ${lowestPair.ratio.toFixed(2)} (${lowestPair.case}, round ${lowestPair.round}).`);
  if (opts.json) {
    const out = {
      runner: 'paired', date: opts.date,
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? '?', node: process.version, loadavg_at_end: os.loadavg().map((x) => Math.round(x * 100) / 100) },
      settings: { rounds: opts.rounds, warmup_seconds: Number(opts.warmup), seconds: Number(opts.seconds), reps: Number(opts.reps), statistic: 'median of rounds (each round: median of reps)' },
      pairs, summary,
    };
    fs.writeFileSync(opts.json, `${JSON.stringify(out, null, 1)}\n`);
  }
}

main();
