/**
 * Console sessions across nodes: two startrail nodes on one database — one data dir on SQLite, one
 * schema on PostgreSQL; each backend runs here whatever STARTRAIL_E2E_BACKEND says — signed in through
 * node A with the console's own sign-in form post, the session cookie and its CSRF token work on node
 * B; a restart of A keeps the session; signing out on B ends it on A too. Driven with plain fetch, as
 * the console's pages do; what the console did is checked with the official SDK.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CodeStarClient, DescribeProjectCommand } from '@aws-sdk/client-codestar';
import { startServer, type Credentials, type TestServer } from './helpers/server.ts';
import { sdkConfig } from './helpers/clients.ts';

/** A console API request as the console's pages send it: JSON, the session cookie, the CSRF token. */
async function consoleApi(
  endpoint: string,
  path: string,
  o: { cookie?: string; csrf?: string; body?: unknown } = {},
): Promise<{ status: number; body: any; setCookie: string | null }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (o.cookie) headers.cookie = o.cookie;
  if (o.csrf) headers['x-csrf-token'] = o.csrf;
  const r = await fetch(`${endpoint}/console/api/${path}`, o.body === undefined ? { headers } : { method: 'POST', headers, body: JSON.stringify(o.body) });
  return { status: r.status, body: await r.json(), setCookie: r.headers.get('set-cookie') };
}

async function signIn(endpoint: string, c: Credentials): Promise<{ cookie: string; csrf: string; body: any }> {
  const r = await consoleApi(endpoint, 'signin', { body: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const cookie = /^(startrail_console=[A-Za-z0-9_-]{43});/.exec(r.setCookie ?? '')?.[1];
  assert.ok(cookie, `a session cookie: ${r.setCookie}`);
  return { cookie, csrf: r.body.csrfToken, body: r.body };
}

/** Starts a node on the chosen backend (the helper reads STARTRAIL_E2E_BACKEND when it starts one). */
async function startOn(backend: 'sqlite' | 'postgres'): Promise<TestServer> {
  const saved = process.env.STARTRAIL_E2E_BACKEND;
  if (backend === 'postgres') process.env.STARTRAIL_E2E_BACKEND = 'postgres';
  else delete process.env.STARTRAIL_E2E_BACKEND;
  try {
    return await startServer();
  } finally {
    if (saved === undefined) delete process.env.STARTRAIL_E2E_BACKEND;
    else process.env.STARTRAIL_E2E_BACKEND = saved;
  }
}

for (const backend of ['sqlite', 'postgres'] as const) {
  test(`${backend}: a console session made on node A works on node B, survives A's restart, and ends everywhere on sign-out`, async () => {
    const a = await startOn(backend);
    const b = await a.startSibling({});
    try {
      assert.equal(!!a.env.STARTRAIL_DATABASE_SCHEMA, backend === 'postgres', `node A runs on ${backend}`);
      const rootArn = 'arn:aws:iam::000000000000:root';
      const session = await signIn(a.endpoint, a.root);
      assert.equal(session.body.identity.arn, rootArn);
      assert.match(session.csrf, /^[A-Za-z0-9_-]{43}$/);

      // node B knows the session: who is signed in, the same CSRF token, the same ends
      const onB = await consoleApi(b.endpoint, 'session', { cookie: session.cookie });
      assert.equal(onB.status, 200);
      assert.equal(onB.body.signedIn, true, 'node B knows the session');
      assert.deepEqual(
        {
          signedIn: onB.body.signedIn,
          arn: onB.body.identity.arn,
          userName: onB.body.identity.userName,
          csrf: onB.body.csrfToken,
          expiresAt: onB.body.expiresAt,
        },
        { signedIn: true, arn: rootArn, userName: 'root', csrf: session.csrf, expiresAt: session.body.expiresAt },
      );

      // …and acts with it: a project created through B's console, then listed through B
      const created = await consoleApi(b.endpoint, 'call/codestar/CreateProject', {
        cookie: session.cookie,
        csrf: session.csrf,
        body: { id: 'shared-session', name: 'Made on B' },
      });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      assert.equal(created.body.id, 'shared-session');
      const described = await new CodeStarClient(sdkConfig(a.endpoint, a.root)).send(new DescribeProjectCommand({ id: 'shared-session' }));
      assert.equal(described.name, 'Made on B');
      const listed = await consoleApi(b.endpoint, 'call/codestar/ListProjects', { cookie: session.cookie, csrf: session.csrf, body: {} });
      assert.deepEqual(
        listed.body.projects.map((p: { projectId: string }) => p.projectId),
        ['shared-session'],
      );
      const wrongToken = await consoleApi(b.endpoint, 'call/codestar/ListProjects', { cookie: session.cookie, csrf: 'x'.repeat(43), body: {} });
      assert.deepEqual([wrongToken.status, wrongToken.body.code], [403, 'InvalidCsrfToken']);

      // a restart of A keeps the session
      await a.restart();
      const afterRestart = await consoleApi(a.endpoint, 'call/sts/GetCallerIdentity', { cookie: session.cookie, csrf: session.csrf, body: {} });
      assert.equal(afterRestart.status, 200, JSON.stringify(afterRestart.body));
      assert.equal(afterRestart.body.Arn, rootArn);

      // signing out on B ends the session on A as well
      const out = await consoleApi(b.endpoint, 'signout', { cookie: session.cookie, csrf: session.csrf, body: {} });
      assert.equal(out.status, 200);
      assert.equal(out.body.signedIn, false);
      assert.match(out.setCookie ?? '', /^startrail_console=; .*Max-Age=0$/);
      const onA = await consoleApi(a.endpoint, 'session', { cookie: session.cookie });
      assert.equal(onA.body.signedIn, false);
      assert.match(onA.setCookie ?? '', /Max-Age=0$/, 'A clears the stale cookie');
      const refused = await consoleApi(a.endpoint, 'call/codestar/ListProjects', { cookie: session.cookie, csrf: session.csrf, body: {} });
      assert.deepEqual([refused.status, refused.body.code], [401, 'SessionExpired']);
    } finally {
      await b.stop();
      await a.dispose();
    }
  });
}
