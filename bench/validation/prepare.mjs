#!/usr/bin/env node
// Builds the benchmark cases in cases/<name>/ from the reference API
// (spec/openapi.yaml: every application/json request body) and from large
// schemas of the OpenAPI corpus (../shared/oas-corpus). Deterministic: the
// same inputs give the same bytes, so the checked-in cases can be re-made and
// diffed. See README.md for what each file holds.
//
//   node prepare.mjs            # all cases
//   node prepare.mjs NAME...    # only these (others are left as they are)
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { HERE, CASES_DIR, makeAjv } from './lib.mjs';
import { isObj, clone, mapSubschemas, forEachSchema, componentName, escapePointerToken, COMPONENT_PREFIX } from './schema-walk.mjs';
import { generate, makeRng, hashSeed, GenFail } from './generate.mjs';
import { mutationSites, pickSites, applyMutation } from './mutate.mjs';

const CORPUS = process.env.KEEL_OAS_CORPUS ?? path.resolve(HERE, '../../../shared/oas-corpus');
const SPEC = path.resolve(HERE, '../../spec/openapi.yaml');

// Large, realistic schemas from different documents. softDepth: how deep the
// generator expands before it takes the cheapest choices (ids instead of
// expanded objects, null, no optional properties); lower for Stripe, whose
// component graph is one big cycle.
const CORPUS_CASES = [
  { name: 'stripe-payment_intent', file: 'stripe-spec3.yaml', schema: 'payment_intent', softDepth: 2 },
  { name: 'discord-MessageCreateRequest', file: 'discord.json', schema: 'MessageCreateRequest' },
  { name: 'openai-CreateChatCompletionRequest', file: 'openai.yaml', schema: 'CreateChatCompletionRequest' },
  { name: 'openai-CreateResponse', file: 'openai.yaml', schema: 'CreateResponse' },
  // A pull request is ~13 KB of JSON: fewer instances keep the case under 2 MB.
  { name: 'github-pull-request', file: 'github-api-3.0.3.json', schema: 'pull-request', count: 50 },
  { name: 'adyen-PaymentRequest', file: 'adyen-checkout-v72.json', schema: 'PaymentRequest' },
];
const DEFAULT_COUNT = 100; // valid and invalid instances per case, unless the case says `count`
const MAX_CASE_BYTES = 2_000_000;

// Documentation-only keywords: dropped from schema.json (they do not change
// validity and Stripe's descriptions alone would triple the file size).
const DOC_KEYWORDS = new Set(['description', 'example', 'examples', 'externalDocs', 'xml', '$comment']);

// ------------------------------------------------------------------ documents
const docs = new Map();
function loadDoc(file) {
  if (!docs.has(file)) {
    const text = fs.readFileSync(file, 'utf8');
    const doc = file.endsWith('.json') ? JSON.parse(text) : YAML.parse(text, { maxAliasCount: -1 });
    docs.set(file, doc);
  }
  return docs.get(file);
}

function resolvePointer(doc, ref) {
  if (!ref.startsWith('#/')) throw new Error(`external $ref not supported: ${ref}`);
  return ref.slice(2).split('/').reduce((node, tok) => node?.[decodeURIComponent(tok).replace(/~1/g, '/').replace(/~0/g, '~')], doc);
}

// The component names reachable from `root`, root first, then in discovery order.
function closure(schemas, root) {
  const seen = [root];
  for (let i = 0; i < seen.length; i++) {
    forEachSchema(schemas[seen[i]], (s) => {
      const n = componentName(s.$ref);
      if (typeof s.$ref === 'string' && n === null) throw new Error(`unsupported $ref ${s.$ref} in ${seen[i]}`);
      if (n !== null && !seen.includes(n)) {
        if (!(n in schemas)) throw new Error(`dangling $ref ${s.$ref}`);
        seen.push(n);
      }
    });
  }
  return seen;
}

