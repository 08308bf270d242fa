// Bulk work on the Secrets screen: import a .env file or pasted text into a prefix (parsed here,
// previewed by the server's dry run, then written all or nothing with the preview's versions), and
// export a prefix as a .env download (confirmed, audited by the server).
//
// Values stay in the text field and in this module's memory while the dialog is open, and are
// dropped when it closes. The preview shows a value's length, never the value; nothing is logged.

import * as api from './api.js';
import {byId, el, replace} from './dom.js';
import {format, parse} from './dotenv.js';
import {nameProblem, prefixProblem} from './rules.js';

const state = {
  session: null,
  preview: null, // {entries: [{line, key, name, value}], items: server items by name} when clean
  seq: 0,
  notify: () => {},
  imported: () => {},
};

/** `notify(message, isError)` speaks on the Secrets screen; `imported(prefix)` shows what was written. */
export function wire(notify, imported) {
  state.notify = notify;
  state.imported = imported;
  byId('import-open').addEventListener('click', openImport);
  byId('export-open').addEventListener('click', openExport);
  byId('import-form').addEventListener('submit', (event) => {
    event.preventDefault();
    preview();
  });
  byId('import-run').addEventListener('click', runImport);
  byId('import-cancel').addEventListener('click', () => byId('import-dialog').close());
  byId('import-dialog').addEventListener('close', clearImport);
  for (const id of ['import-prefix', 'import-text']) {
    byId(id).addEventListener('input', stale);
  }
  byId('import-file').addEventListener('change', readFile);
  byId('import-text-toggle').addEventListener('click', () => {
    const toggle = byId('import-text-toggle');
    const shown = toggle.getAttribute('aria-pressed') !== 'true';
    toggle.setAttribute('aria-pressed', String(shown));
    toggle.textContent = shown ? 'Hide' : 'Show';
    byId('import-text').classList.toggle('masked', !shown);
  });
  byId('export-form').addEventListener('submit', (event) => {
    event.preventDefault();
    runExport();
  });
  byId('export-cancel').addEventListener('click', () => byId('export-dialog').close());
  byId('export-dialog').addEventListener('close', () => {
    byId('export-result').replaceChildren();
    byId('export-prefix-error').textContent = '';
  });
}

export function start(session) {
  state.session = session;
  byId('import-open').hidden = session.role === 'READ_ONLY';
}

export function stop() {
  state.session = null;
  state.seq++;
  clearImport();
}

// ---- import -------------------------------------------------------------------------------------

function openImport() {
  clearImport();
  byId('import-prefix').value = byId('search-prefix').value.trim();
  byId('import-dialog').showModal();
  byId('import-prefix').focus();
}

/** Drops the text, the values and the preview: a closed dialog holds nothing. */
function clearImport() {
  state.seq++;
  state.preview = null;
  byId('import-text').value = '';
  byId('import-file').value = '';
  byId('import-prefix-error').textContent = '';
  byId('import-prefix').removeAttribute('aria-invalid');
  byId('import-result').replaceChildren();
  byId('import-status').textContent = '';
  byId('import-preview').replaceChildren();
  byId('import-preview-wrap').hidden = true;
  byId('import-run').disabled = true;
  const toggle = byId('import-text-toggle');
  toggle.setAttribute('aria-pressed', 'false');
  toggle.textContent = 'Show';
  byId('import-text').classList.add('masked');
}

/** The text or prefix changed: the preview no longer stands for what Import would send. */
function stale() {
  if (state.preview || !byId('import-run').disabled) {
    state.preview = null;
    byId('import-run').disabled = true;
    byId('import-status').textContent = 'Changed since the preview: preview again before importing.';
  }
}

async function readFile() {
  const file = byId('import-file').files[0];
  if (!file) {
    return;
  }
  if (file.size > 1024 * 1024) {
    byId('import-status').textContent = '';
    replace(byId('import-result'), el('p', {text: `${file.name} is larger than 1 MiB; a .env file is much smaller.`}));
    return;
  }
  byId('import-text').value = await file.text();
  byId('import-file').value = '';
  stale();
  byId('import-status').textContent = `Read ${file.name}. Preview to check it.`;
}

