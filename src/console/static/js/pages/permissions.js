// The profile page's "Groups and permissions" card: the IAM groups the signed-in user is in, and
// every policy that applies to them — their own inline and attached policies and those of each group,
// which together are their identity-based permissions — and the permissions boundary that caps them
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html). Read with the
// user's own credentials (iam:GetUser, ListGroupsForUser, ListUserPolicies, ListAttachedUserPolicies,
// ListGroupPolicies, ListAttachedGroupPolicies); a read they may not make shows AWS's denial instead.
import { call } from '../api.js';
import { h, fill } from '../dom.js';
import { badge, errorBanner, infoBanner, loading } from '../ui.js';

/** A Query list as the console's server returns it: an array, one object, or '' when empty. */
const arr = (v) => (Array.isArray(v) ? v : v && typeof v === 'object' ? [v] : []);

/** Every page of a Query list operation (IsTruncated / Marker). */
async function all(op, input, key) {
  const out = [];
  let Marker;
  do {
    const r = await call('iam', op, { ...input, ...(Marker ? { Marker } : {}) });
    out.push(...arr(r[key]));
    Marker = r.IsTruncated === 'true' ? r.Marker : undefined;
  } while (Marker);
  return out;
}

const kindOf = (arn) => (arn.startsWith('arn:aws:iam::aws:policy/') ? 'AWS managed' : 'Customer managed');

export function permissionsCard(userName) {
  const body = h('div', { class: 'card-body' }, loading('Loading your groups and policies…'));
  load(body, userName);
  return h('div', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', null, 'Groups and permissions')), body);
}

async function load(body, UserName) {
  try {
    const [user, groups, inline, attached] = await Promise.all([
      call('iam', 'GetUser', { UserName }),
      all('ListGroupsForUser', { UserName }, 'Groups'),
      all('ListUserPolicies', { UserName }, 'PolicyNames'),
      all('ListAttachedUserPolicies', { UserName }, 'AttachedPolicies'),
    ]);
    const rows = [
      ...inline.map((name) => ({ name, kind: 'Inline', via: 'Directly' })),
      ...attached.map((p) => ({ name: p.PolicyName, arn: p.PolicyArn, kind: kindOf(p.PolicyArn), via: 'Directly' })),
    ];
    for (const g of groups) {
      const [gi, ga] = await Promise.all([
        all('ListGroupPolicies', { GroupName: g.GroupName }, 'PolicyNames'),
        all('ListAttachedGroupPolicies', { GroupName: g.GroupName }, 'AttachedPolicies'),
      ]);
      rows.push(...gi.map((name) => ({ name, kind: 'Inline', via: `Group ${g.GroupName}` })));
      rows.push(...ga.map((p) => ({ name: p.PolicyName, arn: p.PolicyArn, kind: kindOf(p.PolicyArn), via: `Group ${g.GroupName}` })));
    }
    const boundary = user.User?.PermissionsBoundary?.PermissionsBoundaryArn;
    fill(
      body,
      h(
        'dl',
        { class: 'facts' },
        h(
          'div',
          { class: 'wide' },
          h('dt', null, 'Groups'),
          h('dd', { 'data-testid': 'groups' }, groups.length ? groups.map((g) => badge(g.GroupName, 'info')) : h('span', { class: 'muted' }, 'None')),
        ),
        h(
          'div',
          { class: 'wide' },
          h('dt', null, 'Permissions boundary'),
          h('dd', { 'data-testid': 'boundary' }, boundary ? h('span', { class: 'mono small' }, boundary) : h('span', { class: 'muted' }, 'None')),
        ),
      ),
      rows.length
        ? h(
            'table',
            { class: 'table', 'aria-label': 'Policies' },
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                ['Policy', 'Type', 'Applies through'].map((c) => h('th', null, c)),
              ),
            ),
            h(
              'tbody',
              null,
              rows.map((r) =>
                h(
                  'tr',
                  { dataset: { policy: r.name } },
                  h('td', null, r.name, r.arn ? h('div', { class: 'mono small muted' }, r.arn) : null),
                  h('td', null, r.kind),
                  h('td', null, r.via),
                ),
              ),
            ),
          )
        : infoBanner('No policies apply to you: every request you make is denied unless a resource-based policy allows it.'),
      boundary ? infoBanner('Your permissions are what these policies allow and your permissions boundary also allows.') : null,
    );
  } catch (e) {
    fill(body, errorBanner(e, 'Your groups and policies could not be read'));
  }
}
