// Small JSON Schema helpers used by prepare.mjs, generate.mjs and mutate.mjs:
// where subschemas live, and how to flatten $ref/allOf into one schema so the
// instance generator and the mutator can read one set of keywords.

export const isObj = (x) => x !== null && typeof x === 'object' && !Array.isArray(x);
export const clone = (x) => (x === undefined ? undefined : JSON.parse(JSON.stringify(x)));

// Keywords whose value is a schema, an array of schemas, or a map of schemas.
// Everything else (enum, const, default, required...) is a plain value and
// must never be rewritten, even if it looks like a schema.
const SINGLE = new Set(['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains',
  'propertyNames', 'unevaluatedProperties', 'unevaluatedItems', 'additionalItems']);
const ARRAY = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
const MAP = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);

// A shallow copy of s with fn applied to each direct subschema.
export function mapSubschemas(s, fn) {
  if (!isObj(s)) return s;
  const out = {};
  for (const [k, v] of Object.entries(s)) {
    if (SINGLE.has(k) && (isObj(v) || typeof v === 'boolean')) out[k] = fn(v);
    else if (ARRAY.has(k) && Array.isArray(v)) out[k] = v.map(fn);
    else if (k === 'items' && Array.isArray(v)) out[k] = v.map(fn);
    else if (MAP.has(k) && isObj(v)) out[k] = Object.fromEntries(Object.entries(v).map(([n, x]) => [n, fn(x)]));
    else out[k] = v;
  }
  return out;
}

// Visits every schema object reachable through subschema keywords (not $ref).
export function forEachSchema(s, fn) {
  if (!isObj(s)) return;
  fn(s);
  mapSubschemas(s, (x) => { forEachSchema(x, fn); return x; });
}

export const COMPONENT_PREFIX = '#/components/schemas/';

// '#/components/schemas/a~1b' -> 'a/b' (JSON pointer and URI escapes undone).
export function componentName(ref) {
  if (typeof ref !== 'string' || !ref.startsWith(COMPONENT_PREFIX)) return null;
  const token = ref.slice(COMPONENT_PREFIX.length);
  if (token.includes('/')) return null; // a pointer into a schema: not used by the chosen documents
  return decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~');
}

export function escapePointerToken(name) {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}

const intersect = (a, b) => a.filter((x) => b.some((y) => JSON.stringify(x) === JSON.stringify(y)));
const asArray = (t) => (Array.isArray(t) ? t : [t]);

// Combines two schemas that must both hold (allOf). Good enough to generate
// instances from; the result is always checked with ajv afterwards.
export function mergeSchemas(a, b) {
  if (!isObj(a)) return isObj(b) ? { ...b } : {};
  if (!isObj(b)) return { ...a };
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) {
    if (!(k in out)) { out[k] = v; continue; }
    const cur = out[k];
    switch (k) {
      case 'properties': {
        const props = { ...cur };
        for (const [p, ps] of Object.entries(v)) props[p] = p in props ? { allOf: [props[p], ps] } : ps;
        out.properties = props;
        break;
      }
      case 'required': out.required = [...new Set([...cur, ...v])]; break;
      case 'type': {
        const t = intersect(asArray(cur), asArray(v));
        // integer is a subset of number
        if (!t.length && asArray(cur).includes('number') && asArray(v).includes('integer')) t.push('integer');
        if (!t.length && asArray(v).includes('number') && asArray(cur).includes('integer')) t.push('integer');
        out.type = t.length ? t : v;
        break;
      }
      case 'enum': { const e = intersect(cur, v); out.enum = e.length ? e : v; break; }
      case 'minimum': case 'exclusiveMinimum': case 'minLength': case 'minItems': case 'minProperties':
        out[k] = Math.max(cur, v); break;
      case 'maximum': case 'exclusiveMaximum': case 'maxLength': case 'maxItems': case 'maxProperties':
        out[k] = Math.min(cur, v); break;
      case 'allOf': out.allOf = [...cur, ...v]; break;
      case 'anyOf': case 'oneOf':
        // Two alternatives lists: keep one here and push the other into allOf.
        out.allOf = [...(out.allOf || []), { [k]: v }];
        break;
      default: out[k] = v;
    }
  }
  return out;
}

// Resolves $ref (siblings apply too, as in 2020-12) and allOf at the top of a
// schema, giving one schema without either. resolve(ref) returns the target.
export function flatten(s, resolve, guard = 0) {
  if (!isObj(s)) return s === false ? false : {};
  if (guard > 64) throw new Error('flatten: $ref/allOf chain too deep');
  if (s.$ref === undefined && s.allOf === undefined) return s;
  const { $ref, allOf, ...rest } = s;
  let out = rest;
  if ($ref !== undefined) out = mergeSchemas(flatten(resolve($ref), resolve, guard + 1), out);
  for (const part of allOf || []) out = mergeSchemas(out, flatten(part, resolve, guard + 1));
  return out.allOf !== undefined || out.$ref !== undefined ? flatten(out, resolve, guard + 1) : out;
}

export function jsonType(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v; // string, boolean, object
}

// Does value v have one of the types the (flattened) schema allows?
export function typeFits(s, v) {
  if (!isObj(s) || s.type === undefined) return true;
  const t = jsonType(v);
  const types = asArray(s.type);
  return types.includes(t) || (t === 'integer' && types.includes('number'));
}

// The types a flattened schema can produce, inferred when `type` is absent.
export function schemaTypes(s) {
  if (!isObj(s)) return ['string'];
  if (s.type !== undefined) return asArray(s.type);
  if ('const' in s) return [jsonType(s.const)];
  if (Array.isArray(s.enum) && s.enum.length) return [...new Set(s.enum.map(jsonType))];
  if (s.properties || s.additionalProperties !== undefined || s.required || s.patternProperties) return ['object'];
  if (s.items || s.prefixItems || s.minItems !== undefined) return ['array'];
  if (s.pattern || s.format || s.minLength !== undefined || s.maxLength !== undefined) return ['string'];
  if (s.minimum !== undefined || s.maximum !== undefined || s.multipleOf !== undefined) return ['number'];
  return [];
}
