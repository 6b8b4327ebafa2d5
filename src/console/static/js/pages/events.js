// Event history (docs/architecture.md#event-history): LookupEvents newest first, one page at a time (10, 25
// or 50), the filter bar, toggleable columns, and "Download" of everything the filter matches as CSV
// or JSON. Clicking a user name, source or resource filters by it; an event name opens its record.
import { call, download } from '../api.js';
import { h, fill } from '../dom.js';
import { plural } from '../format.js';
import { setQuery } from '../router.js';
import { state } from '../state.js';
import { busy, button, empty, errorBanner, loading, pager as renderPagerInto, popover, saveFile, toast } from '../ui.js';
import { columnsPopover, visibleColumns } from './event-columns.js';
import { filterBar, filterFromUrl, filterToUrl, lookupParams, withAttr } from './event-filters.js';

export function eventsPage(_params, query) {
  let filter = filterFromUrl(query);
  let params = lookupParams(filter);
  let pageSize = Number(sessionStorage.getItem('startrail.console.pageSize')) || 50;
  // Pages already seen are kept, so Previous shows exactly them; Refresh looks up again.
  let pages = [];
  let page = 0;
  let events = [];
  let more = false;

  const bar = h('div');
  const status = h('div');
  const table = h('div', { class: 'table-wrap' });
  const pager = h('div', { class: 'pager' });
  const refresh = button('Refresh', () => apply(filter), { title: 'Look up again, up to now', icon: 'refresh' });
  const columnsAnchor = h('div', { class: 'anchor' });
  const gear = button('Columns', () => toggleColumns(), { 'aria-expanded': 'false', 'aria-haspopup': 'dialog', icon: 'columns' });
  columnsAnchor.append(gear);
  const downloadAnchor = h('div', { class: 'anchor' });
  const downloadBtn = button('Download', () => toggleDownload(), { 'aria-haspopup': 'menu', icon: 'download' });
  downloadAnchor.append(downloadBtn);

  const root = h(
    'section',
    { dataset: { title: 'Event history' } },
    h(
      'div',
      { class: 'page-head' },
      h(
        'div',
        null,
        h('h1', null, 'Event history'),
        h('p', null, 'Every call to this account — from the CLI, SDKs and this console — newest first, for 90 days.'),
      ),
      h('div', { class: 'actions' }, refresh, columnsAnchor, downloadAnchor),
    ),
    h('div', { class: 'card' }, bar, status, table, pager),
  );

  function apply(f) {
    filter = f;
    params = lookupParams(f);
    pages = [];
    page = 0;
    setQuery(filterToUrl(f));
    state.lastEventsUrl = `${location.pathname}${location.search}`;
    fill(
      bar,
      filterBar(filter, (next) => apply(next)),
    );
    load();
  }

  const filterBy = (key, value) =>
    h(
      'button',
      {
        type: 'button',
        class: 'cell-filter',
        title: `Show only events with this ${key === 'Username' ? 'user name' : 'value'}`,
        onClick: () => apply(withAttr(filter, key, value)),
      },
      value,
    );

  async function load() {
    const seen = pages[page];
    if (seen) {
      ({ events, more } = seen);
      return renderTable();
    }
    fill(table, loading('Looking up events…'));
    try {
      const token = pages[page - 1]?.next;
      const out = await call('cloudtrail', 'LookupEvents', { ...params, MaxResults: pageSize, ...(token ? { NextToken: token } : {}) });
      events = out.Events ?? [];
      more = !!out.NextToken;
      pages[page] = { events, more, next: out.NextToken };
      renderTable();
    } catch (e) {
      events = [];
      more = false;
      fill(table, h('div', { class: 'card-body' }, errorBanner(e)));
      renderPager();
    }
  }

  function renderTable() {
    const cols = visibleColumns();
    if (!events.length) fill(table, empty(page ? 'No more events' : 'No events match', page ? '' : 'Try a wider time range or fewer filters.'));
    else
      fill(
        table,
        h(
          'table',
          { class: 'table events', 'aria-label': 'Events' },
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              cols.map((c) => h('th', { class: c.nowrap ? 'nowrap' : '' }, c.label)),
            ),
          ),
          h(
            'tbody',
            null,
            events.map((e) =>
              h(
                'tr',
                { dataset: { eventId: e.EventId } },
                cols.map((c) =>
                  h('td', { class: `${c.nowrap ? 'nowrap' : ''} ${c.mono ? 'mono' : ''}`.trim(), dataset: { col: c.key } }, c.render(e, filterBy)),
                ),
              ),
            ),
          ),
        ),
      );
    renderPager();
  }

  function renderPager() {
    const first = page * pageSize;
    renderPagerInto(pager, {
      range: events.length
        ? `Events ${(first + 1).toLocaleString()}–${(first + events.length).toLocaleString()}${more ? '' : ` of ${(first + events.length).toLocaleString()}`}`
        : '',
      noun: 'Events',
      sizes: [10, 25, 50],
      pageSize,
      page,
      hasNext: more,
      onSize(n) {
        pageSize = n;
        sessionStorage.setItem('startrail.console.pageSize', String(n));
        apply(filter);
      },
      onPage(n) {
        page = n;
        load();
      },
    });
  }

  function toggleColumns() {
    gear.setAttribute('aria-expanded', 'true');
    popover(
      columnsAnchor,
      () => columnsPopover(() => renderTable()),
      () => gear.setAttribute('aria-expanded', 'false'),
    );
  }

  let closeMenu = () => {};
  function toggleDownload() {
    closeMenu = popover(downloadAnchor, () =>
      h(
        'div',
        { class: 'popover', role: 'menu' },
        h('h3', null, 'Download events'),
        h('p', { class: 'muted small' }, 'Everything the current filter matches. CSV cells that start like a formula are prefixed with an apostrophe.'),
        button('Download CSV', () => startDownload('csv'), { kind: 'small', role: 'menuitem' }),
        button('Download JSON', () => startDownload('json'), { kind: 'small', role: 'menuitem' }),
      ),
    );
  }

  async function startDownload(format) {
    closeMenu();
    const abort = new AbortController();
    const count = h('span', null, 'Starting…');
    fill(
      status,
      h(
        'div',
        { class: 'progress', role: 'status' },
        h('span', null, `Preparing ${format.toUpperCase()}:`),
        count,
        button('Cancel', () => abort.abort(), { kind: 'small' }),
      ),
    );
    try {
      const blob = await busy(downloadBtn, () =>
        download(
          format,
          lookupParams(filter),
          (n) => {
            count.textContent = plural(n, 'event');
          },
          abort.signal,
        ),
      );
      saveFile(blob, `event-history-${new Date().toISOString().slice(0, 19).replace(/:/g, '-')}Z.${format}`);
      fill(status);
      toast(`Downloaded ${format.toUpperCase()}`, 'ok');
    } catch (e) {
      fill(status, e.name === 'AbortError' ? null : h('div', { class: 'card-body' }, errorBanner(e, 'Download failed')));
    }
  }

  apply(filter);
  return root;
}
