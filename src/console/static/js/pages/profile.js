// My user profile: who the console acts as (STS GetCallerIdentity, the session's end) and the CodeStar
// user profile — display name, email, SSH public key — created or updated (DescribeUserProfile,
// CreateUserProfile, UpdateUserProfile), and an IAM user's groups and effective policies (permissions.js).
// The root user has no CodeStar profile and no groups.
import { call } from '../api.js';
import { h, fill } from '../dom.js';
import { fmtTime } from '../format.js';
import { state } from '../state.js';
import { badge, busy, errorBanner, field, infoBanner, loading, toast } from '../ui.js';
import { permissionsCard } from './permissions.js';

export function profilePage() {
  const s = state.session;
  const who = h('div', { class: 'card-body' }, loading());
  const profile = h('div', { class: 'card' }, loading('Loading your CodeStar profile…'));
  call('sts', 'GetCallerIdentity').then(
    (me) =>
      fill(
        who,
        h(
          'dl',
          { class: 'facts' },
          fact('User', s.identity.userName, ' ', badge(s.identity.type === 'Root' ? 'Root user' : 'IAM user', 'info')),
          wide(fact('ARN', h('span', { class: 'mono small' }, me.Arn))),
          fact('Account', h('span', { class: 'mono' }, me.Account)),
          fact('User ID', h('span', { class: 'mono' }, me.UserId)),
          fact('Region', s.currentRegion ?? s.region),
          fact('Session ends', fmtTime(new Date(s.expiresAt))),
        ),
      ),
    (e) => fill(who, errorBanner(e)),
  );

  if (s.identity.type !== 'IAMUser')
    fill(
      profile,
      h(
        'div',
        { class: 'card-body' },
        infoBanner('The root user has no CodeStar user profile. Sign in as an IAM user to set a display name, email address and SSH key.'),
      ),
    );
  else loadProfile(profile, s.identity.arn);

  return h(
    'section',
    { dataset: { title: 'My profile' } },
    h(
      'div',
      { class: 'page-head' },
      h('div', null, h('h1', null, 'My user profile'), h('p', null, 'Who you are signed in as, and how your teammates see you in projects.')),
    ),
    h(
      'div',
      { class: 'stack' },
      h('div', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', null, 'Signed in as')), who),
      s.identity.type === 'IAMUser' ? permissionsCard(s.identity.userName) : null,
      profile,
    ),
  );
}

const fact = (label, ...value) => h('div', null, h('dt', null, label), h('dd', null, ...value));
const wide = (el) => {
  el.className = 'wide';
  return el;
};

async function loadProfile(card, userArn) {
  let existing;
  try {
    existing = await call('codestar', 'DescribeUserProfile', { userArn });
  } catch (e) {
    if (e.code !== 'UserProfileNotFoundException') return fill(card, h('div', { class: 'card-body' }, errorBanner(e)));
  }
  const displayName = h('input', { name: 'displayName', value: existing?.displayName ?? '', maxlength: 64, required: true });
  const email = h('input', { name: 'emailAddress', type: 'email', value: existing?.emailAddress ?? '', maxlength: 128, required: true });
  const ssh = h(
    'textarea',
    { name: 'sshPublicKey', rows: 3, class: 'mono', spellcheck: 'false', placeholder: 'ssh-ed25519 AAAA…' },
    existing?.sshPublicKey ?? '',
  );
  const errors = h('div');
  const save = h('button', { class: 'btn primary', type: 'submit' }, existing ? 'Save profile' : 'Create profile');
  const form = h(
    'form',
    { class: 'form card-body' },
    errors,
    existing ? null : infoBanner('You have no CodeStar user profile yet. Create one so teammates see your name.'),
    field('Display name', displayName),
    field('Email address', email),
    field('SSH public key', ssh, 'Optional. Used for remote access to project resources.'),
    h('div', { class: 'row' }, existing ? h('span', { class: 'muted small' }, `Last changed ${fmtTime(existing.lastModifiedTimestamp)}`) : null, save),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    fill(errors);
    const input = { userArn, displayName: displayName.value.trim(), emailAddress: email.value.trim(), sshPublicKey: ssh.value.trim() };
    try {
      await busy(save, () => call('codestar', existing ? 'UpdateUserProfile' : 'CreateUserProfile', input));
      toast('Profile saved', 'ok');
      loadProfile(card, userArn);
    } catch (e) {
      fill(errors, errorBanner(e));
    }
  });
  fill(card, h('div', { class: 'card-head' }, h('h2', null, 'CodeStar user profile')), form);
}
