// Projects: every CodeStar project in the account (ListProjects, then DescribeProject for each), and
// creating one (CreateProject). Names and descriptions are shown as text, whatever they contain.
import { all, call } from '../api.js';
import { h, fill, link } from '../dom.js';
import { ago, fmtTime } from '../format.js';
import { navigate } from '../router.js';
import { badge, button, dialog, empty, errorBanner, field, loading, toast } from '../ui.js';
import { PROJECT_ID } from '../models.generated.js';

export function projectsPage() {
  const body = h('div', { class: 'card' }, loading('Loading projects…'));
  const create = button('Create project', () => createProjectDialog(), { kind: 'primary', icon: 'plus' });
  const root = h(
    'section',
    { dataset: { title: 'Projects' } },
    h(
      'div',
      { class: 'page-head' },
      h('div', null, h('h1', null, 'Projects'), h('p', null, 'CodeStar projects in this account, with their teams and resources.')),
      h(
        'div',
        { class: 'actions' },
        button('Refresh', () => load(), { icon: 'refresh' }),
        create,
      ),
    ),
    body,
  );

  async function load() {
    fill(body, loading('Loading projects…'));
    try {
      const list = await all('codestar', 'ListProjects', {}, 'projects');
      const projects = await mapLimit(list, 8, (p) =>
        call('codestar', 'DescribeProject', { id: p.projectId }).catch((e) => ({ id: p.projectId, arn: p.projectArn, error: e })),
      );
      projects.sort((a, b) => (b.createdTimeStamp ?? 0) - (a.createdTimeStamp ?? 0));
      fill(
        body,
        projects.length
          ? table(projects)
          : empty(
              'No projects yet',
              'A project gathers a team, its roles and its resources.',
              button('Create project', () => createProjectDialog(), { kind: 'primary' }),
            ),
      );
    } catch (e) {
      fill(body, h('div', { class: 'card-body' }, errorBanner(e)));
    }
  }
  load();
  return root;
}

function table(projects) {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'table', 'aria-label': 'Projects' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', null, 'Name'),
          h('th', null, 'Project ID'),
          h('th', null, 'Description'),
          h('th', null, 'Status'),
          h('th', { class: 'nowrap' }, 'Created'),
        ),
      ),
      h(
        'tbody',
        null,
        projects.map((p) =>
          h(
            'tr',
            { dataset: { project: p.id } },
            h('td', null, link(`/console/projects/${encodeURIComponent(p.id)}`, p.name ?? p.id)),
            h('td', { class: 'mono' }, p.id),
            h('td', { class: 'muted' }, p.error ? p.error.message : p.description || '—'),
            h(
              'td',
              null,
              p.error ? badge(p.error.code, 'bad') : badge(p.status?.state ?? 'CreateComplete', p.status?.state?.includes('Fail') ? 'bad' : 'ok dot'),
            ),
            h('td', { class: 'nowrap', title: fmtTime(p.createdTimeStamp) }, ago(p.createdTimeStamp)),
          ),
        ),
      ),
    ),
  );
}

const ID_PATTERN = new RegExp(PROJECT_ID.pattern);
/** Whether CodeStar accepts `id` as a project id (the model's pattern and length). */
const isProjectId = (id) => id.length >= PROJECT_ID.min && id.length <= PROJECT_ID.max && ID_PATTERN.test(id);

/** The project id CodeStar accepts, suggested from a name: lower-case letters, digits and hyphens, starting with a letter. */
function idFrom(name) {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, PROJECT_ID.max)
    .replace(/-+$/, '');
  return s.length >= PROJECT_ID.min ? s : '';
}

function createProjectDialog() {
  const name = h('input', { name: 'name', required: true, maxlength: 100, autocomplete: 'off' });
  const id = h('input', { name: 'id', required: true, maxlength: PROJECT_ID.max, class: 'mono', autocomplete: 'off', spellcheck: 'false' });
  const description = h('textarea', { name: 'description', maxlength: 1024, rows: 3 });
  let idEdited = false;
  name.addEventListener('input', () => {
    if (!idEdited) id.value = idFrom(name.value);
  });
  id.addEventListener('input', () => {
    idEdited = true;
    id.setAttribute('aria-invalid', String(!isProjectId(id.value)));
  });
  dialog({
    title: 'Create project',
    submitLabel: 'Create project',
    body: h(
      'div',
      { class: 'stack' },
      field('Project name', name),
      field('Project ID', id, '2–15 characters: lower-case letters, digits and hyphens, starting with a letter. It cannot be changed later.'),
      field('Description', description, 'Optional.'),
    ),
    onSubmit: async () => {
      const input = { name: name.value.trim(), id: id.value.trim(), clientRequestToken: crypto.randomUUID() };
      if (description.value.trim()) input.description = description.value.trim();
      const out = await call('codestar', 'CreateProject', input);
      toast(`Project ${out.id} created`, 'ok');
      navigate(`/console/projects/${encodeURIComponent(out.id)}`);
    },
  });
}

async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
