// The console's entry point: asks the server who is signed in, then shows the sign-in page or the
// shell (top bar, navigation) with the page the URL names. A session that ends mid-use returns to sign-in.
import { getSession, setRegion, signOut } from './api.js';
import { h, fill, link, select } from './dom.js';
import { match, navigate, route, startRouter } from './router.js';
import { state } from './state.js';
import { button, toast } from './ui.js';
import { signInPage } from './pages/signin.js';
import { projectsPage } from './pages/projects.js';
import { projectPage } from './pages/project.js';
import { eventsPage } from './pages/events.js';
import { eventPage } from './pages/event-detail.js';
import { trailsPage } from './pages/trails.js';
import { lakePage } from './pages/lake.js';
import { profilePage } from './pages/profile.js';

route('/', projectsPage);
route('/projects', projectsPage);
route('/projects/:id', projectPage);
route('/projects/:id/:tab', projectPage);
route('/events', eventsPage);
route('/events/:eventId', eventPage);
route('/lake', lakePage);
route('/trails', trailsPage);
route('/profile', profilePage);

const app = document.getElementById('app');
const NAV = [
  ['/console/projects', 'Projects', ['/', '/projects']],
  ['/console/events', 'Event history', ['/events']],
  ['/console/lake', 'Lake query', ['/lake']],
  ['/console/trails', 'Trails', ['/trails']],
];

function topbar(pathname) {
  const id = state.session.identity;
  const section = pathname.replace(/^\/console/, '').replace(/^(\/[^/]*).*$/, '$1') || '/';
  return h(
    'header',
    { class: 'topbar' },
    link('/console/projects', h('img', { src: '/console/static/favicon.svg', alt: '' }), 'startrail'),
    h(
      'nav',
      { class: 'nav', 'aria-label': 'Main' },
      NAV.map(([href, label, sections]) => {
        const a = link(href, label);
        if (sections.includes(section)) a.setAttribute('aria-current', 'page');
        return a;
      }),
    ),
    h(
      'div',
      { class: 'who' },
      regionPicker(),
      chip(id),
      button(
        'Sign out',
        async () => {
          await signOut().catch(() => {});
          state.session = null;
          navigate('/console/', { replace: true });
        },
        { kind: 'small', icon: 'logout' },
      ),
    ),
  );
}

/**
 * AWS's Region selector: the console's calls are made in the chosen Region (Event history is per
 * Region); the choice is kept in this browser.
 */
const REGION_KEY = 'startrail.region';
function useRegion() {
  const s = state.session;
  const saved = localStorage.getItem(REGION_KEY);
  s.currentRegion = saved && (s.regions ?? []).includes(saved) ? saved : s.region;
  setRegion(s.currentRegion);
}
function regionPicker() {
  const s = state.session;
  const regions = s.regions?.length ? s.regions : [s.region];
  const picker = select(
    regions.map((r) => [r, r]),
    s.currentRegion,
    { class: 'region', 'aria-label': 'Region', title: 'Region' },
  );
  picker.addEventListener('change', () => {
    localStorage.setItem(REGION_KEY, picker.value);
    useRegion();
    render();
  });
  return picker;
}

function chip(id) {
  const a = link(
    '/console/profile',
    h('span', { class: 'avatar', 'aria-hidden': 'true' }, id.userName.slice(0, 1)),
    h('span', { class: 'name' }, id.userName),
    h('span', { class: 'acct' }, id.accountId),
  );
  a.className = 'chip';
  a.title = `${id.arn} — my profile`;
  return a;
}

function render() {
  if (!state.session?.signedIn) {
    document.title = 'Sign in · startrail';
    fill(
      app,
      signInPage(async (s) => {
        state.session = s;
        useRegion();
        toast(`Signed in as ${s.identity.userName}`, 'ok');
        render();
      }),
    );
    return;
  }
  const found = match(location.pathname);
  const main = h('main', { id: 'main' });
  fill(app, topbar(location.pathname), main);
  app.querySelector('.topbar > a').className = 'brand';
  if (!found) return fill(main, h('div', { class: 'empty' }, h('strong', null, 'There is no such page'), link('/console/projects', 'Go to projects')));
  const page = found.view(found.params, new URLSearchParams(location.search));
  fill(main, page);
  document.title = `${page.dataset.title ?? 'Console'} · startrail`;
}

window.addEventListener('console:session-ended', (ev) => {
  state.session = null;
  state.notice = ev.detail?.message;
  render();
});

try {
  state.session = await getSession();
  if (state.session?.signedIn) useRegion();
} catch {
  state.session = null;
}
startRouter(render);
