// Settings → Secrets: the table of names (search by prefix and by "name contains", paging, sort of
// the page shown), Reveal and Copy per row, the store/edit form, version history, and delete /
// restore / destroy behind a confirmation.
//
// A value is fetched only by Reveal or Copy (a POST the server audits), is shown for
// data-reveal-seconds on <body> and then removed from the page. Values never go into a URL, the
// title, storage or the console.

import * as api from './api.js';
import * as bulk from './bulk.js';
import {confirmChange} from './confirm.js';
import {byId, el, nameText, replace, time} from './dom.js';
import {containsProblem, descriptionProblem, formatLabels, nameProblem, parseLabels, prefixProblem} from './rules.js';

const MASK = '••••••••';

const state = {
  session: null,
  prefix: '',
  contains: '',
  limit: 25,
  cursors: [null], // the cursor of each page seen so far; page 0 has none
  counts: [], // how many rows each page seen so far held: with "contains" a page may hold fewer than limit
  page: 0,
  nextCursor: null,
  loadSeq: 0,
  timers: new Set(),
  form: null, // {mode: 'create' | 'edit', name, expectedVersion}
  history: null, // the name whose history is open
  sort: {key: 'name', direction: 'ascending'}, // of the rows on screen; the server pages in name order
};

function canWrite() {
  return state.session && state.session.role !== 'READ_ONLY';
}

function revealSeconds() {
  return positive(document.body.dataset.revealSeconds, 30);
}

function clipboardSeconds() {
  return positive(document.body.dataset.clipboardSeconds, 30);
}

function positive(text, fallback) {
  const n = Number.parseFloat(text);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/** A timer that sign-out cancels. */
function later(ms, fn) {
  const id = setTimeout(() => {
    state.timers.delete(id);
    fn();
  }, ms);
  state.timers.add(id);
  return id;
}

function cancel(id) {
  clearTimeout(id);
  state.timers.delete(id);
}

// ---- status -------------------------------------------------------------------------------------

function notify(message, isError = false) {
  const status = byId('status');
  status.classList.toggle('is-error', isError);
  // Cleared first, so the same message twice is announced twice.
  status.textContent = '';
  status.textContent = message;
}

function historyStatus(message, isError = false) {
  const status = byId('history-status');
  status.classList.toggle('is-error', isError);
  status.textContent = message;
}

function problemText(e, what) {
  if (e.status === 403) {
    return `${what}: your key may not do this (${e.message}).`;
  }
  if (e.status === 404) {
    return `${what}: it does not exist any more, or your key cannot see it. Search again to refresh the list.`;
  }
  return `${what}: ${e.message}`;
}

// ---- lifecycle ----------------------------------------------------------------------------------

/** Wires the static controls once, at page load. */
export function wire() {
  byId('search').addEventListener('submit', (event) => {
    event.preventDefault();
    search();
  });
  byId('page-size').addEventListener('change', search);
  for (const th of document.querySelectorAll('#secrets-table th[data-sort]')) {
    th.querySelector('button').addEventListener('click', () => {
      const key = th.dataset.sort;
      const direction = state.sort.key === key && state.sort.direction === 'ascending' ? 'descending' : 'ascending';
      sortBy(key, direction);
    });
  }
  byId('sort-by').addEventListener('change', () => {
    const [key, direction] = byId('sort-by').value.split(':');
    sortBy(key, direction);
  });
  byId('prev-page').addEventListener('click', () => goTo(state.page - 1));
  byId('next-page').addEventListener('click', () => goTo(state.page + 1));
  byId('new-secret').addEventListener('click', () => openForm(null));
  byId('restore-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const name = restoreName();
    if (name) {
      restore(name);
    }
  });
  byId('destroy-by-name').addEventListener('click', () => {
    const name = restoreName();
    if (name) {
      destroyAll(name);
    }
  });
  wireForm();
  bulk.wire(notify, (prefix) => {
    byId('search-prefix').value = prefix;
    search();
  });
  byId('history-close').addEventListener('click', () => byId('history-dialog').close());
  byId('history-destroy-all').addEventListener('click', () => {
    if (state.history) {
      destroyAll(state.history);
    }
  });
  byId('history-dialog').addEventListener('close', () => {
    state.history = null;
    byId('history-body').replaceChildren();
  });
}

