/**
 * An in-process harness for pipeline tests: the real services and pipeline (`handle()`) on an
 * in-memory SQLite store and a temporary object store, no HTTP server and no port. Requests are
 * signed with @smithy/signature-v4, the signer inside the AWS SDKs, so authentication is exercised
 * exactly as with a real client; `send` can also leave a request unsigned, presign it, sign it for
 * another time, region or service, or alter it after signing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { XMLParser } from 'fast-xml-parser';
import { randomIds } from '../ids.ts';
import { EmbeddedObjectStore, type ObjectStore } from '../objects/index.ts';
import { allServices } from '../services/index.ts';
import type { ServiceDef } from '../services/types.ts';
import { SecretBox } from '../store/secret-box.ts';
import { openSqliteStore } from '../store/sqlite/open.ts';
import type { Store } from '../store/types.ts';
import type { HttpRequest } from './call.ts';
import { handle, type PipelineDeps } from './index.ts';
import { indexServices } from './resolve.ts';

export const ACCOUNT = '000000000000';
const HOST = 'startrail.test';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SendOptions {
  /** SigV4 signing name (scope service): codestar, cloudtrail, iam, sts, s3 */
  service: string;
  method?: string;
  path?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** default: the root key; null sends the request unsigned */
  credentials?: Credentials | null;
  region?: string;
  /** sign as of this time (default: the harness clock) */
  signingDate?: Date;
  /** presign (credentials in the query string) valid for this many seconds */
  presign?: number;
  /** change the signed request before it is sent (a tampered body, a dropped header, …) */
  tamper?: (req: HttpRequest) => HttpRequest;
  /** what the HTTP edge would set for a body over its limit */
  bodyTooLarge?: boolean;
}

export interface Reply {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** the body's bytes (CBOR replies) */
  raw: Buffer;
  /** the JSON body */
  json(): any;
  /** the XML body, parsed (values as strings) */
  xml(): any;
}

export interface Harness {
  store: Store;
  /** the embedded object store S3 serves */
  objects: ObjectStore;
  deps: PipelineDeps;
  root: Credentials;
  /** the time the pipeline sees; `advance` moves it */
  now(): Date;
  advance(ms: number): void;
  /** log lines the pipeline wrote */
  logs: { msg: string; fields?: Record<string, unknown> }[];
  send(o: SendOptions): Promise<Reply>;
  /** One JSON 1.1 call (CodeStar, CloudTrail). */
  json(service: 'codestar' | 'cloudtrail', operation: string, input?: unknown, o?: Partial<SendOptions>): Promise<Reply>;
  /** One Query call (IAM, STS); `params` are the form's flattened parameters besides Action and Version. */
  query(service: 'iam' | 'sts', action: string, params?: Record<string, string>, o?: Partial<SendOptions>): Promise<Reply>;
  /** A new IAM user with an access key, made through IAM; `policy` (a document) becomes its inline policy. */
  user(name: string, policy?: object): Promise<Credentials>;
  /** The audit records committed so far (management and data events), oldest first, parsed. */
  records(): Promise<any[]>;
  close(): Promise<void>;
}

const TARGETS: Record<string, string> = { codestar: 'CodeStar_20170419', cloudtrail: 'CloudTrail_20131101' };
const VERSIONS: Record<string, string> = { iam: '2010-05-08', sts: '2011-06-15' };
const xml = new XMLParser({ parseTagValue: false, ignoreAttributes: true, trimValues: false });

/** RFC 3986 escaping, as SigV4 canonicalises query components. */
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export interface HarnessOptions {
  audit?: boolean;
  maxBodyBytes?: number;
  /** replace or add services (e.g. a stand-in speaking another protocol) */
  services?: (real: ServiceDef[]) => ServiceDef[];
  /** the store's events.append and appendAtCommit fail while this returns true */
  auditDown?: () => boolean;
  /** the store to serve from (e.g. store/testing.ts openTestStore('postgres')); default a new SQLite store in memory */
  store?: Store;
}

