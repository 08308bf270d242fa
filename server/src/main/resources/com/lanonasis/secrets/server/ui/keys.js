// Settings → API keys, for an ADMIN key without a name prefix (the server refuses anyone else, and
// this screen says why instead of offering what would be refused): the keys of the tenant (every
// tenant's for the operator), create one (shown once, with Copy), revoke one after a confirmation.
//
// A created key lives in the page until "I have stored it", leaving the screen, or sign-out; it
// goes into no storage, URL, title or log.

import * as api from './api.js';
import {confirmChange} from './confirm.js';
import {byId, el, replace, time} from './dom.js';
import {DEFAULT_TENANT, isValidTenant} from './client-rules.js';
import {prefixProblem} from './rules.js';

const ROLES = {ADMIN: 'Admin', READ_WRITE: 'Read-write', READ_ONLY: 'Read-only'};
// The server's operator: its unscoped ADMIN keys act on every tenant.
const OPERATOR_TENANT = DEFAULT_TENANT;

const state = {session: null, seq: 0, copied: null};

/** Why this session may not manage keys, or null when it may. */
export function deniedReason(session) {
  if (session.role !== 'ADMIN') {
    return `Your key is ${ROLES[session.role] || session.role}: only an Admin key manages API keys and reads the audit log.`;
  }
  if (session.prefix) {
    return `Your Admin key is limited to names under ${session.prefix}. Managing keys and reading the audit log need `
        + 'an Admin key without a name prefix, since a limited key could otherwise make itself an unlimited one.';
  }
  return null;
}

export function wire() {
  byId('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    create();
  });
  byId('new-key-copy').addEventListener('click', copyKey);
  byId('new-key-done').addEventListener('click', () => {
    hideNewKey();
    byId('key-create').focus();
  });
}

/** Shows the screen for `session` (called each time it is opened). */
export function show(session) {
  state.session = session;
  const denied = deniedReason(session);
  byId('keys-denied').textContent = denied || '';
  byId('keys-denied').hidden = !denied;
  byId('keys-panel').hidden = Boolean(denied);
  if (denied) {
    return;
  }
  byId('key-tenant-field').hidden = session.tenant !== OPERATOR_TENANT;
  byId('key-tenant').placeholder = session.tenant;
  load();
}

/** Leaving the screen, signing out or a session that ended: the new key goes from the page. */
export function stop() {
  state.seq++;
  hideNewKey();
  byId('keys-body').replaceChildren();
  byId('keys-status').textContent = '';
}

function notify(message, isError = false) {
  const status = byId('keys-status');
  status.classList.toggle('is-error', isError);
  status.textContent = '';
  status.textContent = message;
}

async function load() {
  const seq = ++state.seq;
  const table = byId('keys-table');
  table.setAttribute('aria-busy', 'true');
  try {
    const result = await api.listKeys();
    if (seq !== state.seq) {
      return;
    }
    replace(byId('keys-body'), (result.items || []).map(row));
  } catch (e) {
    if (seq === state.seq && e.status !== 401) {
      notify(`Could not list the keys: ${e.message}`, true);
    }
  } finally {
    if (seq === state.seq) {
      table.removeAttribute('aria-busy');
    }
  }
}

function row(key) {
  const mine = key.id === state.session.keyId;
  return el('tr', {dataset: {id: key.id}, class: key.revokedAt ? 'is-deleted' : undefined},
      el('td', {class: 'name'}, key.id, mine && el('span', {class: 'badge you', text: 'you'})),
      el('td', {}, key.tenant),
      el('td', {}, ROLES[key.role] || key.role),
      el('td', {class: 'name'}, key.prefix || el('span', {class: 'muted', text: 'every name'})),
      el('td', {class: 'when'}, time(key.createdAt)),
      el('td', {class: 'when'}, key.revokedAt
        ? el('span', {class: 'state-destroyed'}, 'revoked ', time(key.revokedAt))
        : el('span', {class: 'state-live', text: 'active'})),
      el('td', {class: 'actions-cell'}, el('div', {class: 'actions'},
          !key.revokedAt && el('button', {class: 'btn btn-small btn-danger revoke', type: 'button',
            'aria-label': `Revoke key ${key.id}`, onclick: () => revoke(key)}, 'Revoke…'))));
}

