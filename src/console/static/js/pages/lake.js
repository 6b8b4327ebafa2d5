// CloudTrail Lake's Query page (docs/lake.md#queries; AWS's own: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-run-query.html):
// an event data store (ListEventDataStores), a SQL editor with sample queries, Run (StartQuery) and
// the query's status while it runs (DescribeQuery every half second; Cancel: CancelQuery), its
// results a page at a time (GetQueryResults, NextToken), every row as CSV, and the store's recent
// queries (ListQueries), each of which can be opened again. The store and the open query are in the URL.
import { call, downloadQueryResults } from '../api.js';
import { h, fill, select } from '../dom.js';
import { ago, fmtTime, plural } from '../format.js';
import { setQuery } from '../router.js';
import { badge, busy, button, empty, errorBanner, field, loading, pager as renderPagerInto, saveFile, toast } from '../ui.js';
import { SAMPLES, sampleSql } from './lake-samples.js';

const POLL_MS = 500;
const RECENT = 10;
const ACTIVE = new Set(['QUEUED', 'RUNNING']);
const STATUS_KIND = { QUEUED: 'info dot', RUNNING: 'info dot', FINISHED: 'ok dot', FAILED: 'bad dot', CANCELLED: 'warn dot', TIMED_OUT: 'bad dot' };
const PAGE_KEY = 'startrail.console.lakePageSize';