export function start(session) {
  state.session = session;
  state.prefix = '';
  state.contains = '';
  byId('search-prefix').value = '';
  byId('search-contains').value = '';
  for (const id of ['search-prefix', 'search-contains']) {
    byId(id).removeAttribute('aria-invalid');
  }
  state.sort = {key: 'name', direction: 'ascending'};
  showSort();
  byId('search-error').textContent = '';
  byId('status').textContent = '';
  const writer = canWrite();
  byId('new-secret').hidden = !writer;
  byId('restore-panel').hidden = !writer;
  byId('history-destroy-all').hidden = !writer;
  bulk.start(session);
  search();
}

/** Signed out or the session ended: forget every value on the page and every pending timer. */
export function stop() {
  state.session = null;
  state.loadSeq++;
  for (const id of state.timers) {
    clearTimeout(id);
  }
  state.timers.clear();
  bulk.stop();
  for (const id of ['secret-dialog', 'history-dialog', 'confirm-dialog', 'import-dialog', 'export-dialog']) {
    const dialog = byId(id);
    if (dialog.open) {
      dialog.close();
    }
  }
  clearForm();
  byId('secrets-body').replaceChildren();
  byId('history-body').replaceChildren();
  byId('status').textContent = '';
}

// ---- list, search, pages ------------------------------------------------------------------------

function search() {
  const prefixInput = byId('search-prefix');
  const containsInput = byId('search-contains');
  const prefix = prefixInput.value.trim();
  const contains = containsInput.value.trim();
  const problems = [[prefixInput, prefixProblem(prefix)], [containsInput, containsProblem(contains)]];
  for (const [input, problem] of problems) {
    if (problem) {
      input.setAttribute('aria-invalid', 'true');
    } else {
      input.removeAttribute('aria-invalid');
    }
  }
  const bad = problems.filter(([, problem]) => problem);
  byId('search-error').textContent = bad.map(([, problem]) => problem).join(' ');
  if (bad.length) {
    bad[0][0].focus();
    return;
  }
  state.prefix = prefix;
  state.contains = contains;
  state.limit = Number.parseInt(byId('page-size').value, 10);
  state.cursors = [null];
  state.counts = [];
  goTo(0);
}

function goTo(page) {
  if (page < 0 || page >= state.cursors.length + (state.nextCursor ? 1 : 0)) {
    return;
  }
  if (page === state.cursors.length) {
    state.cursors.push(state.nextCursor);
  }
  state.page = page;
  return load();
}

/** Reloads the page on screen (after a change). */
function reload() {
  return load();
}

async function load() {
  const seq = ++state.loadSeq;
  const table = byId('secrets-table');
  table.setAttribute('aria-busy', 'true');
  try {
    const result = await api.listSecrets({prefix: state.prefix, contains: state.contains, limit: state.limit,
      cursor: state.cursors[state.page]});
    if (seq !== state.loadSeq) {
      return; // a newer search or page replaced this one
    }
    const items = result.items || [];
    state.nextCursor = result.nextCursor || null;
    state.cursors.length = state.page + 1;
    state.counts.length = state.page;
    state.counts.push(items.length);
    render(items);
  } catch (e) {
    if (seq === state.loadSeq && e.status !== 401) {
      notify(problemText(e, 'Could not list the secrets'), true);
    }
  } finally {
    if (seq === state.loadSeq) {
      table.removeAttribute('aria-busy');
    }
  }
}

