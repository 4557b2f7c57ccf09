#!/usr/bin/env node
// Validate-only throughput of the JS reference validators on every case in
// cases/: ajv 8 (+ ajv-formats) and @hyperjump/json-schema, each in a fast
// mode (stop at the first error, or FLAG output) and an error-collecting mode
// (allErrors, or BASIC output). Instances are parsed before any timing.
//
//   node run-js.mjs [--json out.json] [--seconds 1] [--reps 3] [--cases a,b]
//                   [--validators ajv,hyperjump] [--modes fast,errors] [--sets valid,invalid]
//
// The last three time only some of the measurements (paired.mjs times ajv's
// fast path on valid instances alone); the correctness check covers all.
// Also checks that every validator agrees with the expected validity of every
// instance (valid.json / invalid.json, decided by ajv in prepare.mjs) and lists
// disagreements: a correctness signal, not a failure of the run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { registerSchema, validate as hjValidate, setShouldValidateFormat } from '@hyperjump/json-schema/draft-2020-12';
import { BASIC } from '@hyperjump/json-schema/experimental';
import '@hyperjump/json-schema/formats';
import { HERE, makeAjv, median, readJson, listCases } from './lib.mjs';

function parseArgs(argv) {
  const opts = {
    json: null, seconds: 1, reps: 3, warmup: 2, cases: null, date: new Date().toISOString().slice(0, 10),
    validators: ['ajv', 'hyperjump'], modes: ['fast', 'errors'], sets: ['valid', 'invalid'],
  };
  const setters = {
    '--json': (v) => { opts.json = v; },
    '--seconds': (v) => { opts.seconds = Number(v); },
    '--reps': (v) => { opts.reps = Number(v); },
    '--warmup': (v) => { opts.warmup = Number(v); },
    '--cases': (v) => { opts.cases = v.split(','); },
    '--date': (v) => { opts.date = v; },
    '--validators': (v) => { opts.validators = v.split(','); },
    '--modes': (v) => { opts.modes = v.split(','); },
    '--sets': (v) => { opts.sets = v.split(','); },
  };
  for (let i = 0; i < argv.length; i += 2) {
    if (!setters[argv[i]] || argv[i + 1] === undefined) {
      console.error(`bad argument ${argv[i]}; see the header of run-js.mjs`);
      process.exit(2);
    }
    setters[argv[i]](argv[i + 1]);
  }
  return opts;
}

// Each validator mode is a function instance -> { valid, errors? } built once
// per case; `errors` is the number of errors reported (error modes only).
async function buildValidators(name, schema) {
  const compileMs = {};
  const timed = async (key, f) => { const t = performance.now(); const r = await f(); compileMs[key] = performance.now() - t; return r; };

  const ajvFast = await timed('ajv/fast', () => makeAjv({ allErrors: false }).ajv.compile(schema));
  const ajvAll = await timed('ajv/errors', () => makeAjv({ allErrors: true }).ajv.compile(schema));
  // Formats are asserted by ajv-formats, so hyperjump asserts them too.
  setShouldValidateFormat(true);
  const uri = `https://keel.bench/${encodeURIComponent(name)}/schema.json`;
  registerSchema(schema, uri);
  const hj = await timed('hyperjump/compile', () => hjValidate(uri));

  return {
    compileMs,
    list: [
      { validator: 'ajv', mode: 'fast', check: (x) => ({ valid: ajvFast(x) }), run: (x) => ajvFast(x) },
      { validator: 'ajv', mode: 'errors', check: (x) => { const ok = ajvAll(x); return { valid: ok, errors: ok ? 0 : ajvAll.errors.length }; }, run: (x) => ajvAll(x) },
      { validator: 'hyperjump', mode: 'fast', check: (x) => ({ valid: hj(x).valid }), run: (x) => hj(x).valid },
      { validator: 'hyperjump', mode: 'errors', check: (x) => { const o = hj(x, BASIC); return { valid: o.valid, errors: o.valid ? 0 : o.errors.length, out: o }; }, run: (x) => hj(x, BASIC).valid },
    ],
  };
}

// Runs whole passes over the instances until `seconds` have gone by; returns
// instances per second. The count of valid results goes to a sink so the
// work cannot be optimised away.
let sink = 0;
function measure(run, instances, seconds) {
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(seconds * 1e9));
  let n = 0, now;
  do {
    for (let i = 0; i < instances.length; i++) if (run(instances[i])) sink++;
    n += instances.length;
    now = process.hrtime.bigint();
  } while (now < deadline);
  return n / (Number(now - start) / 1e9);
}

