// The server's input rules, checked before a request so the user hears at once what to fix. The
// server checks again and its answer wins; these only mirror it (server README, "Data model").
// The rules themselves (API key shape, name, tenant) come from client-rules.js, the build of the
// TypeScript client's src/rules.ts; this file only words the dashboard's messages.

import {containsApiKey, isNameText, isValidName, MAX_NAME_LENGTH} from './client-rules.js';

export const MAX_NAME = MAX_NAME_LENGTH;
export const MAX_DESCRIPTION = 1024;
export const MAX_LABELS = 64;
export const MAX_LABEL_VALUE = 256;
const LABEL_KEY = /^[a-z0-9][a-z0-9._-]{0,62}$/;
// ISO control characters, as Java's Character.isISOControl sees them.
// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's purpose
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** Why `name` is not a valid secret name, or null when it is. */
export function nameProblem(name) {
  if (name.length === 0) {
    return 'Enter a name.';
  }
  if (containsApiKey(name)) {
    return 'This looks like an API key. A name must not hold one; treat that key as leaked and revoke it.';
  }
  if (name.length > MAX_NAME) {
    return `A name is at most ${MAX_NAME} characters (this one has ${name.length}).`;
  }
  for (const segment of name.split('/')) {
    if (segment === '') {
      return 'A name has no empty segment: no leading, trailing or double "/".';
    }
    if (segment === '.' || segment === '..') {
      return 'A name has no "." or ".." segment.';
    }
  }
  if (!isValidName(name)) {
    return 'Use letters, digits, ".", "_" and "-", with "/" between segments (e.g. prod/db/password).';
  }
  return null;
}

/** Why `prefix` cannot be searched for, or null. */
export function prefixProblem(prefix) {
  if (prefix.length > MAX_NAME) {
    return `A prefix is at most ${MAX_NAME} characters.`;
  }
  if (!isNameText(prefix)) {
    return 'A prefix holds only letters, digits, ".", "_", "-" and "/".';
  }
  return null;
}

/** Why `text` cannot be searched for inside names, or null (the server's rule: 1 to 256 of [A-Za-z0-9._/-]). */
export function containsProblem(text) {
  if (text.length > MAX_NAME) {
    return `"Name contains" is at most ${MAX_NAME} characters (this has ${text.length}).`;
  }
  if (!isNameText(text)) {
    return '"Name contains" holds only letters, digits, ".", "_", "-" and "/".';
  }
  return null;
}

export function descriptionProblem(description) {
  if (description.length > MAX_DESCRIPTION) {
    return `A description is at most ${MAX_DESCRIPTION} characters (this one has ${description.length}).`;
  }
  if (CONTROL.test(description)) {
    return 'A description is one line with no control characters.';
  }
  return null;
}

/**
 * "env=prod\nteam=payments" (one label a line) → {labels: {env: 'prod', team: 'payments'}}, or
 * {problem: '...'} naming the line at fault.
 */
export function parseLabels(text) {
  const labels = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') {
      continue;
    }
    const eq = line.indexOf('=');
    const where = `Label line ${i + 1}: `;
    if (eq < 0) {
      return {problem: where + 'write key=value.'};
    }
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (!LABEL_KEY.test(key)) {
      return {problem: where + 'a key is 1 to 63 of a-z, 0-9, ".", "_", "-", starting with a letter or digit.'};
    }
    if (Object.prototype.hasOwnProperty.call(labels, key)) {
      return {problem: where + 'this key is already set above.'};
    }
    if (value.length > MAX_LABEL_VALUE || CONTROL.test(value)) {
      return {problem: where + `a value is at most ${MAX_LABEL_VALUE} characters with no control characters.`};
    }
    labels[key] = value;
  }
  if (Object.keys(labels).length > MAX_LABELS) {
    return {problem: `At most ${MAX_LABELS} labels.`};
  }
  return {labels};
}

/** {env: 'prod'} → "env=prod", one a line, for the form. */
export function formatLabels(labels) {
  return Object.entries(labels || {}).map(([k, v]) => k + '=' + v).join('\n');
}