// ------------------------------------------------------------------ OAS 3.0 -> 2020-12
// Minimal conversion, counted in meta.json:
// - nullable: true -> "null" added to `type` (and to `enum` if there is one);
//   without `type`: {type: null} appended to anyOf, or the schema wrapped in
//   anyOf [schema, {type: null}];
// - boolean exclusiveMinimum/exclusiveMaximum -> the 2020-12 number form;
// - siblings of $ref are ignored in 3.0 and dropped, except nullable, whose
//   intent is kept (none of the chosen documents has any).
function convert30(s, stats) {
  if (!isObj(s)) return s;
  if (typeof s.$ref === 'string') {
    const siblings = Object.keys(s).filter((k) => k !== '$ref' && !DOC_KEYWORDS.has(k) && !k.startsWith('x-'));
    if (siblings.length) stats.ref_siblings_dropped = (stats.ref_siblings_dropped ?? 0) + 1;
    return s.nullable === true ? addNull({ $ref: s.$ref }, stats) : { $ref: s.$ref };
  }
  const out = mapSubschemas(s, (x) => convert30(x, stats));
  for (const [ex, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']]) {
    if (typeof out[ex] !== 'boolean') continue;
    if (out[ex] && out[bound] !== undefined) { out[ex] = out[bound]; delete out[bound]; } else delete out[ex];
    stats.exclusive_bounds = (stats.exclusive_bounds ?? 0) + 1;
  }
  if ('nullable' in out) {
    const nullable = out.nullable === true;
    delete out.nullable;
    if (nullable) return addNull(out, stats);
  }
  return out;
}

function addNull(s, stats) {
  stats.nullable = (stats.nullable ?? 0) + 1;
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    const out = { ...s, type: types.includes('null') ? types : [...types, 'null'] };
    if (Array.isArray(s.enum) && !s.enum.includes(null)) out.enum = [...s.enum, null];
    return out;
  }
  if (Array.isArray(s.enum)) return { ...s, enum: s.enum.includes(null) ? s.enum : [...s.enum, null] };
  if (Array.isArray(s.anyOf) && !s.oneOf && !s.allOf && !s.$ref) return { ...s, anyOf: [...s.anyOf, { type: 'null' }] };
  stats.nullable_wrapped = (stats.nullable_wrapped ?? 0) + 1;
  return { anyOf: [s, { type: 'null' }] };
}

// Also drops `nullable`, which is left over in some 3.1 documents (OpenAI's):
// it means nothing in 3.1, but ajv would read it as the OpenAPI 3.0 keyword
// (and refuse it without `type`), so keeping it would make ajv and the 2020-12
// validators disagree. 3.0 documents have already had it converted.
// OpenAI's CompoundFilter uses the 2019-09 $recursiveAnchor/$recursiveRef,
// which 2020-12 does not have (ajv rejects `$recursiveAnchor: true` against the
// 2020-12 meta-schema; other validators would ignore $recursiveRef and accept
// anything). The intent is a reference to the component itself, so that is
// what it becomes.
function fixRecursiveRef(s, name, stats) {
  if (!isObj(s)) return s;
  const out = mapSubschemas(s, (x) => fixRecursiveRef(x, name, stats));
  if ('$recursiveAnchor' in out) { delete out.$recursiveAnchor; stats.recursive_anchor_dropped = (stats.recursive_anchor_dropped ?? 0) + 1; }
  if (out.$recursiveRef === '#') {
    delete out.$recursiveRef;
    out.$ref = COMPONENT_PREFIX + escapePointerToken(name);
    stats.recursive_ref_to_ref = (stats.recursive_ref_to_ref ?? 0) + 1;
  }
  return out;
}

function stripDocs(s) {
  if (!isObj(s)) return s;
  const out = mapSubschemas(s, stripDocs);
  for (const k of Object.keys(out)) if (DOC_KEYWORDS.has(k) || k === 'nullable' || k.startsWith('x-')) delete out[k];
  return out;
}

function rewriteRefs(s, rootName) {
  if (!isObj(s)) return s;
  const out = mapSubschemas(s, (x) => rewriteRefs(x, rootName));
  const n = componentName(out.$ref);
  if (n !== null) out.$ref = n === rootName ? '#' : `#/$defs/${escapePointerToken(n)}`;
  return out;
}

// ------------------------------------------------------------------ examples
// Instances the document itself gives for the root schema: the schema's own
// example(s) and those of every media type whose schema is the root (or an
// array of it).
function documentExamples(doc, rootName) {
  const ref = COMPONENT_PREFIX + escapePointerToken(rootName);
  const raw = doc.components.schemas[rootName];
  const out = [];
  if (raw.example !== undefined) out.push(raw.example);
  if (Array.isArray(raw.examples)) out.push(...raw.examples);
  const visit = (node) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isObj(node)) return;
    if (isObj(node.schema)) {
      const direct = node.schema.$ref === ref;
      const listOf = node.schema.type === 'array' && node.schema.items?.$ref === ref;
      if (direct || listOf) {
        const values = [];
        if (node.example !== undefined) values.push(node.example);
        if (isObj(node.examples)) {
          for (const e of Object.values(node.examples)) {
            const ex = typeof e?.$ref === 'string' ? resolvePointer(doc, e.$ref) : e;
            if (ex?.value !== undefined) values.push(ex.value);
          }
        }
        for (const v of values) if (direct) out.push(v); else if (Array.isArray(v)) out.push(...v);
      }
    }
    for (const [k, v] of Object.entries(node)) if (k !== 'schemas') visit(v);
  };
  visit({ paths: doc.paths, webhooks: doc.webhooks, components: doc.components });
  return out;
}

