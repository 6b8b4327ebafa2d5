// Client-side routing over real URLs (/console/projects/x, /console/events?…): the server answers every
// page path with the app shell; links marked data-link and navigate() switch views without a reload.

const routes = [];
let render = () => {};

/** route('/projects/:id', (params, query) => page) */
export function route(pattern, view) {
  const names = [];
  const re = new RegExp(
    `^/console${pattern.replace(/:(\w+)/g, (_, n) => {
      names.push(n);
      return '([^/]+)';
    })}/?$`,
  );
  routes.push({ re, names, view });
}

export function match(pathname) {
  for (const r of routes) {
    const m = r.re.exec(pathname);
    if (!m) continue;
    try {
      return { view: r.view, params: Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1])])) };
    } catch {
      return undefined; // a malformed %-escape: no such page
    }
  }
  return undefined;
}

export function navigate(url, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  render();
  window.scrollTo(0, 0);
}

/** Updates the query string of the current page without re-rendering it (filters kept shareable). */
export function setQuery(params) {
  const q = params.toString();
  history.replaceState(null, '', `${location.pathname}${q ? `?${q}` : ''}`);
}

export function startRouter(onRender) {
  render = onRender;
  window.addEventListener('popstate', () => render());
  document.addEventListener('click', (ev) => {
    const a = ev.target instanceof Element ? ev.target.closest('a[data-link]') : null;
    if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    ev.preventDefault();
    navigate(a.getAttribute('href'));
  });
  render();
}
