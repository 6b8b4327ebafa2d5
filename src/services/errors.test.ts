/**
 * Each operation raises only the errors its model lists for it (model.generated.ts OPERATION_ERRORS,
 * which includes the exceptions scripts/model-patches.ts EXTRA_ERRORS lists with their reasons) and the
 * errors common to its protocol (errors/model-errors.ts). The check reads the service's source:
 * from each operation's definition it follows the names of the service's own functions and constants,
 * file by file, to the error helpers of errors.ts (called here to learn their codes) and to errors
 * built in place (`new AwsError('Code'`). An over-approximation: a helper reached on any path counts.
 * Not followed: errors raised outside the service's directory, and S3's object-store failures
 * (errors.ts fromStore), which are common S3 errors anyway.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { AwsError } from '../errors/aws-error.ts';
import { COMMON_ERRORS } from '../errors/model-errors.ts';

const SERVICES = {
  codestar: 'json',
  cloudtrail: 'json',
  iam: 'query',
  sts: 'query',
  s3: 'rest-xml',
  sqs: 'json',
  sns: 'query',
  logs: 'json',
  organizations: 'json',
  events: 'json',
  cloudwatch: 'query',
} as const;
/**
 * Errors a service documents as common to all its actions beyond its protocol's: SQS's
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/CommonErrors.html).
 */
const SERVICE_COMMON: Partial<Record<keyof typeof SERVICES, readonly string[]>> = {
  sqs: ['InvalidParameterValue', 'MissingParameter'],
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CommonErrors.html
  cloudwatch: ['InvalidParameterCombination', 'InvalidParameterValue', 'MissingParameter', 'ValidationError', 'ValidationException'],
};

/** Top-level declarations of a module: name → source text (a name may be declared in several files). */
function declarations(texts: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const text of texts) {
    const lines = text.split('\n');
    let name: string | undefined;
    let body: string[] = [];
    const flush = () => {
      if (name) out.set(name, [...(out.get(name) ?? []), body.join('\n')]);
    };
    for (const line of lines) {
      const m = /^(?:export )?(?:async )?(?:function|const|let|class) (\w+)/.exec(line);
      if (m || /^(?:export )?(?:type|interface|import) /.test(line)) {
        flush();
        name = m?.[1];
        body = [];
      }
      body.push(line);
    }
    flush();
  }
  return out;
}

/** The text of the `{ … }` that opens at `start`. */
function block(text: string, start: number): string {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  return text.slice(start);
}

/** The definition of `op` in the service's modules: its object literal, or what it is an alias of (`ops.put`). */
function definitionOf(op: string, texts: string[], decls: Map<string, string[]>): string {
  for (const text of texts) {
    const m = new RegExp(`^\\s+${op}: (\\{|([\\w.]+),)`, 'm').exec(text);
    if (!m) continue;
    if (m[1] === '{') return block(text, m.index + m[0].length - 1);
    const [base, step] = m[2]!.split('.');
    if (!step) return m[2]!;
    // `user.attach`: the `attach: {` of the factory `user` was made by
    for (const body of decls.get(base!) ?? []) {
      for (const id of names(body)) {
        for (const factory of decls.get(id) ?? []) {
          const s = new RegExp(`^\\s+${step}: \\{`, 'm').exec(factory);
          if (s) return block(factory, s.index + s[0].length - 1);
        }
      }
    }
  }
  throw new Error(`no definition of ${op}`);
}

/** Identifiers used (not property names or object keys), outside comments (a URL's path is not a call). */
function names(text: string): Set<string> {
  const out = new Set<string>();
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(?<![:'"`])\/\/.*$/gm, '');
  for (const m of code.matchAll(/(?<![.\w$'"`])([A-Za-z_$][\w$]*)(?!\s*:[^:])/g)) out.add(m[1]!);
  return out;
}

/** Codes of the errors errors.ts makes: each exported helper, called with placeholder arguments. */
async function helperCodes(service: string): Promise<Map<string, string>> {
  const mod = (await import(`./${service}/errors.ts`)) as Record<string, unknown>;
  const out = new Map<string, string>();
  for (const [name, fn] of Object.entries(mod)) {
    if (typeof fn !== 'function') continue;
    try {
      const e = (fn as (...a: unknown[]) => unknown)('x', 'x', 'x', 'x');
      if (e instanceof AwsError) out.set(name, e.code);
      if (e instanceof Promise) e.catch(() => undefined);
    } catch {
      /* not a helper */
    }
  }
  return out;
}

const BUILT = /new (?:AwsError|S3Error)\(\s*'(\w+)'|\b(?:err|e|iam|sts|modelled)\('(\w+)'/g;

/** Every error code reachable from `text` through the service's own declarations. */
function reachable(text: string, decls: Map<string, string[]>, helpers: Map<string, string>, seen = new Set<string>()): Set<string> {
  const codes = new Set<string>();
  for (const m of text.matchAll(BUILT)) codes.add((m[1] ?? m[2])!);
  for (const id of names(text)) {
    const code = helpers.get(id);
    if (code) {
      codes.add(code);
      continue;
    }
    if (seen.has(id) || !decls.has(id)) continue;
    seen.add(id);
    for (const body of decls.get(id)!) {
      if (/^\s+readOnly:/m.test(body)) continue; // another table of operations
      for (const c of reachable(body, decls, helpers, seen)) codes.add(c);
    }
  }
  return codes;
}

for (const [service, protocol] of Object.entries(SERVICES)) {
  test(`${service}: every operation raises only the errors its model lists (or common ones)`, async () => {
    const dir = new URL(`./${service}/`, import.meta.url);
    // the service's modules, in its folder and below it (cloudtrail/lake/)
    const files = (readdirSync(dir, { recursive: true }) as string[]).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'errors.ts' && f !== 'testing.ts' && !f.includes('generated'),
    );
    const texts = files.map((f) => readFileSync(new URL(f, dir), 'utf8'));
    const decls = declarations(texts);
    const helpers = await helperCodes(service);
    const { OPERATION_ERRORS } = (await import(`./${service}/model.generated.ts`)) as { OPERATION_ERRORS: Record<string, readonly string[]> };
    const problems: string[] = [];
    for (const [op, listed] of Object.entries(OPERATION_ERRORS)) {
      const allowed = new Set([...listed, ...COMMON_ERRORS[protocol], ...(SERVICE_COMMON[service as keyof typeof SERVICES] ?? [])]);
      const raised = reachable(definitionOf(op, texts, decls), decls, helpers);
      const extra = [...raised].filter((c) => !allowed.has(c)).sort();
      if (extra.length) problems.push(`${op}: ${extra.join(', ')}`);
    }
    assert.deepEqual(problems, []);
  });
}

test("the check follows helpers through the service's own functions to the error they make", () => {
  const texts = [
    'export const ops = {\n  GetThing: {\n    async handler(input, ctx) { return load(ctx, input.id); },\n  },\n};',
    "async function load(ctx, id) {\n  if (!id) throw thingNotFound(id);\n  return deep();\n}\nconst deep = () => { throw new AwsError('DeepException', 'x'); };",
  ];
  const decls = declarations(texts);
  const codes = reachable(definitionOf('GetThing', texts, decls), decls, new Map([['thingNotFound', 'ThingNotFoundException']]));
  assert.deepEqual([...codes].sort(), ['DeepException', 'ThingNotFoundException']);
});
