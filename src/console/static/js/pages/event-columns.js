// Event history's columns: AWS's six by default (event name, time, user name, event source, resource
// type, resource name) and more that can be toggled on; the choice is kept in this browser.
import { h, link } from '../dom.js';
import { ago, fmtTime, isoTime } from '../format.js';
import { badge } from '../ui.js';

const STORE = 'startrail.console.eventColumns';

/** A parsed record, memoized on the event (error code, region, source IP live only in CloudTrailEvent). */
export function recordOf(e) {
  if (!e._record) {
    try {
      e._record = JSON.parse(e.CloudTrailEvent ?? '{}') ?? {};
    } catch {
      e._record = {};
    }
  }
  return e._record;
}

/** What went wrong, if anything: the error code, or "Failure" for a failed console sign-in (which has none). */
export function failureOf(e) {
  const r = recordOf(e);
  return r.errorCode ?? (r.responseElements?.ConsoleLogin === 'Failure' ? 'Failure' : undefined);
}

const resourceCell = (e, field, filterBy) => {
  const list = e.Resources ?? [];
  if (!list.length) return h('span', { class: 'muted' }, '—');
  const first = list[0][field];
  return h(
    'span',
    null,
    first ? filterBy(field, first) : h('span', { class: 'muted' }, '—'),
    list.length > 1 ? h('span', { class: 'muted small' }, ` +${list.length - 1}`) : null,
  );
};

const COLUMNS = [
  {
    key: 'EventName',
    nowrap: true,
    label: 'Event name',
    always: true,
    render: (e) => [link(`/console/events/${encodeURIComponent(e.EventId)}`, e.EventName ?? '(none)'), failureOf(e) ? [' ', badge(failureOf(e), 'bad')] : null],
  },
  {
    key: 'EventTime',
    label: 'Event time',
    def: true,
    nowrap: true,
    render: (e) => h('span', { title: `${isoTime(e.EventTime)} · ${ago(e.EventTime)}` }, fmtTime(e.EventTime)),
  },
  {
    key: 'Username',
    nowrap: true,
    label: 'User name',
    def: true,
    render: (e, f) => (e.Username ? f('Username', e.Username) : h('span', { class: 'muted' }, '—')),
  },
  { key: 'EventSource', nowrap: true, label: 'Event source', def: true, render: (e, f) => f('EventSource', e.EventSource) },
  { key: 'ResourceType', nowrap: true, label: 'Resource type', def: true, render: (e, f) => resourceCell(e, 'ResourceType', f) },
  { key: 'ResourceName', label: 'Resource name', def: true, render: (e, f) => resourceCell(e, 'ResourceName', f) },
  { key: 'AccessKeyId', nowrap: true, label: 'AWS access key', render: (e, f) => (e.AccessKeyId ? f('AccessKeyId', e.AccessKeyId) : '—') },
  { key: 'ReadOnly', nowrap: true, label: 'Read-only', render: (e) => e.ReadOnly ?? '—' },
  { key: 'AwsRegion', nowrap: true, label: 'AWS region', render: (e) => recordOf(e).awsRegion ?? '—' },
  { key: 'ErrorCode', nowrap: true, label: 'Error code', render: (e) => recordOf(e).errorCode ?? '—' },
  { key: 'SourceIp', nowrap: true, label: 'Source IP address', render: (e) => recordOf(e).sourceIPAddress ?? '—' },
  { key: 'EventId', label: 'Event ID', mono: true, render: (e) => e.EventId },
];

export function visibleColumns() {
  let chosen;
  try {
    chosen = JSON.parse(localStorage.getItem(STORE) ?? 'null');
  } catch {
    chosen = null;
  }
  return COLUMNS.filter((c) => c.always || (Array.isArray(chosen) ? chosen.includes(c.key) : c.def));
}

function saveColumns(keys) {
  localStorage.setItem(STORE, JSON.stringify(keys));
}

/** The gear popover: one checkbox per column; calls onChange after saving. */
export function columnsPopover(onChange) {
  const visible = new Set(visibleColumns().map((c) => c.key));
  const boxes = COLUMNS.filter((c) => !c.always).map((c) => {
    const box = h('input', { type: 'checkbox', checked: visible.has(c.key), dataset: { column: c.key } });
    box.addEventListener('change', () => {
      saveColumns(boxes.filter((b) => b.checked).map((b) => b.dataset.column));
      onChange();
    });
    return box;
  });
  return h(
    'div',
    { class: 'popover', role: 'dialog', 'aria-label': 'Columns' },
    h('h3', null, 'Columns'),
    COLUMNS.filter((c) => !c.always).map((c, i) => h('label', { class: 'check' }, boxes[i], c.label)),
  );
}