export async function harness(opts: HarnessOptions = {}): Promise<Harness> {
  const store = opts.store ?? (await openSqliteStore(':memory:', new SecretBox(randomBytes(32))));
  const dir = await mkdtemp(join(tmpdir(), 'startrail-pipeline-'));
  const objects = await EmbeddedObjectStore.open(join(dir, 'objects'));
  if (opts.auditDown) {
    const down = opts.auditDown;
    const wrap = (s: Store) => {
      const append = s.events.append.bind(s.events);
      const appendAtCommit = s.events.appendAtCommit.bind(s.events);
      s.events.append = async (records) => {
        if (down()) throw new Error('audit store down');
        return append(records);
      };
      s.events.appendAtCommit = async (records) => {
        if (down()) throw new Error('audit store down');
        return appendAtCommit(records);
      };
    };
    wrap(store);
    const transaction = store.transaction.bind(store);
    store.transaction = (fn) =>
      transaction((tx) => {
        wrap(tx);
        return fn(tx);
      });
  }
  const real = allServices({ objects });
  const services = opts.services ? opts.services(real) : real;
  let offset = 0;
  const now = () => new Date(Date.now() + offset);
  const logs: Harness['logs'] = [];
  const deps: PipelineDeps = {
    store,
    services: new Map(services.map((s) => [s.name, s])),
    index: indexServices(services),
    config: { accountId: ACCOUNT, region: 'us-east-1', maxBodyBytes: opts.maxBodyBytes ?? 1 << 20, publicUrl: 'http://127.0.0.1:4600' },
    ids: randomIds,
    clock: now,
    audit: opts.audit ?? true,
    log: (msg, fields) => {
      logs.push({ msg, ...(fields ? { fields } : {}) });
    },
    trustedProxies: new Set(),
  };
  const root: Credentials = { accessKeyId: 'AKIAROOTROOTROOTROOT', secretAccessKey: 'rootsecretrootsecretrootsecretrootsecret' };
  await store.identities.putAccessKey({ ...root, userName: null, status: 'Active', createDate: now() });

  async function send(o: SendOptions): Promise<Reply> {
    const method = o.method ?? 'POST';
    const body = o.body ?? '';
    const headers = { host: HOST, ...o.headers };
    const query = o.query ?? {};
    const creds = o.credentials === undefined ? root : o.credentials;
    let signed: { headers: Record<string, string>; query?: Record<string, unknown> } = { headers, query };
    if (creds) {
      const signer = new SignatureV4({
        service: o.service,
        region: o.region ?? (o.service === 'codestar' || o.service === 'cloudtrail' || o.service === 'echo' ? 'eu-west-1' : 'us-east-1'),
        credentials: creds,
        sha256: Hash.bind(null, 'sha256'),
        uriEscapePath: o.service !== 's3',
      });
      const request = { method, protocol: 'http:', hostname: HOST, path: o.path ?? '/', query, headers, body };
      const signingDate = o.signingDate ?? now();
      signed =
        o.presign !== undefined
          ? await signer.presign(request, { signingDate, expiresIn: o.presign, unhoistableHeaders: new Set(['x-amz-target']) })
          : await signer.sign(request, { signingDate });
    }
    const rawQuery = Object.entries(signed.query ?? {})
      .map(([k, v]) => (v === '' ? rfc3986(k) : `${rfc3986(k)}=${rfc3986(String(v))}`))
      .join('&');
    const lower: Record<string, string> = {};
    for (const [k, v] of Object.entries(signed.headers)) lower[k.toLowerCase()] = v;
    let req: HttpRequest = {
      method,
      rawPath: o.path ?? '/',
      rawQuery,
      headers: lower,
      body: Buffer.from(body),
      remoteAddress: '127.0.0.1',
      ...(o.bodyTooLarge ? { bodyTooLarge: true } : {}),
    };
    if (o.tamper) req = o.tamper(req);
    const r = await handle(req, deps);
    const text = typeof r.body === 'string' ? r.body : r.body.toString('utf8');
    const raw = typeof r.body === 'string' ? Buffer.from(r.body, 'utf8') : r.body;
    return { status: r.status, headers: r.headers, text, raw, json: () => JSON.parse(text), xml: () => xml.parse(text) };
  }

  const h: Harness = {
    store,
    objects,
    deps,
    root,
    logs,
    now,
    advance: (ms) => {
      offset += ms;
    },
    send,
    json: (service, operation, input = {}, o = {}) =>
      send({
        service,
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${TARGETS[service]}.${operation}`, 'user-agent': 'harness' },
        body: JSON.stringify(input),
        ...o,
      }),
    query: (service, action, params = {}, o = {}) =>
      send({
        service,
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'user-agent': 'harness' },
        body: new URLSearchParams({ Action: action, Version: VERSIONS[service] ?? '', ...params }).toString(),
        ...o,
      }),
    async user(name, policy) {
      const created = await h.query('iam', 'CreateUser', { UserName: name });
      if (created.status !== 200) throw new Error(`CreateUser ${name}: ${created.text}`);
      if (policy) await h.query('iam', 'PutUserPolicy', { UserName: name, PolicyName: 'inline', PolicyDocument: JSON.stringify(policy) });
      const key = (await h.query('iam', 'CreateAccessKey', { UserName: name })).xml().CreateAccessKeyResponse.CreateAccessKeyResult.AccessKey;
      return { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
    },
    async records() {
      return (await store.trails.readEvents(0, await store.trails.lastEventSeq(), 10_000)).map((e) => JSON.parse(e.json));
    },
    async close() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return h;
}

/** An Allow statement document for `user`'s inline policy. */
export const allow = (action: string | string[], resource: string | string[] = '*') => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: action, Resource: resource }],
});
