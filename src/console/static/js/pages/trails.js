// Trails and their status: DescribeTrails, then GetTrailStatus for each (logging, last delivery, last
// error, digests); a trail's logging can be started or stopped (StartLogging, StopLogging).
import { call } from '../api.js';
import { h, fill } from '../dom.js';
import { ago, fmtTime } from '../format.js';
import { badge, busy, button, empty, errorBanner, loading, toast } from '../ui.js';

export function trailsPage() {
  const body = h('div', { class: 'card' }, loading('Loading trails…'));
  const errors = h('div');
  const root = h(
    'section',
    { dataset: { title: 'Trails' } },
    h(
      'div',
      { class: 'page-head' },
      h('div', null, h('h1', null, 'Trails'), h('p', null, 'Trails deliver this account’s records as log files, with signed digests, to S3 buckets.')),
      h(
        'div',
        { class: 'actions' },
        button('Refresh', () => load(), { icon: 'refresh' }),
      ),
    ),
    errors,
    body,
  );

  async function load() {
    fill(errors);
    try {
      const { trailList = [] } = await call('cloudtrail', 'DescribeTrails', {});
      const statuses = await Promise.all(
        trailList.map((t) => call('cloudtrail', 'GetTrailStatus', { Name: t.TrailARN ?? t.Name }).catch((e) => ({ error: e }))),
      );
      fill(
        body,
        trailList.length
          ? table(trailList, statuses)
          : empty(
              'No trails',
              h(
                'span',
                null,
                'Create one with ',
                h('code', null, 'aws cloudtrail create-trail --name my-trail --s3-bucket-name my-bucket'),
                ' and start it with ',
                h('code', null, 'start-logging'),
                '.',
              ),
            ),
      );
    } catch (e) {
      fill(body, h('div', { class: 'card-body' }, errorBanner(e)));
    }
  }

  function table(trails, statuses) {
    return h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table', 'aria-label': 'Trails' },
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            ['Name', 'Status', 'Bucket', 'Regions', 'Log file validation', 'Last delivery', 'Last digest', ''].map((c) => h('th', null, c)),
          ),
        ),
        h(
          'tbody',
          null,
          trails.map((t, i) => {
            const s = statuses[i] ?? {};
            const toggle = button(
              s.IsLogging ? 'Stop logging' : 'Start logging',
              () =>
                busy(toggle, async () => {
                  try {
                    await call('cloudtrail', s.IsLogging ? 'StopLogging' : 'StartLogging', { Name: t.TrailARN ?? t.Name });
                    toast(`${t.Name}: logging ${s.IsLogging ? 'stopped' : 'started'}`, 'ok');
                    load();
                  } catch (e) {
                    fill(errors, errorBanner(e));
                  }
                }),
              { kind: 'small', icon: s.IsLogging ? 'stop' : 'play' },
            );
            return h(
              'tr',
              { dataset: { trail: t.Name } },
              h('td', null, h('div', null, t.Name), h('div', { class: 'mono small muted' }, t.TrailARN)),
              h('td', null, s.error ? badge(s.error.code, 'bad') : s.IsLogging ? badge('Logging', 'ok dot') : badge('Not logging', 'warn dot')),
              h('td', { class: 'mono small nowrap' }, `${t.S3BucketName ?? ''}${t.S3KeyPrefix ? `/${t.S3KeyPrefix}` : ''}`),
              h('td', { class: 'nowrap' }, t.IsMultiRegionTrail ? 'All Regions' : t.HomeRegion),
              h('td', null, t.LogFileValidationEnabled ? badge('Enabled', 'info') : badge('Disabled')),
              h(
                'td',
                null,
                when(s.LatestDeliveryTime),
                s.LatestDeliveryError ? h('div', { class: 'small' }, badge('Error', 'bad'), ' ', s.LatestDeliveryError) : null,
              ),
              h(
                'td',
                null,
                when(s.LatestDigestDeliveryTime),
                s.LatestDigestDeliveryError ? h('div', { class: 'small' }, badge('Error', 'bad'), ' ', s.LatestDigestDeliveryError) : null,
              ),
              h('td', { class: 'num' }, s.error ? null : toggle),
            );
          }),
        ),
      ),
    );
  }

  load();
  return root;
}

const when = (t) => (t ? h('span', { title: fmtTime(t) }, ago(t)) : h('span', { class: 'muted' }, 'Never'));