// ------------------------------------------------------------------ one case
function buildCase(c) {
  const doc = loadDoc(c.file);
  const is30 = String(doc.openapi).startsWith('3.0');
  const raw = doc.components.schemas;
  const count = c.count ?? DEFAULT_COUNT;
  const names = closure(raw, c.schema);
  const conversion = {};
  const fixes = {};
  const full = new Map(names.map((n) => [n, fixRecursiveRef(is30 ? convert30(raw[n], conversion) : raw[n], n, fixes)]));
  const resolve = (ref) => {
    const n = componentName(ref);
    if (!full.has(n)) throw new Error(`unresolved ${ref}`);
    return full.get(n);
  };

  // schema.json: the root schema at the top, every other component in $defs.
  const defs = {};
  for (const n of names.slice(1).sort()) defs[n] = rewriteRefs(stripDocs(full.get(n)), c.schema);
  const root = rewriteRefs(stripDocs(full.get(c.schema)), c.schema);
  const schema = { $schema: 'https://json-schema.org/draft/2020-12/schema', ...root };
  if (names.length > 1) schema.$defs = defs;

  // openapi.json: the same schemas as an OpenAPI 3.1 document with one
  // operation taking the root as its body, which is what keel-gen reads.
  const components = {};
  for (const n of names) components[n] = stripDocs(full.get(n));
  const openapi = {
    openapi: '3.1.0',
    info: { title: `Keel validation benchmark: ${c.name}`, version: '1.0.0' },
    paths: {
      '/validate': {
        post: {
          operationId: 'validate',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: COMPONENT_PREFIX + escapePointerToken(c.schema) } } } },
          responses: { 204: { description: 'Valid.' } },
        },
      },
    },
    components: { schemas: components },
  };

  const { ajv, warnings } = makeAjv();
  const validate = ajv.compile(schema);
  const firstError = () => { const e = validate.errors[0]; return `${e.keyword} ${e.schemaPath.replace(/^.*\$defs\//, '')}`; };

  // Valid instances: the document's examples that ajv accepts, then generated ones.
  const valid = [];
  const seen = new Set();
  const add = (list, v) => { const k = JSON.stringify(v); if (seen.has(k)) return false; seen.add(k); list.push(v); return true; };
  const examples = documentExamples(doc, c.schema).concat(c.extraExamples ?? []);
  let examplesUsed = 0, examplesRejected = 0;
  for (const ex of examples) {
    if (valid.length >= count) break;
    if (!validate(ex)) { examplesRejected++; continue; }
    if (add(valid, clone(ex))) examplesUsed++;
  }
  const genStats = { attempts: 0, generator_gave_up: {}, rejected_by_ajv: {} };
  const bump = (o, k) => { o[k] = (o[k] ?? 0) + 1; };
  const rootRef = { $ref: COMPONENT_PREFIX + escapePointerToken(c.schema) };
  for (let attempt = 0; valid.length < count && attempt < count * 40; attempt++) {
    genStats.attempts++;
    let v;
    try {
      v = generate(rootRef, makeRng(hashSeed(`${c.name}/valid/${attempt}`)), { resolve, softDepth: c.softDepth ?? 3 });
    } catch (e) {
      if (!(e instanceof GenFail)) throw e;
      bump(genStats.generator_gave_up, e.message.slice(0, 80));
      continue;
    }
    if (!validate(v)) { bump(genStats.rejected_by_ajv, firstError()); continue; }
    add(valid, v);
  }
  if (!valid.length) throw new Error(`${c.name}: no valid instance`);

  // Invalid instances: one to three mutations of a valid one.
  const invalid = [], notes = [];
  const seenInvalid = new Set();
  let stillValid = 0;
  for (let i = 0; invalid.length < count && i < count * 20; i++) {
    const rng = makeRng(hashSeed(`${c.name}/invalid/${i}`));
    const from = i % valid.length;
    const holder = { root: clone(valid[from]) };
    const r = rng();
    const count = r < 0.7 ? 1 : r < 0.9 ? 2 : 3;
    const chosen = pickSites(mutationSites(rootRef, holder.root, resolve), count, rng);
    const done = chosen.map((s) => applyMutation(holder, s, rng)).filter(Boolean);
    if (!done.length) continue;
    if (validate(holder.root)) { stillValid++; continue; }
    const key = JSON.stringify(holder.root);
    if (seenInvalid.has(key)) continue;
    seenInvalid.add(key);
    invalid.push(holder.root);
    notes.push({ from_valid: from, mutations: done });
  }

  const asLines = (arr) => `[\n${arr.map((x) => JSON.stringify(x)).join(',\n')}\n]\n`;
  const files = {
    'schema.json': `${JSON.stringify(schema, null, 1)}\n`,
    'openapi.json': `${JSON.stringify(openapi)}\n`, // machine input only: compact
    'valid.json': asLines(valid),
    'invalid.json': asLines(invalid),
    'invalid_notes.json': asLines(notes),
  };
  const bytes = Object.values(files).reduce((a, t) => a + Buffer.byteLength(t), 0);
  if (bytes > MAX_CASE_BYTES) throw new Error(`${c.name}: ${bytes} bytes, over ${MAX_CASE_BYTES}; give it a smaller count`);
  const sortObj = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const meta = {
    name: c.name,
    source: { document: c.source, openapi: String(doc.openapi), schema: c.schema, ...(c.where ? { used_by: c.where } : {}) },
    components_in_schema: names.length,
    schema_bytes: Buffer.byteLength(files['schema.json']),
    instance_bytes: { valid: Buffer.byteLength(files['valid.json']), invalid: Buffer.byteLength(files['invalid.json']) },
    dropped_keywords: [...DOC_KEYWORDS, 'nullable', 'x-*'],
    ...(is30 ? { oas30_conversion: sortObj(conversion) } : {}),
    ...(Object.keys(fixes).length ? { fixes: sortObj(fixes) } : {}),
    valid: { count: valid.length, from_document_examples: examplesUsed, document_examples_rejected_by_ajv: examplesRejected },
    invalid: { count: invalid.length, mutations_that_stayed_valid: stillValid },
    generator: { soft_depth: c.softDepth ?? 3, attempts: genStats.attempts, gave_up: sortObj(genStats.generator_gave_up), rejected_by_ajv: sortObj(genStats.rejected_by_ajv) },
    ajv_warnings: [...new Set(warnings)].length,
  };
  files['meta.json'] = `${JSON.stringify(meta, null, 1)}\n`;

  const dir = path.join(CASES_DIR, c.name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), text);
  return meta;
}

