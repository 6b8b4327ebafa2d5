// One event: what happened, who did it, from where, the resources it names, and its full CloudTrail
// record as JSON (looked up by EventId, so the page can be bookmarked). Every value is shown as text.
import { call } from '../api.js';
import { h, fill, link } from '../dom.js';
import { fmtTime, isoTime } from '../format.js';
import { state } from '../state.js';
import { badge, copyButton, empty, errorBanner, loading } from '../ui.js';
import { failureOf, recordOf } from './event-columns.js';
import { jsonView } from './json-view.js';

export function eventPage({ eventId }) {
  const body = h('div', null, loading('Loading the event…'));
  const back = state.lastEventsUrl ?? '/console/events';
  const root = h(
    'section',
    { dataset: { title: 'Event' } },
    h('div', { class: 'crumbs' }, link(back, 'Event history'), h('span', { 'aria-hidden': 'true' }, '›'), h('span', { class: 'mono' }, eventId)),
    body,
  );
  call('cloudtrail', 'LookupEvents', { LookupAttributes: [{ AttributeKey: 'EventId', AttributeValue: eventId }], MaxResults: 1 }).then(
    ({ Events = [] }) => {
      const e = Events[0];
      if (!e) return fill(body, empty('No such event', 'It may be older than 90 days, or the id is wrong.'));
      root.dataset.title = e.EventName ?? 'Event';
      document.title = `${e.EventName} · startrail`;
      fill(body, detail(e));
    },
    (err) => fill(body, errorBanner(err)),
  );
  return root;
}

const wide = (el) => {
  el.className = 'wide';
  return el;
};
const fact = (label, value, cls) =>
  h('div', null, h('dt', null, label), h('dd', { class: cls }, value === undefined || value === null || value === '' ? '—' : value));

function detail(e) {
  const r = recordOf(e);
  const u = r.userIdentity ?? {};
  const resources = e.Resources ?? [];
  return h(
    'div',
    { class: 'stack' },
    h(
      'div',
      { class: 'page-head' },
      h('div', null, h('h1', { class: 'event-name' }, e.EventName), h('p', null, `${e.EventSource ?? ''} · ${fmtTime(e.EventTime)}`)),
      h(
        'div',
        { class: 'actions' },
        failureOf(e) ? badge(failureOf(e), 'bad') : badge('Succeeded', 'ok dot'),
        r.sessionCredentialFromConsole === 'true' ? badge('From the console', 'info') : null,
      ),
    ),
    r.errorMessage
      ? h(
          'div',
          { class: 'banner error' },
          h('span', { class: 'icon' }, '!'),
          h('div', null, h('span', { class: 'code' }, r.errorCode ?? 'Error'), h('p', { class: 'record-error' }, r.errorMessage)),
          h('span'),
        )
      : null,
    h(
      'div',
      { class: 'card' },
      h('div', { class: 'card-head' }, h('h2', null, 'Details')),
      h(
        'div',
        { class: 'card-body' },
        h(
          'dl',
          { class: 'facts event-facts' },
          fact('Event time', h('span', { title: isoTime(e.EventTime) }, fmtTime(e.EventTime))),
          fact('User name', e.Username),
          fact('Identity type', u.type),
          fact('AWS access key', e.AccessKeyId, 'mono'),
          fact('Event source', e.EventSource),
          fact('Event name', e.EventName),
          fact('AWS region', r.awsRegion),
          fact('Source IP address', r.sourceIPAddress),
          wide(fact('User agent', r.userAgent, 'user-agent')),
          fact('Read-only', e.ReadOnly),
          fact('Event type', r.eventType),
          fact('Request ID', r.requestID, 'mono'),
          fact('Event ID', e.EventId, 'mono'),
          fact('Error code', r.errorCode),
        ),
      ),
    ),
    h(
      'div',
      { class: 'card' },
      h('div', { class: 'card-head' }, h('h2', null, `Resources referenced (${resources.length})`)),
      resources.length
        ? h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'table' },
              h('thead', null, h('tr', null, h('th', null, 'Resource type'), h('th', null, 'Resource name'))),
              h(
                'tbody',
                null,
                resources.map((x) => h('tr', null, h('td', null, x.ResourceType ?? '—'), h('td', { class: 'mono' }, x.ResourceName ?? '—'))),
              ),
            ),
          )
        : h('div', { class: 'card-body muted' }, 'This event names no resources.'),
    ),
    h(
      'div',
      { class: 'card' },
      h('div', { class: 'card-head' }, h('h2', null, 'Event record'), copyButton(JSON.stringify(r, null, 2), 'Copy JSON')),
      jsonView(r),
    ),
  );
}
