// Makes invalid instances from valid ones with the kind of mistakes clients
// make: a wrong type deep inside, a missing required property, a bad enum
// value, an unknown property where additionalProperties is false, a bad
// format, a broken pattern, a number or length out of range. The caller
// checks with ajv that the result is really invalid.
import { isObj, clone, flatten, mergeSchemas, typeFits, jsonType, escapePointerToken } from './schema-walk.mjs';

// Formats of JSON Schema 2020-12 that ajv-formats checks. OpenAPI's own
// formats (byte, int32...) are left alone: ajv-formats asserts them but a
// 2020-12 validator ignores them, so a mistake there is not a mistake to all.
const CHECKED_FORMATS = new Set(['date-time', 'date', 'time', 'duration', 'email', 'uri',
  'uri-reference', 'hostname', 'ipv4', 'ipv6', 'uuid', 'json-pointer', 'regex', 'uri-template']);

const BAD_FORMAT = {
  'date-time': '2026-13-45 25:61', date: '23/11/2026', time: '25:61', duration: '3 days',
  email: 'not-an-email', uri: 'not a uri', 'uri-reference': 'bad reference\\',
  hostname: '-bad-.example..com', ipv4: '999.1.1.1', ipv6: '2001:::1::g', uuid: '1234-abcd',
  'json-pointer': 'no-leading-slash', regex: '([a-z', 'uri-template': 'https://x/{id',
};

// Picks the branch of oneOf/anyOf the value most plausibly took.
function fits(branch, v) {
  if (!isObj(branch)) return branch !== false;
  if (!typeFits(branch, v)) return false;
  if ('const' in branch && JSON.stringify(branch.const) !== JSON.stringify(v)) return false;
  if (Array.isArray(branch.enum) && !branch.enum.some((e) => JSON.stringify(e) === JSON.stringify(v))) return false;
  if (isObj(v)) {
    if ((branch.required || []).some((k) => !(k in v))) return false;
    for (const [k, ps] of Object.entries(branch.properties || {})) {
      if (k in v && isObj(ps) && ('const' in ps || Array.isArray(ps.enum)) && !fits(ps, v[k])) return false;
    }
    if (branch.additionalProperties === false && Object.keys(v).some((k) => !(k in (branch.properties || {})))) return false;
  }
  return true;
}

function resolveBranches(s, v, resolve) {
  let f = flatten(s, resolve);
  for (const key of ['oneOf', 'anyOf']) {
    if (!Array.isArray(f[key])) continue;
    const branch = f[key].map((b) => flatten(b, resolve)).find((b) => fits(b, v));
    if (branch === undefined) return null;
    const { [key]: _drop, ...rest } = f;
    f = flatten(mergeSchemas(rest, branch), resolve);
  }
  return f;
}

// Every place in v where one mutation applies: { kind, path, ... }.
export function mutationSites(schema, value, resolve) {
  const sites = [];
  const walk = (s, v, path, depth) => {
    if (depth > 40) return;
    const f = resolveBranches(s, v, resolve);
    if (f === null || !isObj(f)) return;
    const here = (kind, extra = {}) => sites.push({ kind, path, ...extra });
    if (path.length && f.type !== undefined) here('wrong-type');
    if (typeof v === 'string') {
      if (Array.isArray(f.enum) && f.enum.length) here('bad-enum');
      else if (f.format && CHECKED_FORMATS.has(f.format) && !f.pattern) here('bad-format', { format: f.format });
      else if (f.pattern) here('pattern-mismatch');
      if (f.maxLength !== undefined && f.maxLength <= 2048 && !f.enum) here('too-long', { maxLength: f.maxLength });
      if (f.minLength > 0) here('too-short');
    }
    if (typeof v === 'number') {
      const max = f.maximum ?? (typeof f.exclusiveMaximum === 'number' ? f.exclusiveMaximum : undefined);
      const min = f.minimum ?? (typeof f.exclusiveMinimum === 'number' ? f.exclusiveMinimum : undefined);
      if (max !== undefined || min !== undefined) here('out-of-range', { min, max });
    }
    if (Array.isArray(v)) {
      if (f.minItems > 0) here('empty-array');
      v.forEach((item, i) => {
        const is = i < (f.prefixItems?.length ?? 0) ? f.prefixItems[i] : f.items;
        if (is !== undefined) walk(is, item, [...path, i], depth + 1);
      });
    }
    if (isObj(v)) {
      for (const k of f.required || []) if (k in v) here('missing-required', { key: k });
      if (f.additionalProperties === false || f.unevaluatedProperties === false) here('extra-property', { props: Object.keys(f.properties || {}) });
      for (const [k, child] of Object.entries(v)) {
        const cs = f.properties?.[k] ?? (isObj(f.additionalProperties) ? f.additionalProperties : undefined);
        if (cs !== undefined) walk(cs, child, [...path, k], depth + 1);
      }
    }
  };
  walk(schema, value, [], 0);
  return sites;
}

