/**
 * What an EventBridge target receives: InputPath (a piece of the event) and InputTransformer
 * (values picked by JSON paths, put into a template), as AWS builds them
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html,
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_InputTransformer.html,
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html). Pure.
 * docs/event-patterns.md#input-transformation.
 */

export interface InputTransformer {
  InputPathsMap?: Record<string, string>;
  InputTemplate: string;
}

/** AWS's ValidationException / InvalidInput message for a bad InputPath or InputTransformer. */
export class InputError extends Error {}

/** What a template's predefined variables stand for (the dispatcher knows them; the event does not). */
export interface TransformContext {
  ruleArn?: string;
  ruleName?: string;
  /** ISO 8601 time EventBridge received the event (default: the event's `time`) */
  ingestionTime?: string;
  /** the envelope's exact JSON text, for `<aws.events.event.json>` (default: the event serialized) */
  eventJson?: string;
}

/** " for target <id>" in messages (AWS names the target; callers without one get the bare text). */
const forTarget = (id: string) => (id ? ` for target ${id}` : '');

/** InputPathsMap may hold at most 100 paths (API_InputTransformer). */
export const MAX_INPUT_PATHS = 100;

const PREDEFINED = new Set(['aws.events.rule-arn', 'aws.events.rule-name', 'aws.events.event.ingestion-time', 'aws.events.event', 'aws.events.event.json']);
/** Keys: letters, digits, `_` and `-` (the model's InputTransformerPathKey); "AWS." is reserved. */
const KEY = /^[A-Za-z0-9_-]+$/;

type Step = { key: string } | { index: number };

/**
 * A JSON path in dot notation: `$`, `$.detail`, `$.detail.instance-id`, with `[n]` array indexes
 * (API_InputTransformer: "You must use JSON dot notation, not bracket notation"). Undefined when
 * the path is not one.
 */