function lengthText(value) {
  const n = [...value].length;
  return n === 1 ? '1 character' : `${n} characters`;
}

async function preview() {
  const seq = ++state.seq;
  state.preview = null;
  byId('import-run').disabled = true;
  byId('import-result').replaceChildren();
  byId('import-status').textContent = '';
  const prefixInput = byId('import-prefix');
  const prefix = prefixInput.value.trim();
  const problem = prefixProblem(prefix);
  byId('import-prefix-error').textContent = problem || '';
  if (problem) {
    prefixInput.setAttribute('aria-invalid', 'true');
    prefixInput.focus();
    return;
  }
  prefixInput.removeAttribute('aria-invalid');

  const parsed = parse(byId('import-text').value);
  const lines = [];
  const entries = [];
  for (const e of parsed.entries) {
    const name = prefix + e.key;
    const nameError = nameProblem(name);
    if (nameError) {
      lines.push({line: e.line, name, length: lengthText(e.value), error: `${name}: ${nameError}`});
    } else {
      entries.push({line: e.line, key: e.key, name, value: e.value});
    }
  }
  for (const e of parsed.errors) {
    lines.push({line: e.line, name: e.key ? prefix + e.key : '', error: e.error});
  }
  if (entries.length === 0 && lines.length === 0) {
    byId('import-status').textContent = 'Nothing to import: paste KEY=value lines or choose a file.';
    byId('import-preview-wrap').hidden = true;
    return;
  }
  const button = byId('import-preview-button');
  button.disabled = true;
  let result = {items: [], ok: true};
  try {
    if (entries.length > 0) {
      result = await api.importSecrets(entries.map((e) => ({key: e.name, value: e.value})), true);
    }
  } catch (e) {
    if (seq === state.seq && e.status !== 401) {
      replace(byId('import-result'), el('p', {text: `The server refused the preview: ${e.message}`}));
    }
    return;
  } finally {
    button.disabled = false;
  }
  if (seq !== state.seq) {
    return;
  }
  const byName = new Map((result.items || []).map((item) => [item.key, item]));
  for (const e of entries) {
    const item = byName.get(e.name) || {error: 'not in the server\'s answer'};
    lines.push({line: e.line, name: e.name, length: lengthText(e.value), item});
  }
  lines.sort((a, b) => a.line - b.line);
  renderPreview(lines);
  const clean = result.ok && lines.every((l) => !l.error && !l.item.error);
  if (clean) {
    state.preview = {entries, items: byName};
    byId('import-run').disabled = false;
    const updates = entries.filter((e) => byName.get(e.name).currentVersion > 0).length;
    byId('import-status').textContent = `Ready: ${entries.length - updates} to create, ${updates} to update. `
        + 'Nothing is written until you press Import.';
  } else {
    const bad = lines.filter((l) => l.error || l.item.error).length;
    replace(byId('import-result'), el('p', {text: `${bad} line${bad === 1 ? '' : 's'} cannot be imported (see the table). `
        + 'Fix them and preview again; nothing has been written.'}));
  }
}

function renderPreview(lines) {
  byId('import-preview-wrap').hidden = false;
  replace(byId('import-preview'), lines.map((l) => {
    const error = l.error || (l.item && l.item.error);
    let result;
    if (error) {
      result = el('span', {class: 'state-destroyed', text: error});
    } else if (l.item.version) {
      result = el('span', {class: 'state-live', text: `written as version ${l.item.version}`});
    } else if (l.item.currentVersion > 0) {
      result = el('span', {text: `update (now version ${l.item.currentVersion})`});
    } else {
      result = el('span', {class: 'state-live', text: 'create'});
    }
    return el('tr', {dataset: {line: String(l.line), name: l.name || ''}, class: error ? 'is-error' : undefined},
        el('td', {class: 'num'}, String(l.line)),
        el('td', {class: 'name'}, l.name || el('span', {class: 'muted', text: '—'})),
        el('td', {class: 'muted'}, l.length || '—'),
        el('td', {class: 'result'}, result));
  }));
}

