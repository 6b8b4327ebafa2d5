// A project's team: members with their role and remote access (ListTeamMembers, joined with the CodeStar
// user profiles for display names), adding (AssociateTeamMember), changing a role (UpdateTeamMember)
// and removing (DisassociateTeamMember).
import { all, call } from '../api.js';
import { h, fill, select } from '../dom.js';
import { arnTail } from '../format.js';
import { userArnFor } from '../state.js';
import { badge, button, confirmDanger, dialog, empty, errorBanner, field, loading, toast } from '../ui.js';

const ROLES = [
  ['Owner', 'Owner'],
  ['Contributor', 'Contributor'],
  ['Viewer', 'Viewer'],
];

export function teamTab(p) {
  const card = h('div', { class: 'card' }, loading('Loading the team…'));
  const errors = h('div');

  async function load() {
    try {
      const [members, profiles] = await Promise.all([
        all('codestar', 'ListTeamMembers', { projectId: p.id }, 'teamMembers'),
        all('codestar', 'ListUserProfiles', {}, 'userProfiles').catch(() => []),
      ]);
      const names = new Map(profiles.map((u) => [u.userArn, u]));
      fill(
        card,
        h(
          'div',
          { class: 'card-head' },
          h('h2', null, `Team members (${members.length})`),
          button('Add team member', () => addDialog(p, load), { kind: 'primary', icon: 'plus' }),
        ),
        members.length ? table(members, names) : empty('No team members', 'Add IAM users to give them a role in this project.'),
      );
    } catch (e) {
      fill(card, h('div', { class: 'card-body' }, errorBanner(e)));
    }
  }

  function table(members, names) {
    return h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table', 'aria-label': 'Team members' },
        h('thead', null, h('tr', null, h('th', null, 'User'), h('th', null, 'Project role'), h('th', null, 'Remote access'), h('th', { class: 'num' }, ''))),
        h(
          'tbody',
          null,
          members.map((m) => {
            const profile = names.get(m.userArn);
            const role = select(ROLES, m.projectRole, { 'aria-label': `Role of ${arnTail(m.userArn)}` });
            role.addEventListener('change', () =>
              update(m, { projectRole: role.value }, `Role changed to ${role.value}`, () => {
                role.value = m.projectRole;
              }),
            );
            return h(
              'tr',
              { dataset: { member: m.userArn } },
              h('td', null, h('div', null, profile?.displayName || arnTail(m.userArn)), h('div', { class: 'mono small muted' }, m.userArn)),
              h('td', null, role),
              h('td', null, m.remoteAccessAllowed ? badge('Allowed', 'info') : badge('Not allowed')),
              h(
                'td',
                { class: 'num' },
                button('Remove', () => remove(m), { kind: 'small danger' }),
              ),
            );
          }),
        ),
      ),
    );
  }

  async function update(m, change, message, undo) {
    fill(errors);
    try {
      await call('codestar', 'UpdateTeamMember', { projectId: p.id, userArn: m.userArn, ...change });
      toast(message, 'ok');
      load();
    } catch (e) {
      undo();
      fill(errors, errorBanner(e));
    }
  }

  function remove(m) {
    confirmDanger({
      title: `Remove ${arnTail(m.userArn)}?`,
      text: `They lose the ${m.projectRole} role in ${p.id} and its permissions.`,
      confirmLabel: 'Remove member',
      onConfirm: async () => {
        await call('codestar', 'DisassociateTeamMember', { projectId: p.id, userArn: m.userArn });
        toast(`${arnTail(m.userArn)} removed from the team`, 'ok');
        load();
      },
    });
  }

  load();
  return h('div', null, errors, card);
}

function addDialog(p, reload) {
  const user = h('input', { name: 'user', required: true, autocomplete: 'off', spellcheck: 'false', placeholder: 'alice or arn:aws:iam::…:user/alice' });
  const role = select(ROLES, 'Contributor', { name: 'projectRole' });
  const remote = h('input', { type: 'checkbox', name: 'remoteAccessAllowed' });
  dialog({
    title: 'Add team member',
    submitLabel: 'Add to team',
    body: h(
      'div',
      { class: 'stack' },
      field('IAM user', user, 'A user name in this account, or the user’s ARN.'),
      field('Project role', role, 'Owners manage the team; contributors change the project’s resources; viewers read.'),
      h('label', { class: 'check' }, remote, 'Allow remote access to project resources'),
    ),
    onSubmit: async () => {
      const userArn = userArnFor(user.value);
      await call('codestar', 'AssociateTeamMember', {
        projectId: p.id,
        userArn,
        projectRole: role.value,
        remoteAccessAllowed: remote.checked,
        clientRequestToken: crypto.randomUUID(),
      });
      toast(`${arnTail(userArn)} added as ${role.value}`, 'ok');
      reload();
    },
  });
}
