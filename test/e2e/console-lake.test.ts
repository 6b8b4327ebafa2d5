/**
 * The console's Lake query page in a real browser (playwright-core + Debian's chromium, as
 * console.test.ts; docs/lake.md#queries, AWS's page: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-run-query.html):
 * pick an event data store, run a statement, see its status reach FINISHED and its rows a page at a
 * time, download every row as CSV, see an invalid statement's InvalidQueryStatementException, open a
 * recent query again, run every sample query, and cancel a query that waits (a node whose Lake round
 * interval is long, as lake.test.ts does). Rows are checked against GetQueryResults through the SDK.
 * The Lake loop runs every 50 ms, so records and queries move quickly; the page's own polling calls are
 * audited into the store too, so the statements here filter narrowly.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { IAMClient, CreateUserCommand } from '@aws-sdk/client-iam';
import { CloudTrailClient, CreateEventDataStoreCommand, DescribeQueryCommand, GetQueryResultsCommand, StartQueryCommand } from '@aws-sdk/client-cloudtrail';
import { CHROMIUM, signIn } from './helpers/browser.ts';
import { startServer, type TestServer } from './helpers/server.ts';
import { sdkConfig } from './helpers/clients.ts';

const SHOTS = new URL('./screenshots/', import.meta.url).pathname;
/** the users whose CreateUser calls the queries find: lake-user-01 … lake-user-12 */
const USERS = Array.from({ length: 12 }, (_, i) => `lake-user-${String(i + 1).padStart(2, '0')}`);

let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let ct: CloudTrailClient;
let store: string;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(what: string, f: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await f();
    if (v !== undefined) return v;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A statement through the SDK: its rows as strings, once FINISHED. */
async function sdkRows(sql: string): Promise<string[][]> {
  const { QueryId } = await ct.send(new StartQueryCommand({ QueryStatement: sql }));
  await until(`query ${QueryId}`, async () => {
    const d = await ct.send(new DescribeQueryCommand({ QueryId }));
    assert.notEqual(d.QueryStatus, 'FAILED', d.ErrorMessage);
    return d.QueryStatus === 'FINISHED' ? true : undefined;
  });
  const out = await ct.send(new GetQueryResultsCommand({ QueryId }));
  return (out.QueryResultRows ?? []).map((r) => r.map((c) => Object.values(c)[0] ?? ''));
}

async function shot(p: Page, name: string): Promise<void> {
  await p.evaluate(() => document.querySelector('.toasts')?.replaceChildren());
  await p.screenshot({ path: `${SHOTS}console-lake-${name}.png`, fullPage: true });
}

const statusText = () => page.locator('[data-fact="status"] dd').textContent();
/** waits until the shown query's status is `want` (failing at once on another final status) */
async function waitStatus(want: string): Promise<void> {
  await until(`status ${want}`, async () => {
    const s = (await page.locator('[data-fact="status"] dd').count()) ? await statusText() : '';
    if (s && s !== want && !['QUEUED', 'RUNNING'].includes(s)) assert.fail(`status ${s}, not ${want}: ${await page.locator('.lake-page').textContent()}`);
    return s === want ? true : undefined;
  });
}
/** the result table's cells, row by row */
const cells = () =>
  page
    .getByRole('table', { name: 'Result rows' })
    .locator('tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
const headers = () => page.getByRole('table', { name: 'Result rows' }).locator('thead th').allTextContents();

/** types `sql` into the editor and runs it: the new query's ID */
async function runStatement(sql: string): Promise<string> {
  await page.getByLabel('Query statement').fill(sql);
  return clickRun();
}

/** Run, then the new query's ID, once it replaces the one in the URL */
async function clickRun(): Promise<string> {
  const before = new URL(page.url()).searchParams.get('query');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.waitForFunction((b) => ![null, b].includes(new URLSearchParams(location.search).get('query')), before);
  return new URL(page.url()).searchParams.get('query')!;
}

/** POST /console/api/download/query-results through the page's own api.js (its session and CSRF token) */
const apiDownload = (queryId: unknown) =>
  page.evaluate(
    async ([id, module]) => {
      const api = await import(module as string);
      try {
        return { text: await (await api.downloadQueryResults(id)).text() };
      } catch (e) {
        return { error: (e as { code?: string }).code };
      }
    },
    [queryId, '/console/static/js/api.js'],
  );

const usersSql = () => `SELECT requestparameters['userName'] AS u FROM ${store} WHERE eventname = 'CreateUser' ORDER BY u`;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await startServer({ STARTRAIL_LAKE_INTERVAL_MS: '50' });
  ct = new CloudTrailClient(sdkConfig(server.endpoint, server.root));
  const eds = await ct.send(new CreateEventDataStoreCommand({ Name: 'console-lake' }));
  store = eds.EventDataStoreArn!.replace(/^.*\//, '');
  const iam = new IAMClient(sdkConfig(server.endpoint, server.root));
  for (const UserName of [...USERS].reverse()) await iam.send(new CreateUserCommand({ UserName }));
  // the store holds the 12 calls once a Lake round has copied them
  await until('the CreateUser records in the store', async () => {
    const rows = await sdkRows(`SELECT count(*) FROM ${store} WHERE eventname = 'CreateUser'`);
    return rows[0]?.[0] === '12' ? true : undefined;
  });
  browser = await chromium.launch(CHROMIUM);
  context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1360, height: 900 } });
  page = await context.newPage();
  page.on('pageerror', (e) => {
    console.error('page error:', e);
  });
  await signIn(page, server.endpoint, server.root);
});

