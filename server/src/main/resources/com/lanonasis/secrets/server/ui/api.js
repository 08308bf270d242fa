// The one place the dashboard talks to the server: same-origin fetch with the session cookie, the
// session's token on every request, and RFC 9457 problems turned into ApiError. The server gives
// the token only in the sign-in answer, so a cookie that reached a service on another port of the
// host (cookies ignore ports) is useless without it. It is kept in this origin's localStorage, which
// no other port can read, so that a reload or a second tab resumes the session; it is removed at
// sign-out and whenever the server ends the session. The API key is never stored anywhere.

const SESSION = '/api/v1/session';
const SECRETS = '/api/v1/secrets';
const KEYS = '/api/v1/keys';
const AUDIT = '/api/v1/audit';

/** A refused request: the HTTP status and the server's problem (detail, code, currentVersion...). */
export class ApiError extends Error {
  constructor(status, problem, retryAfter) {
    super(problem.detail || problem.title || 'HTTP ' + status);
    this.name = 'ApiError';
    this.status = status;
    this.code = problem.code || '';
    this.problem = problem;
    this.retryAfter = retryAfter;
  }
}

const TOKEN = 'lanonasis.sessionToken';
let sessionEnded = () => {};

function token() {
  try {
    return localStorage.getItem(TOKEN);
  } catch {
    return null; // storage disabled: the session lasts as long as this page
  }
}

function keepToken(value) {
  try {
    if (value) {
      localStorage.setItem(TOKEN, value);
    } else {
      localStorage.removeItem(TOKEN);
    }
  } catch {
    // storage disabled: nothing kept, nothing to remove
  }
}

/**
 * Called (once per 401) when the server no longer knows the session, with the server's problem
 * (its `code` is `session_conflict` when a second, planted session cookie was refused and cleared):
 * the app shows sign-in.
 */
export function onSessionEnded(callback) {
  sessionEnded = callback;
}

/**
 * Exchanges the API key for a session. The key is used for this one request's Authorization
 * header and is not kept anywhere; the caller clears its input.
 */
export async function signIn(apiKey) {
  const response = await fetch(SESSION, {
    method: 'POST',
    credentials: 'same-origin',
    cache: 'no-store',
    headers: {'Authorization': 'Bearer ' + apiKey},
  });
  const session = await read(response);
  keepToken(session.csrfToken);
  delete session.csrfToken;
  return session;
}

/**
 * The session the cookie and the kept token stand for, or null when there is none (or it ended);
 * `problem` gets the server's refusal, if it sent one.
 */
export async function resume(problem = () => {}) {
  const kept = token();
  const response = await fetch(SESSION, {
    credentials: 'same-origin',
    cache: 'no-store',
    headers: kept ? {'X-CSRF-Token': kept} : {},
  });
  if (response.status === 401) {
    keepToken(null);
    try {
      problem(await response.json());
    } catch {
      // no problem body: nothing more to say than "signed out"
    }
    return null;
  }
  return read(response);
}

export async function signOut() {
  try {
    await call('DELETE', SESSION, undefined, {quiet401: true});
  } finally {
    keepToken(null);
  }
}

/** Forgets the token without asking the server (the session already ended). */
export function forget() {
  keepToken(null);
}

/** `prod/db/password` → `prod/db/password` with each segment percent-encoded. */
export function secretPath(name, action) {
  const path = SECRETS + '/' + name.split('/').map(encodeURIComponent).join('/');
  return action ? path + ':' + action : path;
}

/**
 * One page of names. With `contains` the server looks at a bounded number of names per request, so
 * a page may hold fewer than `limit` items, or none, while `nextCursor` is still present.
 */
export function listSecrets({prefix, contains, limit, cursor}) {
  const query = new URLSearchParams();
  if (prefix) {
    query.set('prefix', prefix);
  }
  if (contains) {
    query.set('contains', contains);
  }
  query.set('limit', String(limit));
  if (cursor) {
    query.set('cursor', cursor);
  }
  return call('GET', SECRETS + '?' + query);
}

/** The value, by a POST (audited as a reveal, never cached): the value never appears in a URL. */
export function reveal(name, version) {
  return call('POST', secretPath(name, 'reveal'), version ? {version} : {});
}

export function store(secret) {
  return call('POST', SECRETS, secret);
}

export function versions(name) {
  return call('GET', secretPath(name, 'versions'));
}

export function remove(name) {
  return call('DELETE', secretPath(name));
}

export function restore(name) {
  return call('POST', secretPath(name, 'restore'));
}

/** Destroys one version, or every version when `version` is absent. */
export function destroy(name, version) {
  const path = secretPath(name, 'destroy');
  return call('POST', version ? path + '?version=' + encodeURIComponent(version) : path);
}

/** A dry run (`dryRun`: nothing written) or the import itself, all or nothing. */
export function importSecrets(entries, dryRun) {
  return call('POST', SECRETS + ':import', {entries, dryRun});
}

/** Every value under `prefix` the key may read; audited as `export`, never cached. */
export function exportSecrets(prefix) {
  return call('POST', SECRETS + ':export', {prefix});
}

export function listKeys() {
  return call('GET', KEYS);
}

/** {role, prefix?, tenant?} → {id, key, ...}: the only answer that ever holds the key. */
export function createKey(spec) {
  return call('POST', KEYS, spec);
}

export function revokeKey(id) {
  return call('POST', KEYS + '/' + encodeURIComponent(id) + ':revoke');
}

/** Audit entries newest first: `before` 0 is the newest; `filters` as the server names them. */
export function audit(before, limit, filters) {
  const query = new URLSearchParams({before: String(before), limit: String(limit)});
  for (const [k, v] of Object.entries(filters)) {
    if (v) {
      query.set(k, v);
    }
  }
  return call('GET', AUDIT + '?' + query);
}

export function verifyAudit() {
  return call('GET', AUDIT + '/verify');
}

async function call(method, path, body, {quiet401 = false} = {}) {
  const headers = {'Accept': 'application/json, application/problem+json', 'X-CSRF-Token': token() || ''};
  const init = {method, headers, credentials: 'same-origin', cache: 'no-store'};
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, {detail: 'The server cannot be reached. Check that it is running, then try again.'});
  }
  if (response.status === 401 && !quiet401) {
    keepToken(null);
    let problem = {};
    try {
      problem = await response.clone().json();
    } catch {
      // no problem body
    }
    sessionEnded(problem);
  }
  return read(response);
}

async function read(response) {
  const type = response.headers.get('Content-Type') || '';
  if (response.ok) {
    if (response.status === 204 || !type.includes('json')) {
      return {};
    }
    return response.json();
  }
  let problem = {status: response.status, title: response.statusText};
  if (type.includes('json')) {
    try {
      problem = await response.json();
    } catch {
      // a body that is not JSON: the status says enough
    }
  }
  const retry = Number.parseInt(response.headers.get('Retry-After') || '', 10);
  throw new ApiError(response.status, problem, Number.isNaN(retry) ? undefined : retry);
}