async function create() {
  const prefixInput = byId('key-prefix');
  const tenantInput = byId('key-tenant');
  const prefix = prefixInput.value.trim();
  const tenant = tenantInput.value.trim();
  const prefixError = prefixProblem(prefix);
  const tenantError = tenant && !isValidTenant(tenant) ? 'A tenant is 1 to 64 letters, digits, ".", "_" or "-".' : null;
  byId('key-prefix-error').textContent = prefixError || '';
  byId('key-tenant-error').textContent = tenantError || '';
  invalid(prefixInput, prefixError);
  invalid(tenantInput, tenantError);
  if (prefixError || tenantError) {
    (prefixError ? prefixInput : tenantInput).focus();
    return;
  }
  const spec = {role: byId('key-role').value};
  if (prefix) {
    spec.prefix = prefix;
  }
  if (tenant && !byId('key-tenant-field').hidden) {
    spec.tenant = tenant;
  }
  const button = byId('key-create');
  button.disabled = true;
  let created;
  try {
    created = await api.createKey(spec);
  } catch (e) {
    if (e.status !== 401) {
      notify(`Not created: ${e.message}`, true);
    }
    return;
  } finally {
    button.disabled = false;
  }
  prefixInput.value = '';
  tenantInput.value = '';
  byId('new-key-title').textContent = `New ${ROLES[created.role] || created.role} key ${created.id}`
      + (created.prefix ? ` for names under ${created.prefix}` : '') + ` (tenant ${created.tenant})`;
  byId('new-key-value').textContent = created.key;
  byId('new-key').hidden = false;
  byId('new-key').focus();
  notify(`Created key ${created.id}. Copy it now: it will not be shown again.`);
  await load();
}

function invalid(input, problem) {
  if (problem) {
    input.setAttribute('aria-invalid', 'true');
  } else {
    input.removeAttribute('aria-invalid');
  }
}

function hideNewKey() {
  byId('new-key-value').textContent = '';
  byId('new-key').hidden = true;
  const copy = byId('new-key-copy');
  copy.textContent = 'Copy';
  copy.classList.remove('btn-done');
}

async function copyKey() {
  const text = byId('new-key-value').textContent;
  const copy = byId('new-key-copy');
  try {
    if (!navigator.clipboard || !window.isSecureContext) {
      throw new Error('no clipboard');
    }
    await navigator.clipboard.writeText(text);
    copy.textContent = 'Copied';
    copy.classList.add('btn-done');
  } catch {
    // The browser refused: select the key for the keyboard instead.
    const range = document.createRange();
    range.selectNodeContents(byId('new-key-value'));
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    notify('Your browser did not let the page copy. The key is selected: press Ctrl+C (⌘C on a Mac).');
  }
}

async function revoke(key) {
  const mine = key.id === state.session.keyId;
  const yes = await confirmChange({
    title: `Revoke key ${key.id}?`,
    message: `Key ${key.id} (${ROLES[key.role] || key.role}, tenant ${key.tenant}${key.prefix ? ', names under ' + key.prefix : ''}) `
        + 'stops working at its next request, and every session signed in with it ends. This cannot be undone.'
        + (mine ? ' It is the key you are signed in with: you will be signed out.' : ''),
    action: 'Revoke key',
  });
  if (!yes) {
    return;
  }
  try {
    await api.revokeKey(key.id);
  } catch (e) {
    if (e.status !== 401) {
      notify(e.status === 409 ? `Key ${key.id} was already revoked.` : `Could not revoke ${key.id}: ${e.message}`, true);
      await load();
    }
    return;
  }
  notify(`Revoked key ${key.id}.`);
  await load();
}