after(async () => {
  await browser?.close();
  await server?.dispose();
});

let firstQuery: string;

test('the Lake page: the store picked, a statement run, FINISHED with its rows, paged 10 a page', async () => {
  await page.getByRole('link', { name: 'Lake query' }).click();
  await page.getByRole('heading', { name: 'Lake query', exact: true }).waitFor();
  const picker = page.getByLabel('Event data store', { exact: true });
  await picker.waitFor();
  assert.deepEqual(await picker.locator('option').allTextContents(), [`console-lake (${store})`]);
  await picker.selectOption(store);
  assert.equal(await picker.inputValue(), store);
  // the first sample is in the editor, for this store
  assert.match(await page.getByLabel('Query statement').inputValue(), new RegExp(`FROM ${store} `));
  // nothing runs yet: no Cancel, no pager, nothing to download
  assert.equal(await page.getByRole('button', { name: 'Cancel query' }).isVisible(), false);
  assert.equal(await page.locator('.pager').isVisible(), false);
  assert.equal(await page.getByRole('button', { name: 'Download CSV' }).isDisabled(), true);
  firstQuery = await runStatement(usersSql());
  await waitStatus('FINISHED');
  await page.getByRole('table', { name: 'Result rows' }).waitFor();
  assert.deepEqual(await headers(), ['u']);
  assert.deepEqual(
    await cells(),
    USERS.map((u) => [u]),
  );
  assert.equal(await page.locator('[data-fact="query-id"] dd').textContent(), firstQuery);
  assert.equal(await page.locator('[data-fact="matched"] dd').textContent(), '12');
  assert.equal(await page.locator('.pager .range').textContent(), 'Rows 1–12 of 12');
  assert.equal(await page.getByRole('button', { name: 'Next page' }).isDisabled(), true);
  assert.equal(await page.getByRole('button', { name: 'Cancel query' }).isVisible(), false, 'a FINISHED query cannot be cancelled');
  await shot(page, 'results');

  await page.getByLabel('Rows per page').selectOption('10');
  await page.waitForFunction(() => document.querySelectorAll('table.lake-results tbody tr').length === 10);
  assert.deepEqual(
    await cells(),
    USERS.slice(0, 10).map((u) => [u]),
  );
  assert.equal(await page.locator('.pager .range').textContent(), 'Rows 1–10 of 12');
  assert.equal(await page.getByRole('button', { name: 'Previous page' }).isDisabled(), true);
  await page.getByRole('button', { name: 'Next page' }).click();
  await page.locator('.pager .page-no', { hasText: 'Page 2' }).waitFor();
  await page.waitForFunction(() => document.querySelectorAll('table.lake-results tbody tr').length === 2);
  assert.deepEqual(await cells(), [[USERS[10]], [USERS[11]]]);
  assert.equal(await page.locator('.pager .range').textContent(), 'Rows 11–12 of 12');
  assert.equal(await page.getByRole('button', { name: 'Next page' }).isDisabled(), true);
  await page.getByRole('button', { name: 'Previous page' }).click();
  await page.locator('.pager .page-no', { hasText: 'Page 1' }).waitFor();
  assert.deepEqual(
    await cells(),
    USERS.slice(0, 10).map((u) => [u]),
  );
  // the same rows as GetQueryResults gives the SDK
  assert.deepEqual(
    await sdkRows(usersSql()),
    USERS.map((u) => [u]),
  );
});

test('Download CSV: every row of every page, a header of column names', async () => {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
  assert.equal(download.suggestedFilename(), `lake-query-${firstQuery}.csv`);
  const text = readFileSync((await download.path())!, 'utf8');
  assert.equal(text, `"u"\r\n${USERS.map((u) => `"${u}"\r\n`).join('')}`);
  // the route behind it answers AWS's error for a query that is not there, before any file
  assert.deepEqual(await apiDownload('01234567-89ab-cdef-0123-456789abcdef'), { error: 'QueryIdNotFoundException' });
  assert.deepEqual(await apiDownload(42), { error: 'ValidationException' });
});

