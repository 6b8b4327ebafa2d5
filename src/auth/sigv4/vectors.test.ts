/** Runs all 76 official aws-c-auth SigV4 vectors (38 cases × header/query) through the verifier; the data is
 * read from the reference data directory (src/reference-data.ts), never copied. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { SIGV4_VECTORS_DIR } from '../../reference-data.ts';
import { stringToSign } from './canonical.ts';
import { canonicalRequest, checkRequestTime, parseSigV4, SigV4Error, verifySignature, type SignedRequest } from './index.ts';

const ROOT = SIGV4_VECTORS_DIR + '/';

interface Context {
  credentials: { access_key_id: string; secret_access_key: string; token?: string };
  normalize: boolean;
  timestamp: string;
  expiration_in_seconds: number;
  omit_session_token?: boolean;
}

/**
 * The vector files are pseudo-HTTP: `METHOD <target> HTTP/1.1`, `Name:value` headers (a line starting
 * with whitespace continues the previous value, obs-fold → one space), a blank line, the body. Repeated
 * header names become arrays (as node's `headersDistinct` gives them).
 *
 * Path: in non-S3 mode the canonical URI is the escaping of the *received* path, so the target is fed
 * exactly as written (README "Feed the parsed pieces straight into the canonicaliser"). In S3 mode the
 * canonical URI *is* the received path; a raw space cannot be on the wire (node answers 400), a client
 * sends `%20`, so for S3 cases bytes outside visible ASCII are percent-encoded as a client would
 * (this only changes get-space-unnormalized).
 */
function parseVectorRequest(text: string, s3: boolean): SignedRequest {
  const blank = text.indexOf('\n\n');
  const [requestLine = '', ...lines] = text.slice(0, blank).split('\n');
  const method = requestLine.slice(0, requestLine.indexOf(' '));
  let target = requestLine.slice(method.length + 1, requestLine.lastIndexOf(' '));
  if (s3) target = target.replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c));
  const q = target.indexOf('?');
  const headers: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  let last: string[] | undefined;
  for (const line of lines) {
    if (/^[ \t]/.test(line) && last) {
      last[last.length - 1] += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).toLowerCase();
    last = headers[name] ??= [];
    last.push(line.slice(colon + 1));
  }
  return {
    method,
    rawPath: q < 0 ? target : target.slice(0, q),
    rawQuery: q < 0 ? '' : target.slice(q + 1),
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.length === 1 ? v[0] : v])),
    body: Buffer.from(text.slice(blank + 2), 'utf8'),
  };
}

const flip = (s: string): string => (s[0] === 'a' ? 'b' : 'a') + s.slice(1);
// No vector is skipped: every case applies to a server verifier in both variants.
const SKIP = new Set<string>([]);

for (const name of readdirSync(ROOT).sort()) {
  const dir = `${ROOT}${name}/`;
  const read = (file: string) => readFileSync(dir + file, 'utf8');
  const ctx = JSON.parse(read('context.json')) as Context;
  const s3 = !ctx.normalize;
  for (const variant of ['header', 'query'] as const) {
    test(`vector ${name} (${variant})`, { skip: SKIP.has(`${name}/${variant}`) }, async () => {
      const req = parseVectorRequest(read(`${variant}-signed-request.txt`), s3);
      const auth = parseSigV4(req);
      assert.equal(auth.kind, variant);
      assert.equal(auth.accessKeyId, ctx.credentials.access_key_id);
      assert.equal(auth.securityToken, ctx.credentials.token);
      if (variant === 'query') assert.equal(auth.expiresSeconds, ctx.expiration_in_seconds);
      checkRequestTime(auth, new Date(ctx.timestamp));

      // post-sts-header-after (query): token appended after presigning, so it is not in the canonical query.
      const unsignedQueryToken = variant === 'query' && ctx.omit_session_token === true;
      // aws-c-auth hashes the (empty) body for presigned requests; S3 clients send UNSIGNED-PAYLOAD. The
      // verifier accepts both for S3 presigned, here we pick the one this vector used.
      const presignedBodyHash = variant === 'query' && s3;
      const canonical = canonicalRequest(req, auth, { s3, unsignedQueryToken, presignedBodyHash });
      assert.equal(canonical, read(`${variant}-canonical-request.txt`));
      assert.equal(await stringToSign(auth, canonical), read(`${variant}-string-to-sign.txt`));
      assert.equal(auth.signature, read(`${variant}-signature.txt`));

      await verifySignature(req, auth, ctx.credentials.secret_access_key, { s3 });
      await assert.rejects(
        verifySignature(req, auth, flip(ctx.credentials.secret_access_key), { s3 }),
        (e) => e instanceof SigV4Error && e.kind === 'signature',
      );
    });
  }
}