function render(items) {
  const body = byId('secrets-body');
  replace(body, items.map(row));
  sortRows();
  const empty = byId('empty');
  empty.hidden = items.length > 0;
  if (items.length === 0) {
    empty.textContent = emptyText();
  }
  const first = state.counts.slice(0, state.page).reduce((a, b) => a + b, 0) + 1;
  // With "contains" the server stops after a bounded number of names: a cursor means it has not
  // looked at every name yet, however few matches this page holds.
  const more = state.contains && state.nextCursor ? ' · more may follow' : '';
  byId('page-info').textContent = (items.length === 0 ? `Page ${state.page + 1}`
      : `Page ${state.page + 1} · ${first}–${first + items.length - 1}`) + more;
  byId('prev-page').disabled = state.page === 0;
  byId('next-page').disabled = !state.nextCursor;
  caption();
}

function emptyText() {
  const under = state.prefix ? ` under "${state.prefix}"` : '';
  if (state.contains) {
    if (state.nextCursor) {
      return `No matches in the names looked at so far for "${state.contains}"${under}. More may follow: `
          + 'choose Next to look further.';
    }
    return state.page > 0 ? 'No more matches.' : `No secret name${under} contains "${state.contains}".`;
  }
  return state.page > 0 ? 'No more secrets.'
      : state.prefix ? `No secret name starts with "${state.prefix}".`
        : canWrite() ? 'No secrets yet. Store the first one with "New secret".' : 'No secrets to show.';
}

function caption() {
  const what = [state.prefix && `under ${state.prefix}`, state.contains && `whose name contains ${state.contains}`]
      .filter(Boolean).join(', ');
  const sorted = SORT_LABELS[state.sort.key][state.sort.direction];
  byId('table-caption').textContent = `Secrets${what ? ' ' + what : ''}; this page sorted by ${sorted}`;
}

// ---- sort (of the page shown) -------------------------------------------------------------------

const SORT_LABELS = {
  name: {ascending: 'name, A to Z', descending: 'name, Z to A'},
  version: {ascending: 'version, lowest first', descending: 'version, highest first'},
  updated: {ascending: 'last update, oldest first', descending: 'last update, newest first'},
  expires: {ascending: 'expiry, soonest first', descending: 'expiry, latest or never first'},
};

/** The listing item each row was drawn from: sorting moves rows, so a revealed value or a deleted mark stays. */
const rowItems = new WeakMap();

function instant(iso) {
  const t = iso ? Date.parse(iso) : Number.NaN;
  return Number.isNaN(t) ? null : t;
}

/** Compares two items by `key`, ascending; a secret that never expires sorts after every date. */
function compare(key, a, b) {
  switch (key) {
    case 'version':
      return a.version - b.version;
    case 'updated':
      return (instant(a.updatedAt) ?? 0) - (instant(b.updatedAt) ?? 0)
          || (a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : 0);
    case 'expires': {
      const x = instant(a.expiresAt) ?? Number.POSITIVE_INFINITY;
      const y = instant(b.expiresAt) ?? Number.POSITIVE_INFINITY;
      return x === y ? 0 : x < y ? -1 : 1;
    }
    default:
      return 0;
  }
}

