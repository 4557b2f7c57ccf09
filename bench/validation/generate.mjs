// A small deterministic instance generator: walks a schema and makes a value
// that should be valid. "Should": every value is checked with ajv by the
// caller, and failures are simply dropped, so this stays simple and only has
// to be right most of the time.
import { isObj, clone, flatten, mergeSchemas, schemaTypes, jsonType } from './schema-walk.mjs';

// mulberry32: tiny, seedable, same sequence on every platform.
export function makeRng(seed) {
  let a = seed >>> 0;
  const rng = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  rng.int = (lo, hi) => lo + Math.floor(rng() * (hi - lo + 1)); // inclusive
  rng.pick = (arr) => arr[Math.floor(rng() * arr.length)];
  rng.chance = (p) => rng() < p;
  return rng;
}

export function hashSeed(text) {
  let h = 2166136261; // FNV-1a
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

export class GenFail extends Error {}

const WORDS = ['alpha', 'amber', 'basin', 'cedar', 'delta', 'ember', 'fjord', 'grove', 'harbor', 'iris',
  'juniper', 'kelp', 'lumen', 'meadow', 'nectar', 'orbit', 'pine', 'quartz', 'river', 'sierra',
  'tundra', 'umber', 'violet', 'willow', 'xenon', 'yarrow', 'zephyr', 'order', 'invoice', 'customer',
  'shipment', 'report', 'sensor', 'payment', 'account', 'message', 'channel', 'model', 'token', 'review'];
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const WORD_CHARS = LOWER + LOWER.toUpperCase() + DIGITS + '_';
const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');

// ---------------------------------------------------------------- regex sampler
// Produces a string matching a pattern, for the subset real API specs use:
// literals, classes, \d \w \s, groups, alternation, quantifiers, anchors.
// Look-arounds and back-references throw: the caller falls back.
export function sampleRegex(src, rng) {
  let i = 0;
  const fail = (why) => { throw new GenFail(`regex ${why}: ${src}`); };

  const classOf = (c) => ({ d: DIGITS, w: WORD_CHARS, s: ' ', D: LOWER, W: '-', S: LOWER }[c]);
  function escapeChar() {
    const c = src[i++];
    if (c === undefined) fail('trailing backslash');
    if (classOf(c)) return { set: classOf(c) };
    if (c === 'u') {
      if (src[i] === '{') { const end = src.indexOf('}', i); const cp = parseInt(src.slice(i + 1, end), 16); i = end + 1; return { ch: String.fromCodePoint(cp) }; }
      const cp = parseInt(src.slice(i, i + 4), 16); i += 4; return { ch: String.fromCharCode(cp) };
    }
    if (c === 'x') { const cp = parseInt(src.slice(i, i + 2), 16); i += 2; return { ch: String.fromCharCode(cp) }; }
    if (c === 'p' || c === 'P') { // \p{L} and friends: letters will do
      if (src[i] === '{') i = src.indexOf('}', i) + 1;
      return { set: c === 'p' ? LOWER : DIGITS };
    }
    if (/[1-9]/.test(c) || c === 'k') fail('back-reference');
    return { ch: { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', 0: '\0' }[c] ?? c };
  }
  // Expands a range, keeping to printable ASCII when the range covers some.
  function range(lo, hi) {
    let out = '';
    const a = Math.max(lo, 32), b = Math.min(hi, 126);
    if (a <= b) for (let c = a; c <= b; c++) out += String.fromCharCode(c);
    else for (let c = lo; c <= Math.min(hi, lo + 50); c++) out += String.fromCodePoint(c);
    return out;
  }
  function parseClass() {
    let negate = false, chars = '';
    if (src[i] === '^') { negate = true; i++; }
    let first = true;
    while (i < src.length && (src[i] !== ']' || first)) {
      first = false;
      let item = src[i] === '\\' ? (i++, escapeChar()) : { ch: src[i++] };
      if (item.ch !== undefined && src[i] === '-' && src[i + 1] !== ']' && src[i + 1] !== undefined) {
        i++;
        const hiItem = src[i] === '\\' ? (i++, escapeChar()) : { ch: src[i++] };
        item = { set: range(item.ch.codePointAt(0), hiItem.ch.codePointAt(0)) };
      }
      chars += item.set ?? item.ch;
    }
    if (src[i++] !== ']') fail('unclosed class');
    if (negate) chars = [...PRINTABLE].filter((c) => !chars.includes(c) && c !== ' ').join('');
    return { t: 'set', chars };
  }
  function parseAtom() {
    const c = src[i++];
    if (c === '^' || c === '$') return null;
    if (c === '(') {
      if (src[i] === '?') {
        if (src[i + 1] === ':') i += 2;
        else if (src[i + 1] === '<' && src[i + 2] !== '=' && src[i + 2] !== '!') i = src.indexOf('>', i) + 1;
        else fail('look-around');
      }
      const node = parseAlt();
      if (src[i++] !== ')') fail('unclosed group');
      return node;
    }
    if (c === '[') return parseClass();
    if (c === '.') return { t: 'set', chars: LOWER + DIGITS };
    if (c === '\\') {
      if (src[i] === 'b' || src[i] === 'B') { i++; return null; }
      const e = escapeChar();
      return e.set ? { t: 'set', chars: e.set } : { t: 'lit', s: e.ch };
    }
    return { t: 'lit', s: c };
  }
  function parseQuant(atom) {
    let min = 1, max = 1;
    const c = src[i];
    if (c === '*') { min = 0; max = Infinity; i++; }
    else if (c === '+') { min = 1; max = Infinity; i++; }
    else if (c === '?') { min = 0; max = 1; i++; }
    else if (c === '{' && /^\{\d+(,\d*)?\}/.test(src.slice(i))) {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i));
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      i += m[0].length;
    } else return atom;
    if (src[i] === '?' || src[i] === '+') i++; // lazy / possessive: same strings
    return { t: 'rep', atom, min, max };
  }
  function parseSeq() {
    const items = [];
    while (i < src.length && src[i] !== '|' && src[i] !== ')') {
      const atom = parseAtom();
      if (atom !== null) items.push(parseQuant(atom));
    }
    return { t: 'seq', items };
  }
  function parseAlt() {
    const branches = [parseSeq()];
    while (src[i] === '|') { i++; branches.push(parseSeq()); }
    return branches.length === 1 ? branches[0] : { t: 'alt', branches };
  }
  function emit(n) {
    switch (n.t) {
      case 'lit': return n.s;
      case 'set': return n.chars.length ? rng.pick([...n.chars]) : fail('empty class');
      case 'seq': return n.items.map(emit).join('');
      case 'alt': return emit(rng.pick(n.branches));
      case 'rep': {
        const hi = Math.min(n.max, n.min + 6); // unbounded repeats stay short
        let s = '';
        for (let k = rng.int(n.min, hi); k > 0; k--) s += emit(n.atom);
        return s;
      }
    }
    return fail('internal');
  }
  const tree = parseAlt();
  if (i < src.length) fail('unbalanced )');
  return emit(tree);
}

// ---------------------------------------------------------------- scalars
const pad = (n, w = 2) => String(n).padStart(w, '0');
const hex = (rng, n) => Array.from({ length: n }, () => '0123456789abcdef'[rng.int(0, 15)]).join('');

function dateTime(rng) {
  const d = `2026-${pad(rng.int(1, 12))}-${pad(rng.int(1, 28))}T${pad(rng.int(0, 23))}:${pad(rng.int(0, 59))}:${pad(rng.int(0, 59))}`;
  return rng.chance(0.3) ? `${d}.${pad(rng.int(0, 999), 3)}+02:00` : `${d}Z`;
}

function formatString(fmt, rng) {
  const w = () => rng.pick(WORDS);
  switch (fmt) {
    case 'date-time': return dateTime(rng);
    case 'date': return dateTime(rng).slice(0, 10);
    case 'time': return `${pad(rng.int(0, 23))}:${pad(rng.int(0, 59))}:${pad(rng.int(0, 59))}Z`;
    case 'duration': return `P${rng.int(1, 30)}DT${rng.int(0, 23)}H`;
    case 'email': case 'idn-email': return `${w()}.${w()}@example.com`;
    case 'uri': case 'url': case 'iri': return `https://${w()}.example.com/${w()}/${hex(rng, 8)}`;
    case 'uri-reference': case 'iri-reference': return `/v1/${w()}/${hex(rng, 8)}`;
    case 'uri-template': return `https://api.example.com/${w()}/{id}`;
    case 'hostname': case 'idn-hostname': return `${w()}.example.com`;
    case 'ipv4': return `${rng.int(1, 223)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
    case 'ipv6': return `2001:db8::${hex(rng, 4)}:${hex(rng, 4)}`;
    case 'uuid': return `${hex(rng, 8)}-${hex(rng, 4)}-4${hex(rng, 3)}-a${hex(rng, 3)}-${hex(rng, 12)}`;
    case 'byte': return Buffer.from(hex(rng, 12), 'hex').toString('base64');
    case 'json-pointer': return `/${w()}/${rng.int(0, 9)}`;
    case 'relative-json-pointer': return `${rng.int(0, 3)}/${w()}`;
    case 'regex': return '^[a-z]+$';
    case 'int32': case 'int64': case 'integer': case 'snowflake': return String(rng.int(1, 2 ** 31));
    case 'decimal': case 'double': case 'float': case 'number': return (rng.int(0, 100000) / 100).toFixed(2);
    default: return null;
  }
}

function plainString(s, rng) {
  const min = s.minLength ?? 0;
  const max = s.maxLength ?? Math.max(min, 40);
  let out = rng.pick(WORDS);
  while (out.length < min) out += `_${rng.pick(WORDS)}`;
  if (rng.chance(0.4) && out.length + 10 <= max) out += ` ${rng.pick(WORDS)} ${rng.int(1, 99)}`;
  return out.slice(0, max);
}

function genString(s, rng) {
  const ex = exampleOf(s, 'string');
  if (ex !== undefined && rng.chance(0.4)) return ex;
  const fits = (v) => v.length >= (s.minLength ?? 0) && v.length <= (s.maxLength ?? Infinity);
  // A formatted value reads better than a pattern sample ('https://x.example.com/a'
  // rather than 'https://'), so take it when the pattern also accepts it.
  const f = s.format ? formatString(s.format, rng) : null;
  if (f !== null && fits(f) && (!s.pattern || safeTest(s.pattern, f))) return f;
  if (s.pattern) {
    for (let k = 0; k < 8; k++) {
      const v = sampleRegex(s.pattern, rng);
      if (fits(v)) return v;
    }
    throw new GenFail(`pattern and length: ${s.pattern}`);
  }
  return plainString(s, rng);
}

function safeTest(pattern, v) {
  try { return new RegExp(pattern, 'u').test(v); } catch { return false; }
}

function genNumber(s, rng, integer) {
  const ex = exampleOf(s, integer ? 'integer' : 'number');
  if (ex !== undefined && rng.chance(0.4)) return ex;
  const exMin = typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum : undefined;
  const exMax = typeof s.exclusiveMaximum === 'number' ? s.exclusiveMaximum : undefined;
  const timestamp = s.format === 'unix-time';
  let lo = s.minimum ?? (exMin !== undefined ? exMin + (integer ? 1 : 0.01) : undefined);
  let hi = s.maximum ?? (exMax !== undefined ? exMax - (integer ? 1 : 0.01) : undefined);
  if (lo === undefined && hi === undefined) [lo, hi] = timestamp ? [1.7e9, 1.8e9] : [0, 1000];
  else if (lo === undefined) lo = Math.min(0, hi - 1000);
  else if (hi === undefined) hi = lo + 1000;
  if (integer) { lo = Math.ceil(lo); hi = Math.floor(hi); }
  if (s.multipleOf) {
    const m = s.multipleOf;
    const k = rng.int(Math.ceil(lo / m), Math.max(Math.ceil(lo / m), Math.floor(hi / m)));
    return Number((k * m).toFixed(10));
  }
  if (integer) return rng.int(lo, hi);
  return Math.round((lo + rng() * (hi - lo)) * 100) / 100;
}

// A schema-level example of the right type (OpenAPI `example` or 2020-12 `examples`).
function exampleOf(s, type) {
  const cands = [];
  if (s.example !== undefined) cands.push(s.example);
  if (Array.isArray(s.examples)) cands.push(...s.examples);
  const ok = cands.find((v) => jsonType(v) === type || (type === 'number' && jsonType(v) === 'integer'));
  return ok === undefined ? undefined : clone(ok);
}

// ---------------------------------------------------------------- generator
// opts.resolve(ref) -> schema; opts.softDepth: from there on, take the
// cheapest choice (null, a string id instead of an expanded object, no
// optional properties, fewest items) so recursive schemas terminate.
export function generate(schema, rng, opts) {
  const softDepth = opts.softDepth ?? 3;
  const hardDepth = softDepth + 12;

  function free(depth, template) { // an object without properties: a flat record
    const keys = template ?? freeKeys();
    const out = {};
    for (const k of keys) out[k] = rng.pick([() => rng.pick(WORDS), () => rng.int(0, 5000), () => rng.int(0, 10000) / 100, () => rng.chance(0.5), () => null])();
    return out;
  }
  const freeKeys = () => [...new Set(Array.from({ length: rng.int(2, 5) }, () => rng.pick(WORDS)))];

  // Cost of a branch when we are deep: prefer anything that ends the recursion.
  function cost(b) {
    const f = flatten(b, opts.resolve);
    const types = schemaTypes(f);
    if (types.includes('null')) return 0;
    if ('const' in f || f.enum) return 1;
    if (types.some((t) => t === 'string' || t === 'number' || t === 'integer' || t === 'boolean')) return 1;
    if (types.includes('array')) return 2;
    return 3 + (f.required?.length ?? 0);
  }

  function gen(s0, depth, hint) {
    if (s0 === false) throw new GenFail('false schema');
    if (depth > hardDepth) throw new GenFail('too deep');
    let s = flatten(s0 === true ? {} : s0, opts.resolve);
    const deep = depth >= softDepth;
    if ('const' in s) return clone(s.const);
    if (Array.isArray(s.enum) && s.enum.length) {
      const nonNull = s.enum.filter((v) => v !== null);
      if (!nonNull.length || (nonNull.length < s.enum.length && (deep || rng.chance(0.1)))) return null;
      return clone(rng.pick(nonNull));
    }
    // Alternatives, possibly nested (an anyOf whose branch is an anyOf...).
    for (let guard = 0; guard < 16; guard++) {
      const key = s.oneOf?.length ? 'oneOf' : s.anyOf?.length ? 'anyOf' : null;
      if (key === null) break;
      const { [key]: alts, ...rest } = s;
      // Only branches whose type can agree with the surrounding schema's type.
      const flat = alts.map((b) => flatten(b, opts.resolve));
      const ok = flat.filter((b) => rest.type === undefined || !schemaTypes(b).length
        || schemaTypes(b).some((t) => schemaTypes(rest).includes(t) || (t === 'integer' && schemaTypes(rest).includes('number'))));
      const cands = ok.length ? ok : flat;
      let branch;
      if (deep) {
        const costs = cands.map(cost);
        branch = cands[costs.indexOf(Math.min(...costs))];
      } else branch = rng.pick(cands);
      s = flatten(mergeSchemas(rest, branch), opts.resolve);
      if ('const' in s || s.enum) return gen(s, depth, hint);
    }
    let types = schemaTypes(s);
    if (!types.length) types = ['string', 'integer', 'boolean', 'object'];
    if (types.includes('null') && types.length > 1 && !(deep || rng.chance(0.15))) types = types.filter((t) => t !== 'null');
    if (types.includes('integer') && types.includes('number')) types = types.filter((t) => t !== 'number');
    const type = deep && types.includes('null') ? 'null' : rng.pick(types);
    switch (type) {
      case 'null': return null;
      case 'boolean': return rng.chance(0.5);
      case 'integer': return genNumber(s, rng, true);
      case 'number': return genNumber(s, rng, false);
      case 'string': return genString(s, rng);
      case 'array': return genArray(s, depth);
      case 'object': return genObject(s, depth, hint);
      default: throw new GenFail(`type ${type}`);
    }
  }

  function genArray(s, depth) {
    const deep = depth >= softDepth;
    const min = s.minItems ?? 0;
    const itemSchema = s.items === undefined ? {} : s.items;
    const itemFlat = flatten(itemSchema, opts.resolve);
    const rows = isObj(itemFlat) && schemaTypes(itemFlat).includes('object') && !itemFlat.properties && itemFlat.additionalProperties === undefined;
    // Free-form records (e.g. dataset rows) come in bigger batches with shared columns.
    const cap = deep ? min : min + (rows ? 20 : depth < 2 ? 4 : 2);
    const n = rng.int(min, Math.max(min, Math.min(s.maxItems ?? Infinity, cap)));
    const template = rows ? freeKeys() : undefined;
    const out = [];
    const prefix = s.prefixItems || [];
    const seen = new Set();
    for (let k = 0, tries = 0; out.length < n && tries < n * 4 + 4; tries++) {
      const v = gen(k < prefix.length ? prefix[k] : itemSchema, depth + 1, template);
      if (s.uniqueItems) {
        const key = JSON.stringify(v);
        if (seen.has(key)) continue;
        seen.add(key);
      }
      out.push(v);
      k++;
    }
    if (out.length < min) throw new GenFail('uniqueItems');
    return out;
  }

  function genObject(s, depth, template) {
    const deep = depth >= softDepth;
    const props = isObj(s.properties) ? s.properties : {};
    const required = new Set(Array.isArray(s.required) ? s.required : []);
    const optionalChance = deep ? 0 : [0.7, 0.5, 0.35][depth] ?? 0.25;
    const out = {};
    for (const [k, ps] of Object.entries(props)) {
      if (required.has(k) || rng.chance(optionalChance)) out[k] = gen(ps, depth + 1);
    }
    const ap = s.additionalProperties;
    for (const k of required) {
      if (!(k in out)) out[k] = gen(isObj(ap) ? ap : {}, depth + 1);
    }
    if (!Object.keys(props).length && !s.patternProperties) {
      if (isObj(ap) && Object.keys(ap).length) { // a map, e.g. metadata
        const n = rng.int(s.minProperties ?? 0, deep ? s.minProperties ?? 0 : Math.max(s.minProperties ?? 0, 3));
        for (let k = 0; k < n; k++) out[`${rng.pick(WORDS)}_${k}`] = gen(ap, depth + 1);
      } else if (ap !== false && !deep && !required.size) Object.assign(out, free(depth, template));
    }
    return out;
  }

  return gen(schema, 0);
}