test('a statement with several columns: the header and cells as GetQueryResults has them', async () => {
  const sql = `SELECT eventname, requestparameters['userName'] AS who, readonly FROM ${store} WHERE eventname = 'CreateUser' AND requestparameters['userName'] IN ('${USERS[0]}', '${USERS[1]}') ORDER BY who DESC`;
  await runStatement(sql);
  await waitStatus('FINISHED');
  await page.getByRole('table', { name: 'Result rows' }).waitFor();
  assert.deepEqual(await headers(), ['eventname', 'who', 'readonly']);
  assert.deepEqual(await cells(), [
    ['CreateUser', USERS[1], 'false'],
    ['CreateUser', USERS[0], 'false'],
  ]);
});

test('an invalid statement: InvalidQueryStatementException with its message, as the SDK gets it', async () => {
  const bad = `SELEKT eventname FROM ${store}`;
  const sdkError = await ct.send(new StartQueryCommand({ QueryStatement: bad })).then(
    () => assert.fail('StartQuery accepted an invalid statement'),
    (e: Error) => e,
  );
  assert.equal(sdkError.name, 'InvalidQueryStatementException');
  await page.getByLabel('Query statement').fill(bad);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const banner = page.getByRole('alert');
  await banner.waitFor();
  assert.equal(await banner.locator('.code').textContent(), 'InvalidQueryStatementException');
  assert.equal(await banner.locator('.aws-message').textContent(), sdkError.message);
  await shot(page, 'invalid');
  const unknown = `SELECT nosuchcolumn FROM ${store}`;
  await page.getByLabel('Query statement').fill(unknown);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.getByRole('alert').locator('.aws-message', { hasText: 'nosuchcolumn' }).waitFor();
  assert.equal(await page.getByRole('alert').locator('.code').textContent(), 'InvalidQueryStatementException');
});