function byName(a, b) {
  // The server's order: by UTF-16 code unit, as the names are ASCII.
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function sortBy(key, direction) {
  state.sort = {key, direction};
  showSort();
  sortRows();
  caption();
}

/** Reorders the rows on screen (moving them, not drawing them again). */
function sortRows() {
  const body = byId('secrets-body');
  const sign = state.sort.direction === 'descending' ? -1 : 1;
  const rows = [...body.children].filter((tr) => rowItems.has(tr));
  rows.sort((x, y) => {
    const a = rowItems.get(x);
    const b = rowItems.get(y);
    if (state.sort.key === 'name') {
      return sign * byName(a, b);
    }
    // Equal values keep name order, whichever the direction.
    return sign * compare(state.sort.key, a, b) || byName(a, b);
  });
  body.append(...rows);
}

/** aria-sort and the arrow on the headings, and the narrow layout's select, follow state.sort. */
function showSort() {
  for (const th of document.querySelectorAll('#secrets-table th[data-sort]')) {
    const active = th.dataset.sort === state.sort.key;
    if (active) {
      th.setAttribute('aria-sort', state.sort.direction);
    } else {
      th.removeAttribute('aria-sort');
    }
    th.querySelector('.sort-icon').textContent = !active ? '↕' : state.sort.direction === 'ascending' ? '▲' : '▼';
  }
  byId('sort-by').value = `${state.sort.key}:${state.sort.direction}`;
}

function row(item) {
  const tr = el('tr', {dataset: {name: item.key, version: String(item.version)}});
  rowItems.set(tr, item);
  const valueCell = el('td', {class: 'value-cell', 'data-label': 'Value'});
  masked(valueCell, item);
  tr.append(
      el('td', {class: 'name-cell', 'data-label': 'Name'},
          el('div', {class: 'name'}, nameText(item.key)),
          item.description && el('div', {class: 'description', text: item.description})),
      el('td', {'data-label': 'Labels'}, labelChips(item.labels)),
      el('td', {class: 'num version', 'data-label': 'Version'}, String(item.version)),
      el('td', {class: 'when', 'data-label': 'Updated'}, time(item.updatedAt)),
      el('td', {class: 'when', 'data-label': 'Expires'}, item.expiresAt ? time(item.expiresAt, true) : el('span', {class: 'muted', text: 'never'})),
      valueCell,
      el('td', {class: 'actions-cell'}, rowActions(item, tr)));
  return tr;
}

function labelChips(labels) {
  const entries = Object.entries(labels || {});
  if (entries.length === 0) {
    return el('span', {class: 'muted', text: '—'});
  }
  return el('div', {class: 'labels'}, entries.map(([k, v]) => el('span', {class: 'label-chip', text: `${k}=${v}`})));
}

function rowActions(item, tr) {
  const name = item.key;
  return el('div', {class: 'actions'},
      canWrite() && el('button', {class: 'btn btn-small edit', type: 'button', 'aria-label': `Edit ${name}`,
        onclick: () => openForm(item)}, 'Edit'),
      el('button', {class: 'btn btn-small history', type: 'button', 'aria-label': `History of ${name}`,
        onclick: () => openHistory(name)}, 'History'),
      canWrite() && el('button', {class: 'btn btn-small btn-danger delete', type: 'button', 'aria-label': `Delete ${name}`,
        onclick: () => remove(item, tr)}, 'Delete'));
}

// ---- reveal and copy ----------------------------------------------------------------------------

/** The masked state of a value cell: dots, Reveal, Copy. `version` absent: the latest. */
function masked(cell, item, version) {
  const name = item.key;
  const what = version ? `version ${version} of ${name}` : name;
  const reveal = el('button', {class: 'btn btn-small reveal', type: 'button', 'aria-label': `Reveal ${what}`}, 'Reveal');
  const copy = el('button', {class: 'btn btn-small copy', type: 'button', 'aria-label': `Copy ${what}`}, 'Copy');
  reveal.addEventListener('click', () => revealInto(cell, item, version, reveal));
  copy.addEventListener('click', () => copyValue(cell, item, version, copy));
  cancelCellTimers(cell);
  replace(cell, el('div', {class: 'value-line'},
      el('span', {class: 'mask', 'aria-label': 'hidden value', text: MASK}), reveal, copy));
  return reveal;
}

const cellTimers = new WeakMap();

function cancelCellTimers(cell) {
  const timers = cellTimers.get(cell);
  if (timers) {
    timers.forEach(cancel);
    cellTimers.delete(cell);
  }
}

async function revealInto(cell, item, version, button) {
  button.disabled = true;
  try {
    const secret = await api.reveal(item.key, version);
    show(cell, item, version, secret, false);
  } catch (e) {
    button.disabled = false;
    if (e.status !== 401) {
      notify(problemText(e, `Could not reveal ${item.key}`), true);
    }
  }
}

/** Shows a value in its cell for revealSeconds(), then masks it again (removing it from the page). */
function show(cell, item, version, secret, select) {
  cancelCellTimers(cell);
  const seconds = revealSeconds();
  const value = el('code', {class: 'revealed', tabindex: '0', text: secret.value});
  const countdown = el('span', {class: 'countdown', 'aria-live': 'off'});
  const hide = el('button', {class: 'btn btn-small hide', type: 'button', 'aria-label': `Hide ${item.key}`}, 'Hide');
  const timers = [];
  const remask = () => {
    const hadFocus = cell.contains(document.activeElement);
    const reveal = masked(cell, item, version);
    if (hadFocus) {
      reveal.focus();
    }
  };
  hide.addEventListener('click', remask);
  replace(cell, value, el('div', {class: 'value-line'}, hide, countdown,
      el('span', {class: 'visually-hidden', text: `version ${secret.version}`})));
  const deadline = Date.now() + seconds * 1000;
  const tick = () => {
    const left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    countdown.textContent = `Hides in ${left} s`;
    if (left > 0) {
      timers.push(later(Math.min(1000, deadline - Date.now()), tick));
    }
  };
  tick();
  timers.push(later(seconds * 1000, remask));
  cellTimers.set(cell, timers);
  if (select) {
    value.focus();
    const range = document.createRange();
    range.selectNodeContents(value);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
}

let copies = 0;

async function copyValue(cell, item, version, button) {
  button.disabled = true;
  let secret;
  try {
    secret = await api.reveal(item.key, version);
  } catch (e) {
    button.disabled = false;
    if (e.status !== 401) {
      notify(problemText(e, `Could not copy ${item.key}`), true);
    }
    return;
  }
  const what = version ? `version ${version} of ${item.key}` : item.key;
  try {
    if (!navigator.clipboard || !window.isSecureContext) {
      throw new Error('no clipboard');
    }
    await navigator.clipboard.writeText(secret.value);
  } catch {
    // The browser refused (no permission, page not focused, not a secure context): show the value
    // selected instead, for the user to copy with the keyboard.
    show(cell, item, version, secret, true);
    notify(`Your browser did not let the page copy. The value of ${what} is shown and selected: `
        + `press Ctrl+C (⌘C on a Mac). It hides in ${revealSeconds()} s.`);
    return;
  }
  const seconds = clipboardSeconds();
  const mine = ++copies;
  button.disabled = false;
  button.textContent = 'Copied';
  button.classList.add('btn-done');
  later(2000, () => {
    button.textContent = 'Copy';
    button.classList.remove('btn-done');
  });
  notify(`Copied the value of ${what}. The clipboard is cleared in ${seconds} s.`);
  later(seconds * 1000, () => {
    if (mine === copies) {
      // Where the browser allows it (the page has focus); otherwise the value stays in the clipboard.
      navigator.clipboard.writeText('').catch(() => {});
    }
  });
}

// ---- store and edit -----------------------------------------------------------------------------

const FIELDS = ['f-name', 'f-value', 'f-description', 'f-labels', 'f-expires'];

function wireForm() {
  const dialog = byId('secret-dialog');
  byId('secret-form').addEventListener('submit', (event) => {
    event.preventDefault();
    save();
  });
  byId('secret-cancel').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', clearForm);
  // A field's complaint goes as soon as the user changes that field; it is checked again at Save.
  for (const id of FIELDS) {
    const fields = id === 'f-value' ? [byId('f-value'), byId('f-value-multi')] : [byId(id)];
    fields.forEach((f) => f.addEventListener('input', () => fieldError(id, '')));
  }
  byId('f-value-toggle').addEventListener('click', () => setValueShown(byId('f-value-toggle').getAttribute('aria-pressed') !== 'true'));
  byId('f-multiline').addEventListener('change', () => {
    const multi = byId('f-multiline').checked;
    const single = byId('f-value');
    const area = byId('f-value-multi');
    if (multi) {
      area.value = single.value;
      single.value = '';
    } else {
      // A single-line field cannot hold line breaks: keep the first line only if there are any.
      single.value = area.value.split(/\r?\n/)[0];
      area.value = '';
    }
    single.hidden = multi;
    area.hidden = !multi;
    (multi ? area : single).focus();
  });
}

function setValueShown(shown) {
  const toggle = byId('f-value-toggle');
  toggle.setAttribute('aria-pressed', String(shown));
  toggle.textContent = shown ? 'Hide' : 'Show';
  byId('f-value').type = shown ? 'text' : 'password';
  byId('f-value-multi').classList.toggle('masked', !shown);
}

function valueField() {
  return byId('f-multiline').checked ? byId('f-value-multi') : byId('f-value');
}

/** Empties the form, the value first: a closed dialog holds no value. */
function clearForm() {
  byId('f-value').value = '';
  byId('f-value-multi').value = '';
  byId('f-multiline').checked = false;
  byId('f-value').hidden = false;
  byId('f-value-multi').hidden = true;
  setValueShown(false);
  for (const id of FIELDS) {
    byId(id).value = '';
    fieldError(id, '');
  }
  byId('secret-form-error').replaceChildren();
  state.form = null;
}

function fieldError(id, message) {
  const field = id === 'f-value' ? valueField() : byId(id);
  byId(id + '-error').textContent = message || '';
  for (const f of id === 'f-value' ? [byId('f-value'), byId('f-value-multi')] : [field]) {
    if (message) {
      f.setAttribute('aria-invalid', 'true');
    } else {
      f.removeAttribute('aria-invalid');
    }
  }
}

function openForm(item) {
  clearForm();
  const name = byId('f-name');
  if (item) {
    state.form = {mode: 'edit', name: item.key, expectedVersion: item.version};
    byId('secret-dialog-title').textContent = `Edit ${item.key}`;
    name.value = item.key;
    name.readOnly = true;
    byId('f-description').value = item.description || '';
    byId('f-labels').value = formatLabels(item.labels);
    byId('f-expires').value = item.expiresAt ? localInput(item.expiresAt) : '';
    editIntro();
    byId('secret-save').textContent = 'Save new version';
  } else {
    state.form = {mode: 'create', name: null, expectedVersion: 0};
    byId('secret-dialog-title').textContent = 'New secret';
    name.readOnly = false;
    byId('secret-form-intro').textContent = 'Stored as version 1. A name that already exists is refused, '
        + 'never overwritten: use Edit on its row instead.';
    byId('secret-save').textContent = 'Save';
  }
  byId('secret-dialog').showModal();
  (item ? byId('f-value') : name).focus();
}

function editIntro() {
  const v = state.form.expectedVersion;
  byId('secret-form-intro').textContent = `Saving writes version ${v + 1} with the value below, only if version ${v} `
      + 'is still the latest: if someone saved in between, nothing is overwritten and you are told.';
}

async function save() {
  const form = state.form;
  if (!form) {
    return;
  }
  byId('secret-form-error').replaceChildren();
  const name = byId('f-name').value.trim();
  const value = valueField().value;
  const description = byId('f-description').value.trim();
  const labels = parseLabels(byId('f-labels').value);
  const expires = byId('f-expires').value;
  let expiresAt;
  let expiresProblem = null;
  if (expires) {
    const when = new Date(expires);
    if (Number.isNaN(when.getTime())) {
      expiresProblem = 'Enter a date and time, or leave it empty for no expiry.';
    } else if (when.getTime() <= Date.now()) {
      expiresProblem = 'Choose a time in the future: past it, the secret can no longer be read.';
    } else {
      expiresAt = when.toISOString();
    }
  }
  const problems = {
    'f-name': nameProblem(name),
    'f-value': value === '' ? 'Enter a value.' : null,
    'f-description': descriptionProblem(description),
    'f-labels': labels.problem || null,
    'f-expires': expiresProblem,
  };
  let first = null;
  for (const id of FIELDS) {
    fieldError(id, problems[id]);
    if (problems[id] && !first) {
      first = id === 'f-value' ? valueField() : byId(id);
    }
  }
  if (first) {
    first.focus();
    return;
  }
  const body = {key: name, value, description, labels: labels.labels, expectedVersion: form.expectedVersion};
  if (expiresAt) {
    body.expiresAt = expiresAt;
  }
  const button = byId('secret-save');
  button.disabled = true;
  try {
    const written = await api.store(body);
    byId('secret-dialog').close();
    notify(form.mode === 'create' ? `Stored ${written.key} as version ${written.version}.`
        : `Saved ${written.key}: version ${written.version} is now the latest.`);
    await reload();
  } catch (e) {
    if (e.status !== 401) {
      refused(e, form, name);
    }
  } finally {
    button.disabled = false;
  }
}

/** The server refused the write: say why, and what the user can do; the form keeps what they typed. */
function refused(e, form, name) {
  const box = byId('secret-form-error');
  if (e.status === 409 && e.code === 'version_conflict') {
    const current = e.problem.currentVersion;
    if (form.mode === 'create') {
      replace(box, el('p', {text: `Not saved: ${name} already exists (version ${current}). Nothing was overwritten. `
          + 'Close this form and use Edit on its row to write a new version.'}));
      return;
    }
    const base = el('button', {class: 'btn btn-small', type: 'button'}, `Replace version ${current} instead`);
    base.addEventListener('click', () => {
      form.expectedVersion = current;
      editIntro();
      box.replaceChildren();
      valueField().focus();
    });
    box.scrollIntoView({block: 'nearest'});
    replace(box,
        el('p', {class: 'conflict', text: `Not saved: ${name} changed while you were editing. You opened version `
            + `${form.expectedVersion}; version ${current} is now the latest. Nothing was overwritten.`}),
        el('p', {text: 'Check the latest version first (History, or Reveal on its row). To write your value over '
            + `it anyway, choose "Replace version ${current} instead", then save again.`}),
        base);
    return;
  }
  if (e.status === 409 && e.code === 'secret_deleted') {
    replace(box, el('p', {text: `Not saved: ${name} is deleted. Restore it first (below the table), `
        + 'or destroy it to use the name again.'}));
    return;
  }
  if (e.code === 'invalid_name') {
    fieldError('f-name', e.message);
    byId('f-name').focus();
    return;
  }
  replace(box, el('p', {text: problemText(e, 'Not saved')}));
}

/** An ISO instant → the value a datetime-local input takes, in the user's time zone. */
function localInput(iso) {
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

// ---- history ------------------------------------------------------------------------------------

async function openHistory(name) {
  state.history = name;
  byId('history-title').textContent = `History of ${name}`;
  historyStatus('');
  byId('history-body').replaceChildren();
  const dialog = byId('history-dialog');
  if (!dialog.open) {
    dialog.showModal();
  }
  await loadHistory(name);
}

async function loadHistory(name) {
  let result;
  try {
    result = await api.versions(name);
  } catch (e) {
    if (e.status !== 401) {
      historyStatus(problemText(e, `Could not read the history of ${name}`), true);
    }
    return;
  }
  if (state.history !== name) {
    return;
  }
  const versions = result.versions || [];
  const live = versions.filter((v) => !v.destroyed).map((v) => v.version);
  const latest = live.length ? Math.max(...live) : 0;
  replace(byId('history-body'), versions.map((v) => {
    const item = {key: name};
    const valueCell = el('td', {class: 'value-cell'});
    if (v.destroyed) {
      valueCell.append(el('span', {class: 'muted', text: 'erased'}));
    } else {
      masked(valueCell, item, v.version);
    }
    const badge = v.destroyed ? el('span', {class: 'state-destroyed', text: 'destroyed'})
        : v.version === latest ? el('span', {class: 'state-live', text: 'latest'}) : el('span', {class: 'muted', text: 'older'});
    return el('tr', {dataset: {version: String(v.version)}},
        el('td', {class: 'num'}, String(v.version)),
        el('td', {}, time(v.createdAt)),
        el('td', {}, badge),
        valueCell,
        el('td', {class: 'actions-cell'}, el('div', {class: 'actions'},
            canWrite() && !v.destroyed && el('button', {class: 'btn btn-small btn-danger destroy-version', type: 'button',
              'aria-label': `Destroy version ${v.version} of ${name}`, onclick: () => destroyVersion(name, v.version)},
            'Destroy…'))));
  }));
  byId('history-destroy-all').disabled = live.length === 0;
}

// ---- delete, restore, destroy -------------------------------------------------------------------

async function remove(item, tr) {
  const name = item.key;
  const yes = await confirmChange({
    title: `Delete ${name}?`,
    message: `${name} disappears from the list and can no longer be read. Its ${item.version} `
        + `version${item.version === 1 ? ' is' : 's are'} kept: Restore brings it back as it was.`,
    action: 'Delete',
  });
  if (!yes) {
    return;
  }
  try {
    await api.remove(name);
  } catch (e) {
    if (e.status !== 401) {
      notify(problemText(e, `Could not delete ${name}`), true);
    }
    return;
  }
  notify(`Deleted ${name}. Restore brings it back.`);
  markDeleted(tr, name);
}

/** The row of a secret just deleted stays, struck out, with Restore and Destroy until the next search. */
function markDeleted(tr, name) {
  tr.classList.add('is-deleted');
  const cells = tr.children;
  const valueCell = cells[cells.length - 2];
  cancelCellTimers(valueCell);
  replace(valueCell, el('span', {class: 'state-deleted', text: 'deleted'}));
  const restoreButton = el('button', {class: 'btn btn-small restore', type: 'button', 'aria-label': `Restore ${name}`,
    onclick: () => restore(name)}, 'Restore');
  replace(cells[cells.length - 1], el('div', {class: 'actions'}, restoreButton,
      el('button', {class: 'btn btn-small btn-danger destroy', type: 'button', 'aria-label': `Destroy ${name}`,
        onclick: () => destroyAll(name)}, 'Destroy…')));
  restoreButton.focus();
}

function restoreName() {
  const input = byId('restore-name');
  const name = input.value.trim();
  const problem = nameProblem(name);
  byId('restore-error').textContent = problem || '';
  if (problem) {
    input.setAttribute('aria-invalid', 'true');
    input.focus();
    return null;
  }
  input.removeAttribute('aria-invalid');
  return name;
}

async function restore(name) {
  try {
    await api.restore(name);
  } catch (e) {
    if (e.status !== 401) {
      notify(problemText(e, `Could not restore ${name}`), true);
    }
    return;
  }
  byId('restore-name').value = '';
  notify(`Restored ${name}.`);
  await reload();
}

async function destroyAll(name) {
  const yes = await confirmChange({
    title: `Destroy every version of ${name}?`,
    message: `Every version of ${name} is erased for good, with its description, labels and expiry. `
        + 'This cannot be undone: no one can read or restore it afterwards.',
    action: 'Destroy all versions',
  });
  if (!yes) {
    return;
  }
  try {
    await api.destroy(name);
  } catch (e) {
    if (e.status !== 401) {
      notify(problemText(e, `Could not destroy ${name}`), true);
    }
    return;
  }
  const history = byId('history-dialog');
  if (history.open && state.history === name) {
    history.close();
  }
  byId('restore-name').value = '';
  notify(`Destroyed every version of ${name}.`);
  await reload();
}

async function destroyVersion(name, version) {
  const yes = await confirmChange({
    title: `Destroy version ${version} of ${name}?`,
    message: `The value of version ${version} is erased for good; this cannot be undone. The other versions `
        + 'stay as they are.',
    action: `Destroy version ${version}`,
  });
  if (!yes) {
    return;
  }
  try {
    await api.destroy(name, version);
  } catch (e) {
    if (e.status !== 401) {
      historyStatus(problemText(e, `Could not destroy version ${version}`), true);
    }
    return;
  }
  historyStatus(`Destroyed version ${version} of ${name}.`);
  await loadHistory(name);
  await reload();
}
