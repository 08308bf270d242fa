// The dashboard's entry point: resumes or starts a session, shows sign-in or the app, signs out.
// The API key typed at sign-in is read once, sent once, and its input cleared before the request.

import * as api from './api.js';
import * as audit from './audit.js';
import {byId} from './dom.js';
import * as keys from './keys.js';
import * as secrets from './secrets.js';

const ROLES = {ADMIN: 'Admin', READ_WRITE: 'Read-write', READ_ONLY: 'Read-only'};

let session = null;
let current = null;

// Each screen: its section, the hash that opens it, its title, and what opening and leaving it do.
const VIEWS = {
  '#secrets': {section: 'view-secrets', title: 'Secrets', open: () => {}, leave: () => {}},
  '#api-keys': {section: 'view-keys', title: 'API keys', open: (s) => keys.show(s), leave: () => keys.stop()},
  '#audit': {section: 'view-audit', title: 'Audit log', open: (s) => audit.show(s), leave: () => audit.stop()},
};

/** Shows the screen the URL's hash names; any other hash (the skip link's #main) keeps the current one. */
function route(focus) {
  const view = VIEWS[location.hash] ? location.hash : current ? null : '#secrets';
  if (!view || !session) {
    return;
  }
  if (current && current !== view) {
    VIEWS[current].leave();
  }
  const changed = current !== view;
  current = view;
  for (const [hash, v] of Object.entries(VIEWS)) {
    byId(v.section).hidden = hash !== view;
  }
  for (const link of document.querySelectorAll('.sidenav .nav-link')) {
    if (link.getAttribute('href') === view) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
  document.title = `${VIEWS[view].title} · Lanonasis Secrets`;
  if (changed) {
    VIEWS[view].open(session);
    if (focus) {
      byId('main').focus();
    }
  }
}

function showSignIn(message) {
  session = null;
  api.forget();
  secrets.stop();
  if (current) {
    VIEWS[current].leave();
  }
  current = null;
  audit.forget();
  byId('booting').hidden = true;
  byId('app').hidden = true;
  byId('signin').hidden = false;
  const status = byId('signin-status');
  status.textContent = message || '';
  status.hidden = !message;
  byId('signin-error').textContent = '';
  document.title = 'Sign in · Lanonasis Secrets';
  byId('signin-key').focus();
}

function showApp(s) {
  session = s;
  byId('booting').hidden = true;
  byId('signin').hidden = true;
  byId('app').hidden = false;
  const parts = [`${ROLES[s.role] || s.role} key ${s.keyId}`, `tenant ${s.tenant}`];
  if (s.prefix) {
    parts.push(`names under ${s.prefix}`);
  }
  const who = byId('who');
  who.textContent = parts.join(' · ');
  who.title = who.textContent;
  secrets.start(s);
  route(false);
}

async function signIn(event) {
  event.preventDefault();
  const input = byId('signin-key');
  const error = byId('signin-error');
  const button = byId('signin-submit');
  const key = input.value.trim();
  input.value = '';
  error.textContent = '';
  if (!key) {
    error.textContent = 'Enter your API key.';
    input.setAttribute('aria-invalid', 'true');
    input.focus();
    return;
  }
  input.removeAttribute('aria-invalid');
  button.disabled = true;
  try {
    showApp(await api.signIn(key));
  } catch (e) {
    if (e.status === 401) {
      error.textContent = 'That key was not accepted: it is unknown, revoked or mistyped.';
    } else if (e.status === 429) {
      error.textContent = 'Too many failed attempts from here. Try again'
          + (e.retryAfter ? ` in ${e.retryAfter} s.` : ' later.');
    } else {
      error.textContent = e.message;
    }
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  } finally {
    button.disabled = false;
  }
}

async function signOut() {
  const button = byId('signout');
  button.disabled = true;
  try {
    await api.signOut();
  } catch {
    // The session is forgotten here either way; a server that cannot be reached keeps it until it expires.
  } finally {
    button.disabled = false;
  }
  showSignIn('You signed out.');
}

const CONFLICT = 'session_conflict';

/** Why the session ended, in words: a planted second session cookie is not the same as a timeout. */
function endedMessage(problem) {
  if (problem && problem.code === CONFLICT) {
    return 'Your browser sent two session cookies: another site on this host may have planted one to put '
        + 'you in its session. Both were removed. Sign in again, and check the key and tenant shown at the top.';
  }
  return 'Your session ended (it was idle too long, or reached its time limit). Sign in again.';
}

async function boot() {
  byId('signin-form').addEventListener('submit', signIn);
  byId('signout').addEventListener('click', signOut);
  api.onSessionEnded((problem) => {
    if (session) {
      const unsaved = byId('secret-dialog').open ? ' What you were typing in the form was not saved.'
          : byId('import-dialog').open ? ' Nothing was imported; the text you pasted was dropped.' : '';
      showSignIn(endedMessage(problem) + unsaved);
    }
  });
  secrets.wire();
  keys.wire();
  audit.wire();
  window.addEventListener('hashchange', () => route(true));
  try {
    let refusal = {};
    const resumed = await api.resume((problem) => {
      refusal = problem;
    });
    if (resumed) {
      showApp(resumed);
    } else {
      showSignIn(refusal.code === CONFLICT ? endedMessage(refusal) : undefined);
    }
  } catch (e) {
    showSignIn(e.message);
  }
}

boot();