/** The store's ID, as Lake's FROM clause names it: the last part of its ARN. */
const storeId = (arnOrId) => String(arnOrId ?? '').replace(/^.*\//, '');
const statusBadge = (s) => badge(s ?? 'UNKNOWN', STATUS_KIND[s] ?? '');
const bytes = (n) => (n < 1024 ? plural(n, 'byte') : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);

export function lakePage(_params, query) {
  let stores = [];
  let store = query.get('store') ?? '';
  let current = query.get('query') ?? '';
  let polling = 0;
  let pageSize = Number(sessionStorage.getItem(PAGE_KEY)) || 25;
  let pages = [];
  let page = 0;

  const storePicker = h('div');
  const editor = h('textarea', { id: 'lake-sql', rows: '7', spellcheck: 'false', class: 'mono sql' });
  const runBtn = button('Run', () => run(), { kind: 'primary', icon: 'play' });
  const cancelBtn = button('Cancel query', () => cancel(), { kind: 'danger', icon: 'stop', hidden: true });
  const editorErrors = h('div');
  const status = h('div', { class: 'lake-status', 'aria-live': 'polite' });
  const results = h('div', { class: 'table-wrap' });
  const pager = h('div', { class: 'pager', hidden: true });
  const downloadBtn = button('Download CSV', () => downloadCsv(), { kind: 'small', icon: 'download', disabled: true });
  const recent = h('div', { class: 'table-wrap' });
  const samples = h(
    'ul',
    { class: 'samples', 'aria-label': 'Sample queries' },
    SAMPLES.map((s) =>
      h(
        'li',
        { dataset: { sample: s.id } },
        h('button', { type: 'button', class: 'sample', onClick: () => useSample(s) }, s.name),
        h('span', { class: 'muted small' }, s.description),
      ),
    ),
  );

  const root = h(
    'section',
    { class: 'lake-page', dataset: { title: 'Lake query' } },
    h(
      'div',
      { class: 'page-head' },
      h('div', null, h('h1', null, 'Lake query'), h('p', null, 'Ask this account’s event data stores questions in SQL. Results are kept for 7 days.')),
      h(
        'div',
        { class: 'actions' },
        button('Refresh', () => loadRecent(), { title: 'List recent queries again', icon: 'refresh' }),
      ),
    ),
    h(
      'div',
      { class: 'lake-grid' },
      h(
        'div',
        { class: 'card' },
        h('div', { class: 'card-head' }, h('h2', null, 'Editor')),
        h(
          'div',
          { class: 'card-body stack' },
          storePicker,
          field('Query statement', editor, 'Trino SQL: one SELECT over event data stores named by ID in FROM.'),
          editorErrors,
          h('div', { class: 'row-actions' }, runBtn, cancelBtn),
        ),
      ),
      h('div', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', null, 'Sample queries')), h('div', { class: 'card-body' }, samples)),
    ),
    h(
      'div',
      { class: 'card', 'aria-label': 'Query results', role: 'region' },
      h('div', { class: 'card-head' }, h('h2', null, 'Query results'), downloadBtn),
      status,
      results,
      pager,
    ),
    h('div', { class: 'card', role: 'region', 'aria-label': 'Recent queries' }, h('div', { class: 'card-head' }, h('h2', null, 'Recent queries')), recent),
  );

  const keepUrl = () => {
    const p = new URLSearchParams();
    if (store) p.set('store', store);
    if (current) p.set('query', current);
    setQuery(p);
  };

  function useSample(s) {
    editor.value = sampleSql(s, store);
    editor.focus();
  }

  async function loadStores() {
    fill(storePicker, loading('Loading event data stores…'));
    try {
      const out = await call('cloudtrail', 'ListEventDataStores', {});
      stores = out.EventDataStores ?? [];
      // NextToken: at most 10 stores an account and Region (docs/lake.md), one page holds them
    } catch (e) {
      fill(storePicker, errorBanner(e));
      return false;
    }
    if (!stores.length) {
      fill(
        storePicker,
        empty(
          'No event data stores',
          h('span', null, 'Create one with ', h('code', null, 'aws cloudtrail create-event-data-store --name my-store'), '; it keeps the calls made after it.'),
        ),
      );
      runBtn.disabled = true;
      fill(recent, empty('No queries', 'Queries read event data stores.'));
      return false;
    }
    const ids = stores.map((s) => storeId(s.EventDataStoreArn));
    if (!ids.includes(store)) store = ids[0];
    const picker = select(
      stores.map((s) => [
        storeId(s.EventDataStoreArn),
        `${s.Name} (${storeId(s.EventDataStoreArn)})${s.Status && s.Status !== 'ENABLED' ? ` — ${s.Status}` : ''}`,
      ]),
      store,
      // its own name: a <select> inside a <label> would otherwise be named by its options' text too
      { 'aria-label': 'Event data store' },
    );
    picker.addEventListener('change', () => {
      const before = store;
      store = picker.value;
      // a statement that names the previous store now names this one
      if (before && editor.value.includes(before)) editor.value = editor.value.replaceAll(before, store);
      // the shown query was another store's: its status and rows go
      closeQuery();
      keepUrl();
      loadRecent();
    });
    fill(storePicker, field('Event data store', picker));
    return true;
  }

  async function run() {
    fill(editorErrors);
    const statement = editor.value.trim();
    if (!statement) return fill(editorErrors, errorBanner({ code: 'No statement', message: 'Write a query or choose a sample.' }));
    await busy(runBtn, async () => {
      try {
        const { QueryId } = await call('cloudtrail', 'StartQuery', { QueryStatement: statement });
        open(QueryId);
        loadRecent();
      } catch (e) {
        fill(editorErrors, errorBanner(e));
      }
    });
  }

  async function cancel() {
    if (!current) return;
    await busy(cancelBtn, async () => {
      try {
        await call('cloudtrail', 'CancelQuery', { QueryId: current });
        toast('Query cancelled', 'ok');
      } catch (e) {
        fill(editorErrors, errorBanner(e));
      }
    });
  }

  /** Shows no query: polling stops, status, rows and pager are cleared. */
  function closeQuery() {
    polling++;
    current = '';
    pages = [];
    page = 0;
    downloadBtn.disabled = true;
    cancelBtn.hidden = true;
    pager.hidden = true;
    fill(results);
    fill(status);
  }

  /** Shows query `id`: its status until it ends, then its results. */
  async function open(id, { statement = false } = {}) {
    current = id;
    keepUrl();
    pages = [];
    page = 0;
    downloadBtn.disabled = true;
    pager.hidden = true;
    fill(results);
    fill(status, loading('Starting…'));
    const mine = ++polling;
    for (;;) {
      if (mine !== polling || !root.isConnected) return;
      let q;
      try {
        q = await call('cloudtrail', 'DescribeQuery', { QueryId: id });
      } catch (e) {
        cancelBtn.hidden = true;
        fill(status, h('div', { class: 'card-body' }, errorBanner(e)));
        return;
      }
      if (mine !== polling) return;
      if (statement) {
        editor.value = q.QueryString ?? '';
        statement = false;
      }
      showStatus(q);
      cancelBtn.hidden = !ACTIVE.has(q.QueryStatus);
      if (!ACTIVE.has(q.QueryStatus)) {
        if (q.QueryStatus === 'FINISHED') {
          downloadBtn.disabled = false;
          await loadPage();
        } else fill(results, empty(q.QueryStatus === 'CANCELLED' ? 'The query was cancelled' : 'No results', ''));
        loadRecent();
        return;
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  function showStatus(q) {
    const st = q.QueryStatistics ?? {};
    fill(
      status,
      h(
        'div',
        { class: 'card-body stack' },
        h(
          'dl',
          { class: 'facts', 'data-query': q.QueryId },
          fact('Status', statusBadge(q.QueryStatus), 'status'),
          fact('Query ID', h('span', { class: 'mono small' }, q.QueryId), 'query-id'),
          fact('Events matched', (st.EventsMatched ?? 0).toLocaleString(), 'matched'),
          fact('Events scanned', (st.EventsScanned ?? 0).toLocaleString(), 'scanned'),
          fact('Data scanned', bytes(st.BytesScanned ?? 0), 'bytes'),
          fact('Run time', `${(st.ExecutionTimeInMillis ?? 0).toLocaleString()} ms`, 'time'),
          fact('Created', st.CreationTime ? h('span', { title: fmtTime(st.CreationTime) }, ago(st.CreationTime)) : '—', 'created'),
        ),
        q.ErrorMessage ? errorBanner({ code: `Query ${q.QueryStatus === 'TIMED_OUT' ? 'timed out' : 'failed'}`, message: q.ErrorMessage }) : null,
      ),
    );
  }

  async function loadPage() {
    const seen = pages[page];
    if (seen) return renderRows(seen);
    fill(results, loading('Loading results…'));
    try {
      const token = pages[page - 1]?.next;
      const out = await call('cloudtrail', 'GetQueryResults', { QueryId: current, MaxQueryResults: pageSize, ...(token ? { NextToken: token } : {}) });
      pages[page] = { rows: out.QueryResultRows ?? [], next: out.NextToken, total: out.QueryStatistics?.TotalResultsCount ?? 0 };
      renderRows(pages[page]);
    } catch (e) {
      fill(results, h('div', { class: 'card-body' }, errorBanner(e)));
    }
  }

  function renderRows({ rows, next, total }) {
    // each row: one-entry { column: value } maps in column order (docs/lake.md#queries)
    const columns = (rows[0] ?? []).map((c) => Object.keys(c)[0] ?? '');
    if (!rows.length) fill(results, empty(page ? 'No more rows' : 'The query returned no rows', ''));
    else
      fill(
        results,
        h(
          'table',
          { class: 'table lake-results', 'aria-label': 'Result rows' },
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              columns.map((c) => h('th', null, c)),
            ),
          ),
          h(
            'tbody',
            null,
            rows.map((r) =>
              h(
                'tr',
                null,
                r.map((c) => h('td', { class: 'mono small' }, Object.values(c)[0] ?? '')),
              ),
            ),
          ),
        ),
      );
    const first = page * pageSize;
    pager.hidden = false;
    renderPagerInto(pager, {
      range: rows.length ? `Rows ${(first + 1).toLocaleString()}–${(first + rows.length).toLocaleString()} of ${total.toLocaleString()}` : '',
      noun: 'Rows',
      sizes: [10, 25, 50, 100],
      pageSize,
      page,
      hasNext: !!next,
      onSize(n) {
        pageSize = n;
        sessionStorage.setItem(PAGE_KEY, String(n));
        pages = [];
        page = 0;
        loadPage();
      },
      onPage(n) {
        page = n;
        loadPage();
      },
    });
  }

  async function downloadCsv() {
    const id = current;
    const count = h('span', null, 'Starting…');
    const abort = new AbortController();
    const progress = h(
      'div',
      { class: 'progress', role: 'status' },
      h('span', null, 'Preparing CSV:'),
      count,
      button('Stop', () => abort.abort(), { kind: 'small' }),
    );
    status.prepend(progress);
    try {
      const blob = await busy(downloadBtn, () =>
        downloadQueryResults(
          id,
          (n) => {
            count.textContent = plural(n, 'row');
          },
          abort.signal,
        ),
      );
      saveFile(blob, `lake-query-${id}.csv`);
      toast('Downloaded CSV', 'ok');
    } catch (e) {
      if (e.name !== 'AbortError') status.prepend(h('div', { class: 'card-body' }, errorBanner(e, 'Download failed')));
    } finally {
      progress.remove();
    }
  }

  async function loadRecent() {
    if (!store) return;
    const forStore = store;
    try {
      const { Queries = [] } = await call('cloudtrail', 'ListQueries', { EventDataStore: store, MaxResults: RECENT });
      // ListQueries gives ID, status and time; DescribeQuery gives each one's statement
      const described = await Promise.all(Queries.map((q) => call('cloudtrail', 'DescribeQuery', { QueryId: q.QueryId }).catch(() => q)));
      if (forStore !== store) return;
      fill(recent, described.length ? recentTable(described) : empty('No queries yet', 'Queries run on this event data store appear here for 7 days.'));
    } catch (e) {
      fill(recent, h('div', { class: 'card-body' }, errorBanner(e)));
    }
  }

  function recentTable(list) {
    return h(
      'table',
      { class: 'table', 'aria-label': 'Recent queries' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ['Created', 'Status', 'Statement', 'Events matched', ''].map((c) => h('th', null, c)),
        ),
      ),
      h(
        'tbody',
        null,
        list.map((q) => {
          const created = q.QueryStatistics?.CreationTime ?? q.CreationTime;
          return h(
            'tr',
            { dataset: { queryId: q.QueryId } },
            h('td', { class: 'nowrap', title: fmtTime(created) }, ago(created)),
            h('td', null, statusBadge(q.QueryStatus)),
            h('td', { class: 'mono small statement' }, q.QueryString ?? q.QueryId),
            h('td', { class: 'num' }, q.QueryStatistics ? (q.QueryStatistics.EventsMatched ?? 0).toLocaleString() : ''),
            h(
              'td',
              { class: 'num' },
              button('Open', () => open(q.QueryId, { statement: true }), { kind: 'small', 'aria-label': `Open query ${q.QueryId}` }),
            ),
          );
        }),
      ),
    );
  }

  (async () => {
    if (!(await loadStores())) return;
    editor.value = sampleSql(SAMPLES[0], store);
    keepUrl();
    if (current) open(current, { statement: true });
    loadRecent();
  })();
  return root;
}

function fact(label, value, key) {
  return h('div', { dataset: { fact: key } }, h('dt', null, label), h('dd', null, value));
}