function parsePath(path: string): Step[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const steps: Step[] = [];
  let i = 1;
  while (i < path.length) {
    if (path[i] === '.') {
      let j = i + 1;
      while (j < path.length && path[j] !== '.' && path[j] !== '[') j++;
      const key = path.slice(i + 1, j);
      if (!key || /[\]\s'"*]/.test(key)) return undefined;
      steps.push({ key });
      i = j;
    } else if (path[i] === '[') {
      const m = /^\[(\d+)\]/.exec(path.slice(i));
      if (!m) return undefined;
      steps.push({ index: Number(m[1]) });
      i += m[0].length;
    } else {
      return undefined;
    }
  }
  return steps;
}

function select(steps: Step[], event: unknown): { found: true; value: unknown } | { found: false } {
  let v: unknown = event;
  for (const s of steps) {
    if ('key' in s) {
      if (typeof v !== 'object' || v === null || Array.isArray(v) || !Object.hasOwn(v, s.key)) return { found: false };
      v = (v as Record<string, unknown>)[s.key];
    } else {
      if (!Array.isArray(v) || s.index >= v.length) return { found: false };
      v = v[s.index];
    }
  }
  return { found: true, value: v };
}

export function checkInputPath(path: string, targetId = ''): void {
  if (!parsePath(path)) throw new InputError(`Invalid InputPath${forTarget(targetId)}.`);
}

/** The placeholders of a template, in order: `<name>` (any text between `<` and the next `>`). */
function placeholders(template: string): { start: number; end: number; name: string }[] {
  const out: { start: number; end: number; name: string }[] = [];
  const re = /<([^<>]*)>/g;
  for (let m = re.exec(template); m; m = re.exec(template)) out.push({ start: m.index, end: m.index + m[0].length, name: m[1] as string });
  return out;
}

/** A template that is JSON (an object, array or string): its placeholders obey JSON quoting. */
const isJsonTemplate = (template: string) => /^\s*[{["]/.test(template);

/** For each placeholder, is it inside a JSON string of the template? */
function insideQuotes(template: string, spots: { start: number }[]): boolean[] {
  const out: boolean[] = [];
  let inString = false;
  let k = 0;
  for (let i = 0; i < template.length && k < spots.length; i++) {
    if (i === (spots[k] as { start: number }).start) {
      out.push(inString);
      k++;
    }
    const c = template[i];
    if (inString && c === '\\') i++;
    else if (c === '"') inString = !inString;
  }
  while (out.length < spots.length) out.push(inString);
  return out;
}

export function checkInputTransformer(t: InputTransformer, targetId = ''): void {
  const map = t.InputPathsMap ?? {};
  const keys = Object.keys(map);
  if (keys.length > MAX_INPUT_PATHS) throw new InputError(`InputPathsMap${forTarget(targetId)} has more than ${MAX_INPUT_PATHS} entries.`);
  for (const key of keys) {
    if (!KEY.test(key) || key.toLowerCase().startsWith('aws.')) throw new InputError(`InputPathsMap${forTarget(targetId)} contains invalid key ${key}.`);
    if (!parsePath(map[key] as string)) throw new InputError(`InputPathsMap${forTarget(targetId)} contains invalid path ${map[key]}.`);
  }
  const spots = placeholders(t.InputTemplate);
  for (const { name } of spots) {
    if (!Object.hasOwn(map, name) && !PREDEFINED.has(name)) throw new InputError(`InputTemplate${forTarget(targetId)} contains invalid placeholder ${name}.`);
  }
  if (/^\s*[{[]/.test(t.InputTemplate)) {
    // an object or array template must be JSON once its placeholders are filled in
    const quoted = insideQuotes(t.InputTemplate, spots);
    const sample = fill(t.InputTemplate, spots, (i) => (quoted[i] ? 'x' : 'null'));
    try {
      JSON.parse(sample);
    } catch {
      throw new InputError(`InputTemplate${forTarget(targetId)} is not a valid JSON text.`);
    }
  }
}

function fill(template: string, spots: { start: number; end: number }[], value: (i: number) => string): string {
  let out = '';
  let at = 0;
  spots.forEach((s, i) => {
    out += template.slice(at, s.start) + value(i);
    at = s.end;
  });
  return out + template.slice(at);
}

/** The event's JSON text as the target receives it for InputPath (the whole event for `$`). */
export function applyInputPath(path: string, event: unknown): string {
  const steps = parsePath(path);
  const picked = steps ? select(steps, event) : { found: false as const };
  // a path that is not in the event gives JSON null (docs/event-patterns.md#input-transformation)
  return picked.found ? (JSON.stringify(picked.value) ?? 'null') : 'null';
}

/**
 * Fills the template. Outside a JSON string a value goes in as JSON (a string with its quotes);
 * inside one, a string goes in as its characters (escaped for JSON), any other value as its JSON
 * text, escaped likewise. `<aws.events.event>` and `<aws.events.event.json>` go in as JSON
 * unescaped ("its contents are not escaped"). In a plain-text template, strings go in bare. A path
 * missing from the event gives `null` outside quotes and nothing inside them.
 */
export function transformInput(t: InputTransformer, event: unknown, context: TransformContext = {}): string {
  const map = t.InputPathsMap ?? {};
  const spots = placeholders(t.InputTemplate);
  const json = isJsonTemplate(t.InputTemplate);
  const quoted = insideQuotes(t.InputTemplate, spots);
  return fill(t.InputTemplate, spots, (i) => {
    const { name } = spots[i] as { name: string };
    const inside = json && (quoted[i] as boolean);
    if (name === 'aws.events.event.json') return context.eventJson ?? JSON.stringify(event);
    if (name === 'aws.events.event') return JSON.stringify(withoutDetail(event));
    let picked: { found: true; value: unknown } | { found: false };
    if (name === 'aws.events.rule-arn') picked = { found: true, value: context.ruleArn ?? '' };
    else if (name === 'aws.events.rule-name') picked = { found: true, value: context.ruleName ?? '' };
    else if (name === 'aws.events.event.ingestion-time') picked = { found: true, value: context.ingestionTime ?? timeOf(event) };
    else {
      const steps = parsePath(map[name] ?? '');
      picked = steps ? select(steps, event) : { found: false };
    }
    if (!picked.found) return json && !inside ? 'null' : '';
    const v = picked.value;
    if (!json) return typeof v === 'string' ? v : (JSON.stringify(v) ?? '');
    const text = JSON.stringify(v) ?? 'null';
    if (!inside) return text;
    return typeof v === 'string' ? text.slice(1, -1) : JSON.stringify(text).slice(1, -1);
  });
}

function timeOf(event: unknown): string {
  const time = typeof event === 'object' && event !== null ? (event as Record<string, unknown>).time : undefined;
  return typeof time === 'string' ? time : '';
}

/** `<aws.events.event>`: the envelope without `detail`, its `detail-type` named `detailType` (as AWS renders it). */
function withoutDetail(event: unknown): unknown {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return event;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(event)) if (k !== 'detail') out[k === 'detail-type' ? 'detailType' : k] = v;
  return out;
}