test('a query that fails while it runs: FAILED, with the ErrorMessage DescribeQuery gives', async () => {
  // the statement is checked over an empty row (NULL casts fine); the records' event names do not
  const id = await runStatement(`SELECT CAST(eventname AS bigint) AS n FROM ${store} WHERE eventname = 'CreateUser'`);
  await waitStatus('FAILED');
  const d = await ct.send(new DescribeQueryCommand({ QueryId: id }));
  assert.equal(d.QueryStatus, 'FAILED');
  assert.ok(d.ErrorMessage);
  const banner = page.locator('.lake-status [role="alert"]');
  assert.equal(await banner.locator('.code').textContent(), 'Query failed');
  assert.equal(await banner.locator('.aws-message').textContent(), d.ErrorMessage);
  await page.getByText('No results', { exact: true }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Download CSV' }).isDisabled(), true);
  assert.equal(await page.getByRole('button', { name: 'Cancel query' }).isVisible(), false);
});

test('another store picked: the statement names it, and Recent queries are its own', async () => {
  const other = (await ct.send(new CreateEventDataStoreCommand({ Name: 'console-lake-other' }))).EventDataStoreArn!.replace(/^.*\//, '');
  await page.goto(`${server.endpoint}/console/lake?store=${store}`);
  const picker = page.getByLabel('Event data store', { exact: true });
  await picker.waitFor();
  assert.deepEqual((await picker.locator('option').allTextContents()).sort(), [`console-lake (${store})`, `console-lake-other (${other})`]);
  assert.equal(await picker.inputValue(), store, 'the store of the URL');
  await page.locator(`table[aria-label="Recent queries"] tr[data-query-id="${firstQuery}"]`).waitFor();
  await page.getByLabel('Query statement').fill(usersSql());
  await picker.selectOption(other);
  assert.equal(await page.getByLabel('Query statement').inputValue(), usersSql().replace(store, other));
  assert.equal(new URL(page.url()).searchParams.get('store'), other);
  await page.getByText('No queries yet').waitFor();
  // the other store began after the CreateUser calls: none of them are in it
  await runStatement(usersSql().replace(store, other));
  await waitStatus('FINISHED');
  await page.getByText('The query returned no rows').waitFor();
  await picker.selectOption(store);
  assert.equal(await page.getByLabel('Query statement').inputValue(), usersSql());
  // the other store's query is no longer shown: no status, no rows, not in the URL
  assert.equal(await page.getByText('The query returned no rows').count(), 0);
  assert.equal(new URL(page.url()).searchParams.get('query'), null);
  await page.locator(`table[aria-label="Recent queries"] tr[data-query-id="${firstQuery}"]`).waitFor();
});

test('Recent queries lists the queries run; Open shows one again with its statement and rows', async () => {
  await page.getByRole('button', { name: 'Refresh' }).click();
  const row = page.locator(`table[aria-label="Recent queries"] tr[data-query-id="${firstQuery}"]`);
  await row.waitFor();
  assert.equal(await row.locator('td.statement').textContent(), usersSql());
  assert.equal(await row.locator('td').nth(1).textContent(), 'FINISHED');
  assert.equal(await row.locator('td').nth(3).textContent(), '12');
  await shot(page, 'recent');
  await page.getByLabel('Query statement').fill('');
  await row.getByRole('button', { name: `Open query ${firstQuery}` }).click();
  await page.waitForFunction((id) => document.querySelector('[data-fact="query-id"] dd')?.textContent === id, firstQuery);
  await waitStatus('FINISHED');
  await page.waitForFunction(() => document.querySelectorAll('table.lake-results tbody tr').length === 10);
  assert.equal(await page.getByLabel('Query statement').inputValue(), usersSql());
  assert.deepEqual(
    await cells(),
    USERS.slice(0, 10).map((u) => [u]),
  );
  assert.equal(new URL(page.url()).searchParams.get('query'), firstQuery);
  // the URL opens it too
  await page.reload();
  await waitStatus('FINISHED');
  await page.waitForFunction(() => document.querySelectorAll('table.lake-results tbody tr').length === 10);
  assert.equal(await page.getByLabel('Query statement').inputValue(), usersSql());
  assert.equal(await page.locator('[data-fact="query-id"] dd').textContent(), firstQuery);
});

test('every sample query runs to FINISHED on the engine', async () => {
  const samples = page.getByRole('list', { name: 'Sample queries' }).locator('li');
  const names = await samples.locator('button.sample').allTextContents();
  assert.ok(names.length >= 6, names.join(', '));
  for (const name of names) {
    await page.getByRole('button', { name, exact: true }).click();
    const sql = await page.getByLabel('Query statement').inputValue();
    assert.ok(sql.includes(`FROM ${store}`), `${name}: ${sql}`);
    await clickRun();
    const errors = await page.locator('.lake-page [role="alert"]').allTextContents();
    assert.deepEqual(errors, [], `${name}: ${sql}`);
    await waitStatus('FINISHED');
    await page.locator('table.lake-results, .lake-page .empty').first().waitFor();
    // the same statement through the SDK finishes too
    await sdkRows(sql);
  }
  // one sample's rows checked: the CreateUser calls are writes naming no resources, the ConsoleLogin one
  await page.getByRole('button', { name: 'Console sign-ins without MFA', exact: true }).click();
  await clickRun();
  await waitStatus('FINISHED');
  await page.getByRole('table', { name: 'Result rows' }).waitFor();
  assert.deepEqual(await headers(), ['eventtime', 'who', 'sourceipaddress', 'result']);
  const signIns = await cells();
  assert.equal(signIns.length, 1);
  assert.deepEqual(signIns[0]!.slice(1), ['arn:aws:iam::000000000000:root', '127.0.0.1', 'Success']);
  assert.match(signIns[0]![0]!, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);
});

test('Cancel: a query that waits (the Lake loop paused) is cancelled from the page', async () => {
  server.env.STARTRAIL_LAKE_INTERVAL_MS = '600000';
  await server.restart();
  // the session is in the store: it outlives the restart
  await page.goto(`${server.endpoint}/console/lake?store=${store}`);
  await page.getByLabel('Event data store', { exact: true }).waitFor();
  const id = await runStatement(`SELECT count(*) FROM ${store} WHERE eventname = 'CreateUser'`);
  await until('QUEUED', async () => ((await statusText()) === 'QUEUED' ? true : undefined));
  const cancel = page.getByRole('button', { name: 'Cancel query' });
  assert.equal(await cancel.isVisible(), true);
  await shot(page, 'queued');
  await cancel.click();
  await waitStatus('CANCELLED');
  await page.getByText('The query was cancelled').waitFor();
  assert.equal(await cancel.isVisible(), false);
  assert.equal((await ct.send(new DescribeQueryCommand({ QueryId: id }))).QueryStatus, 'CANCELLED');
  assert.equal(await page.getByRole('button', { name: 'Download CSV' }).isDisabled(), true);
  const row = page.locator(`table[aria-label="Recent queries"] tr[data-query-id="${id}"]`);
  await row.locator('td', { hasText: 'CANCELLED' }).waitFor();
  // a query that is not FINISHED has no rows: its file is empty
  assert.deepEqual(await apiDownload(id), { text: '' });
});
