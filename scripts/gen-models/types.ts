/**
 * The TypeScript half of gen-models: from a compact model, one module of types per service — an
 * interface per structure, a string-literal union per enum, and per served operation its input,
 * output and the wire codes of its modelled errors — plus the errors' HTTP status and fault.
 * Scalars are inlined as the protocol decoders produce them and the encoders accept them:
 * timestamps are Date, blobs Buffer, lists arrays, maps records.
 */
type Json = Record<string, any>;

/** Names a generated declaration may not take: they are used by the generated code itself. */
const RESERVED = new Set([
  'Date',
  'Buffer',
  'Record',
  'Array',
  'Readonly',
  'Operations',
  'Input',
  'Output',
  'ErrorCode',
  'OperationName',
  'ERRORS',
  'OPERATION_ERRORS',
]);

const key = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name));

export interface ErrorInfo {
  code: string;
  status: number;
  fault: 'Sender' | 'Receiver';
  /** JSON services compatible with Query (SQS): the code a Query client sees (x-amzn-query-error) */
  queryCode?: string;
}

/** Wire code, HTTP status and fault of an error shape (awsQueryError / httpStatusCode; 400 and Sender by default). */
export function errorInfo(shapeName: string, shape: Json): ErrorInfo {
  const status: number = shape.error?.httpStatusCode ?? 400;
  const fault = shape.error?.senderFault || status < 500 ? 'Sender' : 'Receiver';
  return { code: shape.error?.code ?? shapeName, status, fault, ...(shape.error?.queryCode ? { queryCode: shape.error.queryCode } : {}) };
}

export function emitTypes(service: string, model: Json, looseEnums: Set<string>, extraErrors: Record<string, { errors: string[] }> = {}): string {
  const shapes: Record<string, Json> = model.shapes;
  const typeName = (name: string) => (RESERVED.has(name) ? `${name}Shape` : name);
  const declared = new Set<string>();

  const ref = (name: string): string => {
    const s = shapes[name];
    if (!s) throw new Error(`${service}: missing shape ${name}`);
    switch (s.type) {
      case 'structure':
        declared.add(name);
        return typeName(name);
      case 'list':
        return `${wrap(ref(s.member.shape))}[]`;
      case 'map':
        return `Record<string, ${ref(s.value.shape)}>`;
      case 'string':
        if (s.enum && !looseEnums.has(name)) {
          declared.add(name);
          return typeName(name);
        }
        return 'string';
      case 'boolean':
        return 'boolean';
      case 'integer':
      case 'long':
      case 'double':
      case 'float':
        return 'number';
      case 'timestamp':
        return 'Date';
      case 'blob':
        return 'Buffer';
      default:
        throw new Error(`${service}: shape ${name} has type ${s.type}`);
    }
  };
  const wrap = (t: string) => (t.includes(' ') ? `(${t})` : t);

  const ops: string[] = [];
  const opErrors: string[] = [];
  const codes = new Map<string, ErrorInfo>();
  for (const [op, def] of Object.entries<Json>(model.operations)) {
    const errs = (def.errors as string[]).map((e) => {
      const info = errorInfo(e, shapes[e]!);
      codes.set(info.code, info);
      return info.code;
    });
    for (const code of extraErrors[op]?.errors ?? []) {
      if (![...codes.values()].some((c) => c.code === code) && !Object.entries(shapes).some(([n, s]) => s.exception && errorInfo(n, s).code === code))
        throw new Error(`${service}: ${op}: ${code} is no error of the model`);
      errs.push(code);
    }
    const union = errs.length ? [...new Set(errs)].map((c) => `'${c}'`).join(' | ') : 'never';
    ops.push(`  ${op}: { input: ${def.input ? ref(def.input) : 'NoMembers'}; output: ${def.output ? ref(def.output) : 'NoMembers'}; errors: ${union} };`);
    opErrors.push(`  ${op}: [${[...new Set(errs)].map((c) => `'${c}'`).join(', ')}],`);
  }

  // declarations, reached from the operations (in the order of the sorted shape table)
  const body: string[] = [];
  const done = new Set<string>();
  while (declared.size > done.size) {
    for (const name of Object.keys(shapes)) {
      if (!declared.has(name) || done.has(name)) continue;
      done.add(name);
      const s = shapes[name]!;
      if (s.type === 'string') {
        body.push(`export type ${typeName(name)} = ${(s.enum as string[]).map((v) => `'${v}'`).join(' | ')};`);
        continue;
      }
      const required = new Set<string>(s.required ?? []);
      const members = Object.entries<Json>(s.members ?? {}).map(([m, r]) => `  ${key(m)}${required.has(m) ? '' : '?'}: ${ref(r.shape)};`);
      body.push(members.length ? `export interface ${typeName(name)} {\n${members.join('\n')}\n}` : `export type ${typeName(name)} = NoMembers;`);
    }
  }
  body.sort((a, b) => declName(a).localeCompare(declName(b)));

  for (const [n, s] of Object.entries(shapes))
    if (s.exception && !codes.has(errorInfo(n, s).code) && Object.values(extraErrors).some((x) => x.errors.includes(errorInfo(n, s).code)))
      codes.set(errorInfo(n, s).code, errorInfo(n, s));
  const errors = [...codes.values()].sort((a, b) => a.code.localeCompare(b.code));
  return [
    `/**`,
    ` * Generated by scripts/gen-models.ts (npm run gen:models) from the AWS API model of ${model.metadata.serviceId} ${model.metadata.apiVersion}`,
    ` * and scripts/model-patches.ts. Do not edit: change the generator or the patches and regenerate.`,
    ` */`,
    ``,
    `/** A shape without members (or an operation without input or output). */`,
    `export type NoMembers = Record<string, never>;`,
    ``,
    ...body.flatMap((d) => [d, '']),
    `/** Every served operation: its input, output and the wire codes of the errors its model lists. */`,
    `export interface Operations {`,
    ...ops,
    `}`,
    ``,
    `export type OperationName = keyof Operations;`,
    `export type Input<O extends OperationName> = Operations[O]['input'];`,
    `export type Output<O extends OperationName> = Operations[O]['output'];`,
    `export type ErrorCode = ${errors.length ? errors.map((e) => `'${e.code}'`).join(' | ') : 'never'};`,
    ``,
    `/** The modelled errors: wire code, HTTP status and fault. */`,
    `export const ERRORS = {`,
    ...errors.map(
      (e) => `  ${key(e.code)}: { code: '${e.code}', status: ${e.status}, fault: '${e.fault}'${e.queryCode ? `, queryCode: '${e.queryCode}'` : ''} },`,
    ),
    `} as const;`,
    ``,
    `/** The errors each operation's model lists (wire codes), with the ones scripts/model-patches.ts adds. */`,
    `export const OPERATION_ERRORS: { readonly [O in OperationName]: readonly ErrorCode[] } = {`,
    ...opErrors,
    `};`,
    ``,
  ].join('\n');
}

function declName(decl: string): string {
  return /^export (?:type|interface) (\w+)/.exec(decl)![1]!;
}