async function runImport() {
  const preview = state.preview;
  if (!preview) {
    return;
  }
  const seq = ++state.seq;
  const button = byId('import-run');
  button.disabled = true;
  const body = preview.entries.map((e) => ({key: e.name, value: e.value,
    expectedVersion: preview.items.get(e.name).currentVersion}));
  try {
    const result = await api.importSecrets(body, false);
    if (seq !== state.seq) {
      return;
    }
    const prefix = byId('import-prefix').value.trim();
    byId('import-dialog').close();
    const n = (result.items || []).length;
    state.notify(`Imported ${n} secret${n === 1 ? '' : 's'}${prefix ? ' under ' + prefix : ''}.`);
    state.imported(prefix);
  } catch (e) {
    if (seq !== state.seq || e.status === 401) {
      return;
    }
    state.preview = null;
    const items = e.problem && e.problem.items;
    if (Array.isArray(items)) {
      const byName = new Map(items.map((item) => [item.key, item]));
      renderPreview(preview.entries.map((entry) => ({line: entry.line, name: entry.name, length: lengthText(entry.value),
        item: byName.get(entry.name) || {}})));
    }
    const what = e.status === 409 && /destroyed again/.test(e.message)
        ? `Not imported: ${e.message}.` : 'Not imported: nothing was written.';
    replace(byId('import-result'),
        el('p', {text: what}),
        el('p', {text: e.status === 409 ? 'Some secrets changed since the preview (see the table). Preview again to see '
            + 'their current versions, then import.' : problemDetail(e)}));
    byId('import-status').textContent = '';
  }
}

function problemDetail(e) {
  return e.status === 403 ? `Your key may not do this (${e.message}).` : e.message;
}

// ---- export -------------------------------------------------------------------------------------

function openExport() {
  byId('export-prefix').value = byId('search-prefix').value.trim();
  byId('export-result').replaceChildren();
  byId('export-dialog').showModal();
  byId('export-prefix').focus();
}

async function runExport() {
  const input = byId('export-prefix');
  const prefix = input.value.trim();
  const problem = prefixProblem(prefix);
  byId('export-prefix-error').textContent = problem || '';
  if (problem) {
    input.setAttribute('aria-invalid', 'true');
    input.focus();
    return;
  }
  input.removeAttribute('aria-invalid');
  const button = byId('export-run');
  button.disabled = true;
  let result;
  try {
    result = await api.exportSecrets(prefix);
  } catch (e) {
    if (e.status !== 401) {
      replace(byId('export-result'), el('p', {text: `Not exported: ${problemDetail(e)}`}));
    }
    return;
  } finally {
    button.disabled = false;
  }
  const text = [];
  const binary = [];
  for (const item of result.items || []) {
    if (typeof item.value === 'string') {
      text.push({key: relative(item.key, prefix), value: item.value});
    } else {
      binary.push(item.key);
    }
  }
  const header = [`Lanonasis Secrets export of ${prefix || 'every secret'} at ${new Date().toISOString()}: ${text.length} secrets.`];
  if (prefix) {
    header.push(`Names are relative: import into the prefix ${importPrefix(prefix)}`);
  }
  for (const name of binary) {
    header.push(`Skipped ${name}: its value is not text (read it with ?encoding=base64).`);
  }
  const file = fileName(prefix);
  download(format(text, header), file);
  byId('export-dialog').close();
  state.notify(`Exported ${text.length} secret${text.length === 1 ? '' : 's'} to ${file}.`
      + (binary.length ? ` Skipped ${binary.length} whose value is not text: ${binary.join(', ')}.` : ''));
}

/** The prefix an import puts back in front of an exported key. */
function importPrefix(prefix) {
  return prefix.endsWith('/') ? prefix : prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/') + 1) : '';
}

function relative(name, prefix) {
  return name.slice(importPrefix(prefix).length);
}

function fileName(prefix) {
  const base = prefix.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  return `lanonasis-${base || 'all'}.env`;
}

/** Hands the text to the browser as a download; the Blob URL is revoked at once. */
function download(text, name) {
  const url = URL.createObjectURL(new Blob([text], {type: 'text/plain;charset=utf-8'}));
  try {
    const link = el('a', {href: url, download: name, hidden: true});
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    URL.revokeObjectURL(url);
  }
}
