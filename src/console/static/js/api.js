// The console's only way to the server: JSON POSTs that carry the session's CSRF token. Each call
// becomes the AWS call it names, made by the server with the session's credentials; AWS errors come
// back as { code, message } with AWS's own message.

let csrfToken = '';
/** The Region the console's calls are made in (the Region selector); empty: the server's. */
let region = '';
export const setRegion = (r) => {
  region = r ?? '';
};

class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code);
    this.status = status;
    this.code = code;
  }
}

function post(path, body, signal) {
  return fetch(`/console/api/${path}`, {
    method: 'POST',
    credentials: 'same-origin',
    signal,
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken, ...(region ? { 'x-startrail-region': region } : {}) },
    body: JSON.stringify(body ?? {}),
  });
}

async function failure(r) {
  let data = {};
  try {
    data = await r.json();
  } catch {
    /* not JSON */
  }
  const e = new ApiError(r.status, data.code || `HTTP ${r.status}`, data.message || r.statusText);
  if (r.status === 401 && e.code === 'SessionExpired') window.dispatchEvent(new CustomEvent('console:session-ended', { detail: e }));
  return e;
}

async function parse(r) {
  if (!r.ok) throw await failure(r);
  return r.json();
}

export async function getSession() {
  const s = await parse(await fetch('/console/api/session', { credentials: 'same-origin' }));
  csrfToken = s.csrfToken ?? '';
  return s;
}

export async function signIn(accessKeyId, secretAccessKey) {
  const s = await parse(await post('signin', { accessKeyId, secretAccessKey }));
  csrfToken = s.csrfToken ?? '';
  return s;
}

export async function signOut() {
  try {
    await parse(await post('signout'));
  } finally {
    csrfToken = '';
  }
}

/** One AWS call: call('codestar', 'CreateProject', { id, name }) → the operation's output. */
export async function call(service, operation, input = {}) {
  return parse(await post(`call/${service}/${operation}`, input));
}

/** Every page of a paginated list: follows nextToken/NextToken and concatenates `key`. */
export async function all(service, operation, input, key) {
  const out = [];
  let token;
  do {
    const page = await call(service, operation, { ...input, ...(token ? { nextToken: token } : {}) });
    out.push(...(page[key] ?? []));
    token = page.nextToken;
  } while (token);
  return out;
}

/** A streamed file: reports the lines received so far (less the header); `signal` cancels. Resolves to a Blob. */
async function fetchFile(path, body, type, onProgress, signal) {
  const r = await post(path, body, signal);
  if (!r.ok) throw await failure(r);
  const reader = r.body.getReader();
  const parts = [];
  let lines = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    for (const b of value) if (b === 10) lines++;
    onProgress?.(Math.max(0, lines - 1));
  }
  return new Blob(parts, { type });
}

/**
 * Event history as a file: the server streams every page of LookupEvents for `filter`. Reports the
 * number of events received so far; `signal` cancels. Resolves to a Blob.
 */
export function download(format, filter, onProgress, signal) {
  return fetchFile('download', { format, filter }, format === 'csv' ? 'text/csv' : 'application/json', onProgress, signal);
}

/** A Lake query's results as CSV: the server streams every page of GetQueryResults. */
export function downloadQueryResults(queryId, onProgress, signal) {
  return fetchFile('download/query-results', { QueryId: queryId }, 'text/csv', onProgress, signal);
}