// ------------------------------------------------------------------ case list
// The reference API: one case per application/json request body (operations
// and webhooks), named after its schema, with the media type's example first.
function referenceCases() {
  const doc = loadDoc(SPEC);
  const out = [];
  for (const [section, items] of [['paths', doc.paths], ['webhooks', doc.webhooks ?? {}]]) {
    for (const [p, item] of Object.entries(items)) {
      for (const [method, op] of Object.entries(item)) {
        if (!isObj(op?.requestBody)) continue;
        const body = op.requestBody.$ref ? resolvePointer(doc, op.requestBody.$ref) : op.requestBody;
        const media = body.content?.['application/json'];
        if (!media) continue;
        const schema = componentName(media.schema?.$ref);
        if (schema === null) throw new Error(`${method} ${p}: inline request schema; give it a component name`);
        if (out.some((c) => c.schema === schema)) continue;
        out.push({
          name: `ref-${schema}`, file: SPEC, schema, source: 'spec/openapi.yaml',
          where: `${section === 'webhooks' ? 'webhook ' : ''}${method.toUpperCase()} ${p} (${op.operationId})`,
        });
      }
    }
  }
  return out;
}

function main() {
  const only = process.argv.slice(2);
  const cases = [
    ...referenceCases(),
    ...CORPUS_CASES.map((c) => ({ ...c, file: path.join(CORPUS, c.file), source: `oas-corpus/${c.file}` })),
  ].filter((c) => !only.length || only.includes(c.name));
  if (!only.length) fs.rmSync(CASES_DIR, { recursive: true, force: true });
  fs.mkdirSync(CASES_DIR, { recursive: true });
  for (const c of cases) {
    const m = buildCase(c);
    console.log(`${m.name.padEnd(40)} valid ${String(m.valid.count).padStart(3)} (${m.valid.from_document_examples} from examples)`
      + `  invalid ${String(m.invalid.count).padStart(3)}  schema ${m.schema_bytes} B, ${m.components_in_schema} components`
      + `  generator ${m.valid.count - m.valid.from_document_examples}/${m.generator.attempts}`);
  }
}

main();