// Weights per kind, so a case gets a mix rather than mostly wrong types.
const WEIGHTS = { 'wrong-type': 3, 'missing-required': 3, 'bad-enum': 2, 'extra-property': 2, 'bad-format': 2,
  'pattern-mismatch': 1, 'out-of-range': 1, 'too-long': 1, 'too-short': 1, 'empty-array': 1 };

export function pickSites(sites, count, rng) {
  const chosen = [];
  let pool = sites.slice();
  while (chosen.length < count && pool.length) {
    const kinds = [...new Set(pool.map((s) => s.kind))];
    const total = kinds.reduce((a, k) => a + WEIGHTS[k], 0);
    let r = rng() * total, kind = kinds[0];
    for (const k of kinds) { r -= WEIGHTS[k]; if (r < 0) { kind = k; break; } }
    const ofKind = pool.filter((s) => s.kind === kind);
    const site = rng.pick(ofKind);
    chosen.push(site);
    // Later mutations must not land inside (or above) an earlier one.
    const p = site.path.join('\u0000');
    pool = pool.filter((s) => { const q = s.path.join('\u0000'); return !q.startsWith(p) && !p.startsWith(q); });
  }
  return chosen;
}

const camel = (k) => k.replace(/_([a-z])/g, (_, c) => c.toUpperCase());

function wrongTypeValue(v) {
  switch (jsonType(v)) {
    case 'string': return /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : 42;
    case 'integer': case 'number': return String(v); // the classic: a number sent as a string
    case 'boolean': return v ? 'true' : 'false';
    case 'null': return 0;
    case 'array': return v.length ? v[0] ?? {} : {};
    default: return [v]; // object
  }
}

// Applies one mutation in place (root is wrapped so the root can change too).
// Returns a short description, or null when it does not apply.
export function applyMutation(holder, site, rng) {
  let parent = holder, key = 'root';
  for (const p of site.path) { parent = parent[key]; key = p; if (parent === null || typeof parent !== 'object') return null; }
  if (!(key in parent)) return null;
  const v = parent[key];
  switch (site.kind) {
    case 'wrong-type': parent[key] = wrongTypeValue(v); break;
    case 'bad-enum': parent[key] = rng.chance(0.5) && typeof v === 'string' && v.toUpperCase() !== v ? v.toUpperCase() : `${v}_unknown`; break;
    case 'bad-format': parent[key] = BAD_FORMAT[site.format]; break;
    case 'pattern-mismatch': parent[key] = `${v} !`; break;
    case 'too-long': parent[key] = String(v).padEnd(site.maxLength + 1, 'x'); break;
    case 'too-short': parent[key] = ''; break;
    case 'out-of-range': // just past a bound: an off-by-one or a unit mix-up
      parent[key] = site.max !== undefined && (site.min === undefined || rng.chance(0.5)) ? site.max + 1 : site.min - 1;
      break;
    case 'empty-array': parent[key] = []; break;
    case 'missing-required': {
      if (!isObj(v) || !(site.key in v)) return null;
      delete v[site.key];
      return `${site.kind} ${site.key} at ${pointer(site.path) || "(root)"}`;
    }
    case 'extra-property': {
      if (!isObj(v)) return null;
      // A misspelt or camelCased known property, else an unknown one.
      const base = rng.pick(site.props.length ? site.props : ['note']);
      let name = camel(base) !== base ? camel(base) : `${base}s`;
      while (name in v || site.props.includes(name)) name = `${name}_x`;
      v[name] = clone(v[base]) ?? 'unexpected';
      return `${site.kind} ${name} at ${pointer(site.path) || "(root)"}`;
    }
    default: return null;
  }
  return `${site.kind} at ${pointer(site.path) || "(root)"}`;
}

export function pointer(path) {
  return path.map((p) => `/${escapePointerToken(String(p))}`).join('');
}
