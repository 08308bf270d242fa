// Settings → Audit log, for an ADMIN key without a name prefix: entries newest first, 50 a page
// with "Older entries", filtered by the server (time range, key id, action, name prefix, outcome, and
// "Hide listing reads": the listings that showing the dashboard's pages records), times to the second,
// and the hash chain's verification status (the operator's keys only; at most one every 10 s).

import * as api from './api.js';
import {DEFAULT_TENANT, isNameText} from './client-rules.js';
import {byId, el, nameText, replace, time} from './dom.js';
import {deniedReason} from './keys.js';

const PAGE = 50;
const OPERATOR_TENANT = DEFAULT_TENANT;
const CHECKS = {
  keyId: [/^[0-9a-f]{16}$/, 'A key id is 16 lowercase hex digits (the part after lns_).'],
  action: [/^[a-z][a-z.]{0,15}$/, 'An action is a word such as write, reveal or key.create.'],
  name: [{test: isNameText}, 'A name prefix holds only letters, digits, ".", "_", "-" and "/".'],
};

const state = {session: null, seq: 0, filters: {}, nextBefore: null, verified: false};

export function wire() {
  byId('audit-filters').addEventListener('submit', (event) => {
    event.preventDefault();
    filter();
  });
  byId('audit-clear').addEventListener('click', () => {
    for (const id of ['audit-from', 'audit-until', 'audit-key', 'audit-action', 'audit-name', 'audit-outcome']) {
      byId(id).value = '';
    }
    byId('audit-hide-listings').checked = false;
    filter();
  });
  byId('audit-older').addEventListener('click', () => load(false));
  byId('verify-run').addEventListener('click', verify);
}

export function show(session) {
  if (state.session !== session) {
    state.verified = false;
  }
  state.session = session;
  const denied = deniedReason(session);
  byId('audit-denied').textContent = denied || '';
  byId('audit-denied').hidden = !denied;
  byId('audit-panel').hidden = Boolean(denied);
  if (denied) {
    return;
  }
  filter();
  if (!state.verified) {
    verify();
  }
}

export function stop() {
  state.seq++;
  byId('audit-body').replaceChildren();
  byId('audit-status').textContent = '';
}

/** Signed out: the next session verifies afresh. */
export function forget() {
  stop();
  state.session = null;
  state.verified = false;
  byId('verify-result').textContent = '';
}

function notify(message, isError = false) {
  const status = byId('audit-status');
  status.classList.toggle('is-error', isError);
  status.textContent = '';
  status.textContent = message;
}

function filter() {
  const filters = {
    keyId: byId('audit-key').value.trim(),
    action: byId('audit-action').value.trim(),
    name: byId('audit-name').value.trim(),
    outcome: byId('audit-outcome').value,
    hideListings: byId('audit-hide-listings').checked ? 'true' : '',
  };
  const problems = [];
  for (const [field, [pattern, message]] of Object.entries(CHECKS)) {
    const input = byId({keyId: 'audit-key', action: 'audit-action', name: 'audit-name'}[field]);
    const bad = filters[field] !== '' && !pattern.test(filters[field]);
    if (bad) {
      problems.push(message);
      input.setAttribute('aria-invalid', 'true');
    } else {
      input.removeAttribute('aria-invalid');
    }
  }
  for (const [field, id] of [['from', 'audit-from'], ['until', 'audit-until']]) {
    const raw = byId(id).value;
    if (raw) {
      const when = new Date(raw);
      if (Number.isNaN(when.getTime())) {
        problems.push('Enter a date and time, or leave it empty.');
      } else {
        filters[field] = when.toISOString();
      }
    }
  }
  byId('audit-filter-error').textContent = problems.join(' ');
  if (problems.length) {
    return;
  }
  state.filters = filters;
  load(true);
}

async function load(first) {
  const seq = ++state.seq;
  const table = byId('audit-table');
  table.setAttribute('aria-busy', 'true');
  const button = byId('audit-older');
  button.disabled = true;
  try {
    const result = await api.audit(first ? 0 : state.nextBefore, PAGE, state.filters);
    if (seq !== state.seq) {
      return;
    }
    state.nextBefore = result.nextBefore || null;
    const rows = (result.items || []).map(row);
    if (first) {
      replace(byId('audit-body'), rows);
    } else {
      byId('audit-body').append(...rows);
    }
    byId('audit-empty').hidden = byId('audit-body').children.length > 0;
    button.disabled = !state.nextBefore;
  } catch (e) {
    if (seq === state.seq && e.status !== 401) {
      notify(`Could not read the audit log: ${e.message}`, true);
    }
  } finally {
    if (seq === state.seq) {
      table.removeAttribute('aria-busy');
    }
  }
}

function row(entry) {
  const ok = entry.outcome === 'ok';
  return el('tr', {dataset: {seq: String(entry.seq), action: entry.action, outcome: entry.outcome, keyId: entry.keyId || ''}},
      el('td', {class: 'num'}, String(entry.seq)),
      el('td', {class: 'when'}, time(entry.time, false, true)),
      el('td', {class: 'name'}, entry.keyId || el('span', {class: 'muted', text: 'none'}),
          entry.key && el('span', {class: 'muted key-description', text: ` ${describeKey(entry.key)}`})),
      el('td', {class: 'action'}, entry.action, entry.repeated && el('span', {class: 'muted', text: ` ×${entry.repeated}`})),
      el('td', {class: 'name'}, entry.secretName ? nameText(entry.secretName) : el('span', {class: 'muted', text: '—'})),
      el('td', {}, el('span', {class: ok ? 'state-live' : 'state-destroyed', text: entry.outcome})),
      el('td', {class: 'muted'}, entry.clientAddress || '—'));
}

/** "Admin, prefix prod/, revoked": the key behind an entry, as the server describes it (keys have no names). */
export function describeKey(key) {
  const role = {ADMIN: 'Admin', READ_WRITE: 'Read-write', READ_ONLY: 'Read-only'}[key.role] || key.role;
  return [role, key.prefix ? `prefix ${key.prefix}` : 'every name', key.revoked ? 'revoked' : ''].filter(Boolean)
      .join(', ');
}

async function verify() {
  const result = byId('verify-result');
  const button = byId('verify-run');
  const session = state.session;
  if (!session || session.tenant !== OPERATOR_TENANT) {
    result.textContent = 'Chain verification is not available to this key: it reads every tenant\'s entries, so only '
        + 'the operator (an Admin key of tenant default without a name prefix) may run it.';
    button.hidden = true;
    return;
  }
  button.hidden = false;
  button.disabled = true;
  state.verified = true;
  result.textContent = 'Verifying the hash chain…';
  try {
    const v = await api.verifyAudit();
    result.replaceChildren(v.intact
      ? el('span', {class: 'state-live', text: `Chain intact: ${v.entries} entries verified`})
      : el('span', {class: 'state-destroyed', text: `Chain broken at entry ${v.firstBrokenSeq} (of ${v.entries}): `
            + 'an entry was changed, removed or inserted outside the server. Investigate before trusting the log.'}),
    ` · checked ${new Date().toLocaleTimeString()}`);
  } catch (e) {
    if (e.status === 429) {
      result.textContent = 'Not verified just now: a verification reads the whole log, so it runs at most once every '
          + `10 s. Try again${e.retryAfter ? ` in ${e.retryAfter} s` : ' shortly'}.`;
    } else if (e.status === 403) {
      result.textContent = `Chain verification is not available to this key (${e.message}).`;
    } else if (e.status !== 401) {
      result.textContent = `Could not verify the chain: ${e.message}`;
    }
  } finally {
    button.disabled = false;
  }
}
