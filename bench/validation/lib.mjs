// Shared by prepare.mjs (which decides the expected validity of every
// instance) and run-js.mjs (which benchmarks it), so both use one ajv setup.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const CASES_DIR = path.join(HERE, 'cases');

// strict: false because real-world schemas carry OpenAPI keywords
// (discriminator, readOnly...) and vendor formats (snowflake, unix-time) that
// ajv would otherwise reject; unknown formats are then ignored, which is also
// what JSON Schema 2020-12 asks for. The warnings are collected, not printed.
export function makeAjv({ allErrors = false } = {}) {
  const warnings = [];
  const logger = { log() {}, warn: (...a) => warnings.push(a.join(' ')), error: (...a) => warnings.push(a.join(' ')) };
  const ajv = new Ajv2020({ strict: false, allErrors, logger });
  addFormats(ajv);
  return { ajv, warnings };
}

// The median of repeated measurements (the figure every runner reports).
export const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

export function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

// Case directories in name order; each has schema.json, valid.json, invalid.json.
export function listCases(dir = CASES_DIR) {
  return fs.readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => ({ name, dir: path.join(dir, name) }));
}
