/**
 * Constraint validation of a decoded input against its model shape: required, length, range,
 * pattern, enum. Violations are reported in AWS's (Coral) message form:
 *   "1 validation error detected: Value 'x' at 'id' failed to satisfy constraint: Member must have length less than or equal to 15"
 * Sensitive members omit the value ("Value at 'name' failed ..."). Model patterns are Java regexes
 * matched against the whole value, so they are anchored here.
 */
import type { ServiceModel, Shape } from './model.ts';

const regexCache = new Map<string, RegExp | null>();

function compilePattern(pattern: string): RegExp | null {
  let re = regexCache.get(pattern);
  if (re !== undefined) return re;
  re = null;
  for (const flags of ['u', '']) {
    try {
      re = new RegExp(`^(?:${pattern})$`, flags);
      break;
    } catch {
      /* try next flavour */
    }
  }
  regexCache.set(pattern, re);
  return re;
}

export interface ValidationOptions {
  /** Query services name members in lowerCamel in their messages (`userName`); JSON services as on the wire. */
  lowerFirst?: boolean;
  /** Cap on how many violations are listed, as AWS does (it lists up to 10). */
  limit?: number;
}

export function validateInput(model: ServiceModel, shapeName: string, value: unknown, opts: ValidationOptions = {}): string[] {
  const errors: string[] = [];
  walk(model, shapeName, value, '', errors, opts, false);
  return errors;
}

export function formatValidationMessage(errors: string[]): string {
  const n = errors.length;
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${errors.slice(0, 10).join('; ')}`;
}

function show(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function fail(errors: string[], path: string, value: unknown, sensitive: boolean, constraint: string): void {
  const v = sensitive ? 'Value' : `Value '${show(value)}'`;
  errors.push(`${v} at '${path}' failed to satisfy constraint: ${constraint}`);
}

function memberPath(base: string, name: string, opts: ValidationOptions): string {
  const n = opts.lowerFirst ? name.charAt(0).toLowerCase() + name.slice(1) : name;
  return base ? `${base}.${n}` : n;
}

function walk(model: ServiceModel, shapeName: string, value: unknown, path: string, errors: string[], opts: ValidationOptions, parentSensitive: boolean): void {
  const shape: Shape | undefined = model.shapes[shapeName];
  if (!shape || value === undefined || value === null) return;
  const sensitive = parentSensitive || !!shape.sensitive;
  switch (shape.type) {
    case 'structure': {
      const obj = value as Record<string, unknown>;
      for (const req of shape.required ?? []) {
        if (obj[req] === undefined || obj[req] === null)
          errors.push(`Value null at '${memberPath(path, req, opts)}' failed to satisfy constraint: Member must not be null`);
      }
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        if (obj[name] !== undefined) walk(model, ref.shape, obj[name], memberPath(path, name, opts), errors, opts, sensitive);
      }
      return;
    }
    case 'list': {
      const list = value as unknown[];
      checkLength(shape, list.length, path, value, errors, sensitive);
      for (const [i, item] of list.entries()) walk(model, shape.member!.shape, item, `${path}.${i + 1}.member`, errors, opts, sensitive);
      return;
    }
    case 'map': {
      const map = value as Record<string, unknown>;
      const keys = Object.keys(map);
      checkLength(shape, keys.length, path, value, errors, sensitive);
      const keyShape = model.shapes[shape.key!.shape];
      const before = errors.length;
      const keyErrors: string[] = [];
      for (const k of keys) {
        if (keyShape) walk(model, shape.key!.shape, k, path, keyErrors, opts, sensitive);
        walk(model, shape.value!.shape, map[k], `${path}.${k}`, errors, opts, sensitive);
      }
      if (keyErrors.length) {
        errors.splice(
          before,
          0,
          `Value at '${path}' failed to satisfy constraint: Map keys must satisfy constraint: [${[...new Set(keyErrors.map((e) => e.replace(/^.*failed to satisfy constraint: /, '')))].join(', ')}]`,
        );
      }
      return;
    }
    case 'string': {
      const s = value as string;
      checkLength(shape, s.length, path, value, errors, sensitive);
      if (shape.pattern !== undefined) {
        const re = compilePattern(shape.pattern);
        if (re && !re.test(s)) fail(errors, path, value, sensitive, `Member must satisfy regular expression pattern: ${shape.pattern}`);
      }
      if (shape.enum && !shape.enum.includes(s)) fail(errors, path, value, sensitive, `Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
      return;
    }
    case 'integer':
    case 'long':
    case 'double':
    case 'float': {
      const n = value as number;
      if (shape.min !== undefined && n < shape.min) fail(errors, path, value, sensitive, `Member must have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && n > shape.max) fail(errors, path, value, sensitive, `Member must have value less than or equal to ${shape.max}`);
      return;
    }
    case 'blob': {
      const b = value as Buffer;
      checkLength(shape, b.length, path, value, errors, sensitive);
      return;
    }
    default:
      return;
  }
}

function checkLength(shape: Shape, length: number, path: string, value: unknown, errors: string[], sensitive: boolean): void {
  if (shape.min !== undefined && length < shape.min) fail(errors, path, value, sensitive, `Member must have length greater than or equal to ${shape.min}`);
  if (shape.max !== undefined && length > shape.max) fail(errors, path, value, sensitive, `Member must have length less than or equal to ${shape.max}`);
}