const version = (pkg) => readJson(path.join(HERE, 'node_modules', pkg, 'package.json')).version;

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const cases = listCases().filter((c) => !opts.cases || opts.cases.includes(c.name));
  const results = [], disagreements = [], compile = [];

  for (const c of cases) {
    const schema = readJson(path.join(c.dir, 'schema.json'));
    const sets = { valid: readJson(path.join(c.dir, 'valid.json')), invalid: readJson(path.join(c.dir, 'invalid.json')) };
    const { compileMs, list } = await buildValidators(c.name, schema);
    for (const [k, ms] of Object.entries(compileMs)) compile.push({ case: c.name, what: k, ms: Math.round(ms) });

    // Correctness first, untimed.
    const rows = [];
    for (const v of list) {
      for (const [set, instances] of Object.entries(sets)) {
        let wrong = 0;
        instances.forEach((x, index) => {
          const r = v.check(x);
          const expected = set === 'valid';
          const silent = !expected && v.mode === 'errors' && !r.valid && r.errors === 0;
          if (r.valid !== expected || silent) {
            wrong++;
            const detail = r.out ? r.out.errors?.slice(0, 3).map((e) => `${e.instanceLocation} ${e.absoluteKeywordLocation.replace(/^.*#/, '#')}`) : undefined;
            disagreements.push({ case: c.name, validator: v.validator, mode: v.mode, set, index, expected, got: r.valid, ...(silent ? { problem: 'invalid without errors' } : {}), ...(detail ? { detail } : {}) });
          }
        });
        rows.push({ v, set, instances, wrong, runs: [] });
      }
    }
    const timed = rows.filter((r) => opts.validators.includes(r.v.validator) && opts.modes.includes(r.v.mode) && opts.sets.includes(r.set));
    // Warm up every (validator, mode, set): 2 s, because V8 takes that long
    // to optimise ajv's very large generated functions (Stripe: 7,500/s in the
    // first 0.5 s, ~25,000/s after 1.5 s). Then interleave the repetitions so
    // slow drift of a shared machine hits all of them alike.
    for (const r of timed) measure(r.v.run, r.instances, opts.warmup);
    for (let rep = 0; rep < opts.reps; rep++) for (const r of timed) r.runs.push(measure(r.v.run, r.instances, opts.seconds));
    for (const r of timed) {
      results.push({
        case: c.name, validator: r.v.validator, mode: r.v.mode, set: r.set, instances: r.instances.length,
        instances_per_s: Math.round(median(r.runs)), runs: r.runs.map(Math.round), disagreements: r.wrong,
      });
    }
    printCase(c.name, results.filter((r) => r.case === c.name));
  }

  const out = {
    runner: 'js',
    date: opts.date,
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? '?', node: process.version, loadavg_at_end: os.loadavg().map((x) => Math.round(x * 100) / 100) },
    versions: { ajv: version('ajv'), 'ajv-formats': version('ajv-formats'), '@hyperjump/json-schema': version('@hyperjump/json-schema') },
    settings: { seconds: opts.seconds, reps: opts.reps, warmup_seconds: opts.warmup, statistic: 'median' },
    results, disagreements, compile_ms: compile,
  };
  console.log(`\n${disagreements.length} disagreement(s) with the expected validity${disagreements.length ? ':' : ''}`);
  const groups = new Map();
  for (const d of disagreements) { const k = `${d.case} ${d.validator}/${d.mode} ${d.set}`; groups.set(k, [...(groups.get(k) ?? []), d]); }
  for (const [k, ds] of groups) console.log(`  ${k}: ${ds.length} (e.g. #${ds[0].index}${ds[0].problem ? `, ${ds[0].problem}` : ''}${ds[0].detail ? `: ${ds[0].detail.join('; ')}` : ''})`);
  console.log(`machine: ${out.machine.cpus} × ${out.machine.model}, node ${out.machine.node}, load ${out.machine.loadavg_at_end.join(' ')}; sink ${sink}`);
  if (opts.json) fs.writeFileSync(opts.json, `${JSON.stringify(out, null, 1)}\n`);
}

function printCase(name, rs) {
  const get = (set, validator, mode) => rs.find((r) => r.set === set && r.validator === validator && r.mode === mode)?.instances_per_s;
  const fmt = (n) => (n === undefined ? '-' : n.toLocaleString('en-US')).padStart(11);
  if (!printCase.header) {
    console.log(`${'case'.padEnd(36)} ${'set'.padEnd(7)} ${'ajv'.padStart(11)} ${'ajv all'.padStart(11)} ${'hj flag'.padStart(11)} ${'hj basic'.padStart(11)}   (instances/s, median)`);
    printCase.header = true;
  }
  for (const set of ['valid', 'invalid']) {
    console.log(`${(set === 'valid' ? name : '').padEnd(36)} ${set.padEnd(7)} ${fmt(get(set, 'ajv', 'fast'))} ${fmt(get(set, 'ajv', 'errors'))} ${fmt(get(set, 'hyperjump', 'fast'))} ${fmt(get(set, 'hyperjump', 'errors'))}`);
  }
}

await main();
