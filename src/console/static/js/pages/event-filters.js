// Event history's filter: lookup attributes (each of the eight; several combine with AND on this
// server) and a time range (30 min / 1 h / 3 h / 12 h presets, custom, or all 90 days). The filter
// lives in the URL so a view can be shared, and becomes LookupEvents parameters when applied.
import { h, fill, select } from '../dom.js';
import { localInput } from '../format.js';
import { button } from '../ui.js';

const LOOKUP_KEYS = [
  ['EventName', 'Event name'],
  ['EventSource', 'Event source'],
  ['Username', 'User name'],
  ['ResourceType', 'Resource type'],
  ['ResourceName', 'Resource name'],
  ['AccessKeyId', 'AWS access key'],
  ['EventId', 'Event ID'],
  ['ReadOnly', 'Read-only'],
];
const LABEL = Object.fromEntries(LOOKUP_KEYS);
const PRESETS = [
  ['30m', '30 min', 30],
  ['1h', '1 h', 60],
  ['3h', '3 h', 180],
  ['12h', '12 h', 720],
  ['all', 'All', 0],
  ['custom', 'Custom', 0],
];

/** The filter a URL describes: { attrs: [{key, value}], range: {preset, start?, end?} }. */
export function filterFromUrl(q) {
  const attrs = LOOKUP_KEYS.filter(([k]) => q.get(k)).map(([key]) => ({ key, value: q.get(key) }));
  const preset = PRESETS.some(([p]) => p === q.get('range')) ? q.get('range') : 'all';
  const range = { preset };
  if (preset === 'custom') {
    range.start = q.get('start') ?? '';
    range.end = q.get('end') ?? '';
  }
  return { attrs, range };
}

export function filterToUrl(f) {
  const q = new URLSearchParams();
  for (const a of f.attrs) q.set(a.key, a.value);
  if (f.range.preset !== 'all') q.set('range', f.range.preset);
  if (f.range.preset === 'custom') {
    if (f.range.start) q.set('start', f.range.start);
    if (f.range.end) q.set('end', f.range.end);
  }
  return q;
}

/** LookupEvents parameters for the filter, with "now" fixed at the moment it is applied (NextToken needs identical parameters). */
export function lookupParams(f, now = Date.now()) {
  const p = {};
  if (f.attrs.length) p.LookupAttributes = f.attrs.map((a) => ({ AttributeKey: a.key, AttributeValue: a.value }));
  const minutes = PRESETS.find(([k]) => k === f.range.preset)?.[2];
  if (minutes) {
    p.StartTime = Math.floor(now / 1000) - minutes * 60;
    p.EndTime = Math.floor(now / 1000);
  }
  if (f.range.preset === 'custom') {
    if (f.range.start) p.StartTime = Math.floor(new Date(f.range.start).getTime() / 1000);
    if (f.range.end) p.EndTime = Math.floor(new Date(f.range.end).getTime() / 1000);
  }
  return p;
}

/** The filter bar; calls onChange(filter) whenever the filter changes. */
export function filterBar(filter, onChange) {
  const f = { attrs: [...filter.attrs], range: { ...filter.range } };
  const key = select(LOOKUP_KEYS, 'EventName', { 'aria-label': 'Lookup attribute' });
  const valueSlot = h('span', { class: 'value-slot' });
  let value;
  const renderValue = () => {
    value =
      key.value === 'ReadOnly'
        ? select(
            [
              ['true', 'true'],
              ['false', 'false'],
            ],
            'false',
            { 'aria-label': 'Attribute value' },
          )
        : h('input', { type: 'text', placeholder: `Enter ${LABEL[key.value].toLowerCase()}`, 'aria-label': 'Attribute value', spellcheck: 'false' });
    value.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter') {
        ev.preventDefault();
        addAttr();
      }
    });
    fill(valueSlot, value);
  };
  key.addEventListener('change', renderValue);
  renderValue();

  const addAttr = () => {
    const v = value.value.trim();
    if (!v) return value.focus();
    f.attrs = [...f.attrs.filter((a) => a.key !== key.value), { key: key.value, value: v }];
    onChange(f);
  };

  const chips = h(
    'div',
    { class: 'chips', 'aria-label': 'Active filters' },
    f.attrs.map((a) =>
      h(
        'span',
        { class: 'chip-filter' },
        `${LABEL[a.key]}: ${a.value}`,
        h(
          'button',
          {
            type: 'button',
            'aria-label': `Remove filter ${LABEL[a.key]}`,
            title: 'Remove',
            onClick: () => {
              f.attrs = f.attrs.filter((x) => x !== a);
              onChange(f);
            },
          },
          '×',
        ),
      ),
    ),
  );
  if (f.attrs.length > 1)
    chips.append(
      button(
        'Clear filters',
        () => {
          f.attrs = [];
          onChange(f);
        },
        { kind: 'small ghost' },
      ),
    );

  const seg = h(
    'div',
    { class: 'seg', role: 'group', 'aria-label': 'Time range' },
    PRESETS.map(([p, label]) =>
      h(
        'button',
        {
          type: 'button',
          'aria-pressed': String(f.range.preset === p),
          dataset: { range: p },
          onClick: () => {
            if (p === 'custom') {
              const now = new Date();
              f.range = { preset: 'custom', start: f.range.start || localInput(new Date(now.getTime() - 86400_000)), end: f.range.end || localInput(now) };
            } else f.range = { preset: p };
            onChange(f);
          },
        },
        label,
      ),
    ),
  );

  const custom =
    f.range.preset !== 'custom'
      ? null
      : (() => {
          const start = h('input', { type: 'datetime-local', value: f.range.start, 'aria-label': 'Start time' });
          const end = h('input', { type: 'datetime-local', value: f.range.end, 'aria-label': 'End time' });
          return h(
            'div',
            { class: 'filter-row' },
            h('span', { class: 'muted small' }, 'From'),
            start,
            h('span', { class: 'muted small' }, 'to'),
            end,
            button(
              'Apply',
              () => {
                f.range = { preset: 'custom', start: start.value, end: end.value };
                onChange(f);
              },
              { kind: 'small' },
            ),
          );
        })();

  return h(
    'div',
    { class: 'filters' },
    h('div', { class: 'filter-row' }, key, valueSlot, button('Add filter', addAttr), h('span', { class: 'grow' }), seg),
    custom,
    f.attrs.length ? chips : null,
  );
}

/** Adds or replaces one attribute filter (clicking a value in the table). */
export const withAttr = (f, key, value) => ({ ...f, attrs: [...f.attrs.filter((a) => a.key !== key), { key, value }] });
