// One project: its facts (DescribeProject) and three tabs — Team (team.js), Resources (ListResources)
// and Settings (UpdateProject, DeleteProject with the project id typed to confirm).
import { all, call } from '../api.js';
import { h, fill, link } from '../dom.js';
import { fmtTime } from '../format.js';
import { navigate } from '../router.js';
import { badge, button, confirmDanger, copyButton, empty, errorBanner, field, loading, toast, busy } from '../ui.js';
import { teamTab } from './team.js';

const TABS = [
  ['team', 'Team'],
  ['resources', 'Resources'],
  ['settings', 'Settings'],
];

export function projectPage({ id, tab = 'team' }) {
  const head = h('div', null, loading('Loading the project…'));
  const content = h('div');
  const root = h('section', { dataset: { title: id } }, head, content);
  const base = `/console/projects/${encodeURIComponent(id)}`;
  const tabs = h(
    'nav',
    { class: 'tabs', 'aria-label': 'Project' },
    TABS.map(([key, label]) => {
      const a = link(`${base}/${key}`, label);
      if (key === tab) a.setAttribute('aria-current', 'page');
      return a;
    }),
  );

  call('codestar', 'DescribeProject', { id }).then(
    (p) => {
      fill(
        head,
        h('div', { class: 'crumbs' }, link('/console/projects', 'Projects'), h('span', { 'aria-hidden': 'true' }, '›'), h('span', null, p.id)),
        h(
          'div',
          { class: 'page-head' },
          h('div', null, h('h1', { class: 'project-name' }, p.name), h('p', { class: 'project-description' }, p.description || 'No description')),
          h('div', { class: 'actions' }, badge(p.status?.state ?? 'CreateComplete', 'ok dot')),
        ),
        h(
          'div',
          { class: 'card' },
          h(
            'div',
            { class: 'card-body' },
            h(
              'dl',
              { class: 'facts' },
              fact('Project ID', h('span', { class: 'mono' }, p.id)),
              wide(fact('ARN', h('span', { class: 'mono small' }, p.arn, ' '), copyButton(p.arn))),
              fact('Created', fmtTime(p.createdTimeStamp)),
            ),
          ),
        ),
        tabs,
      );
      head.querySelector('.card').classList.add('project-facts');
      if (tab === 'team') fill(content, teamTab(p));
      else if (tab === 'resources') fill(content, resourcesTab(p));
      else if (tab === 'settings') fill(content, settingsTab(p));
      else fill(content, empty('There is no such tab', ''));
    },
    (e) => fill(head, h('div', { class: 'crumbs' }, link('/console/projects', 'Projects')), errorBanner(e)),
  );
  return root;
}

const fact = (label, ...value) => h('div', null, h('dt', null, label), h('dd', null, ...value));
const wide = (el) => {
  el.className = 'wide';
  return el;
};

/** A friendly kind for an ARN: arn:aws:iam::1:policy/x → "IAM policy". */
function kindOf(arn) {
  const [, , service = '', , , rest = ''] = String(arn).split(':');
  const type = rest.split('/')[0] || rest;
  return `${service.toUpperCase()} ${type}`.trim();
}

function resourcesTab(p) {
  const body = h('div', { class: 'card' }, loading('Loading resources…'));
  all('codestar', 'ListResources', { projectId: p.id }, 'resources').then(
    (list) => {
      fill(
        body,
        h('div', { class: 'card-head' }, h('h2', null, `Resources (${list.length})`)),
        list.length
          ? h(
              'div',
              { class: 'table-wrap' },
              h(
                'table',
                { class: 'table', 'aria-label': 'Resources' },
                h('thead', null, h('tr', null, h('th', null, 'Type'), h('th', null, 'ARN'))),
                h(
                  'tbody',
                  null,
                  list.map((r) => h('tr', null, h('td', { class: 'nowrap' }, kindOf(r.id)), h('td', { class: 'mono' }, r.id))),
                ),
              ),
            )
          : empty('No resources', 'This project owns no resources.'),
      );
    },
    (e) => fill(body, h('div', { class: 'card-body' }, errorBanner(e))),
  );
  return body;
}

function settingsTab(p) {
  const name = h('input', { name: 'name', value: p.name, maxlength: 100, required: true });
  const description = h('textarea', { name: 'description', maxlength: 1024, rows: 4 }, p.description ?? '');
  const errors = h('div');
  const save = h('button', { class: 'btn primary', type: 'submit' }, 'Save changes');
  const form = h('form', { class: 'form card-body' }, errors, field('Project name', name), field('Description', description), h('div', { class: 'row' }, save));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    fill(errors);
    try {
      await busy(save, () => call('codestar', 'UpdateProject', { id: p.id, name: name.value.trim(), description: description.value.trim() }));
      toast('Project updated', 'ok');
      navigate(`/console/projects/${encodeURIComponent(p.id)}/settings`, { replace: true });
    } catch (e) {
      fill(errors, errorBanner(e));
    }
  });
  const deleteStack = h('input', { type: 'checkbox', checked: true });
  const del = button(
    'Delete project',
    () =>
      confirmDanger({
        title: `Delete ${p.id}?`,
        text: 'The project, its team associations and its role policies are deleted. This cannot be undone.',
        confirmLabel: 'Delete project',
        typed: p.id,
        extra: h('label', { class: 'check' }, deleteStack, 'Also delete the resources the project created'),
        onConfirm: async () => {
          await call('codestar', 'DeleteProject', { id: p.id, clientRequestToken: crypto.randomUUID(), deleteStack: deleteStack.checked });
          toast(`Project ${p.id} deleted`, 'ok');
          navigate('/console/projects');
        },
      }),
    { kind: 'danger', icon: 'trash' },
  );
  return h(
    'div',
    { class: 'stack' },
    h('div', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', null, 'Project details')), form),
    h(
      'div',
      { class: 'card' },
      h(
        'div',
        { class: 'card-head' },
        h('div', null, h('h2', null, 'Delete project'), h('p', { class: 'muted small' }, 'Removes the project for everyone on its team.')),
        del,
      ),
    ),
  );
}
