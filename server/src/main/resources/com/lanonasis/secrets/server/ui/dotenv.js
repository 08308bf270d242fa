// .env text in and out, in the browser: the grammar of docs/dotenv.md, the same one the CLI's
// Dotenv.java reads and writes. format() writes a file that parse() (here or in the CLI) reads back
// to exactly the same names and values; docs/dotenv-vectors.json holds the cases both
// implementations are tested against (sdk-js/test/dotenv.test.ts runs this file under Node).
//
// A line is blank, a comment (#...), or [export ]KEY=value. KEY is letters, digits, ".", "_", "-"
// and "/". A value is 'single-quoted' (taken as it is), "double-quoted" (\n \r \t \" \\ \$
// escapes), or unquoted (trimmed of spaces and tabs; a "#" after a space or tab starts a comment).
// A quoted value may span lines. Anything after a closing quote but a comment is an error, as is an
// unknown escape or a missing closing quote: a line that does not parse is reported with its
// number, never guessed at, and an error never quotes the value.

const ASSIGNMENT = /^[ \t]*(?:export[ \t]+)?([A-Za-z0-9._/-]+)[ \t]*=[ \t]*/;
const ESCAPES = {n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', $: '$'};
const PLAIN = /^[A-Za-z0-9_./:@+,=-]+$/;
const SPACE = /^[ \t]*$/;

/**
 * `text` → {entries: [{line, key, value}], errors: [{line, key?, error}]}, in line order. A key
 * given twice is an error on its second line; an unclosed quote is an error on the line that opens
 * it, and ends the parse (what follows is no longer lines of its own).
 */
export function parse(text) {
  const s = (text.startsWith('\uFEFF') ? text.slice(1) : text).replace(/\r\n/g, '\n');
  const entries = [];
  const errors = [];
  const seen = new Map();
  let pos = 0;
  let line = 1;
  while (pos < s.length) {
    const eol = endOfLine(s, pos);
    const raw = s.slice(pos, eol);
    const trimmed = trim(raw);
    if (trimmed === '' || trimmed.startsWith('#')) {
      pos = eol + 1;
      line++;
      continue;
    }
    const match = ASSIGNMENT.exec(raw);
    if (!match) {
      errors.push({line, error: "not KEY=value (a key is letters, digits, '.', '_', '-' and '/')"});
      pos = eol + 1;
      line++;
      continue;
    }
    const key = match[1];
    const start = line;
    const v = parseValue(s, pos + match[0].length);
    line += v.newlines;
    if (v.error !== undefined) {
      errors.push({line: start, key, error: v.error});
      if (v.fatal) {
        break;
      }
    } else if (seen.has(key)) {
      errors.push({line: start, key, error: `${key} is already set on line ${seen.get(key)}`});
    } else {
      seen.set(key, start);
      entries.push({line: start, key, value: v.value});
    }
    pos = endOfLine(s, v.end) + 1;
    line++;
  }
  return {entries, errors};
}

/** The value starting at `at`: {value} or {error, fatal}, with where it ends and the line breaks it spans. */
function parseValue(s, at) {
  const first = s[at];
  if (first === "'") {
    const close = s.indexOf("'", at + 1);
    if (close < 0) {
      return {error: 'the single quote opened on this line is never closed', fatal: true, end: s.length, newlines: 0};
    }
    const value = s.slice(at + 1, close);
    return rest(s, close + 1, value, count(value));
  }
  if (first === '"') {
    let value = '';
    let newlines = 0;
    for (let i = at + 1; i < s.length; i++) {
      const c = s[i];
      if (c === '"') {
        return rest(s, i + 1, value, newlines);
      }
      if (c === '\n') {
        newlines++;
      }
      if (c !== '\\') {
        value += c;
        continue;
      }
      const next = s[i + 1];
      if (next === undefined || !Object.prototype.hasOwnProperty.call(ESCAPES, next)) {
        // The character after the backslash is part of the value: not named.
        const error = 'a backslash in double quotes must start \\n, \\r, \\t, \\", \\\\ or \\$';
        const close = s.indexOf('"', i + 2);
        if (close < 0) {
          return {error, fatal: true, end: s.length, newlines: 0};
        }
        return {error, fatal: false, end: close + 1, newlines: count(s.slice(at, close))};
      }
      value += ESCAPES[next];
      i++;
    }
    return {error: 'the double quote opened on this line is never closed', fatal: true, end: s.length, newlines: 0};
  }
  const eol = endOfLine(s, at);
  let text = s.slice(at, eol);
  const comment = text.search(/[ \t]#/);
  if (comment >= 0) {
    text = text.slice(0, comment);
  }
  return {value: trim(text), end: eol, newlines: 0};
}

/** What may follow a closing quote: spaces, then nothing or a comment. */
function rest(s, after, value, newlines) {
  const eol = endOfLine(s, after);
  const tail = trim(s.slice(after, eol));
  if (tail !== '' && !tail.startsWith('#')) {
    return {error: 'text after the closing quote (quote the whole value)', fatal: false, end: eol, newlines};
  }
  return {value, end: eol, newlines};
}

function endOfLine(s, from) {
  const eol = s.indexOf('\n', Math.min(from, s.length));
  return eol < 0 ? s.length : eol;
}

function count(text) {
  return text.split('\n').length - 1;
}

/** `text` without leading and trailing spaces and tabs (only those: the grammar's blank). */
function trim(text) {
  let a = 0;
  let b = text.length;
  while (a < b && (text[a] === ' ' || text[a] === '\t')) {
    a++;
  }
  while (b > a && (text[b - 1] === ' ' || text[b - 1] === '\t')) {
    b--;
  }
  return SPACE.test(text) ? '' : text.slice(a, b);
}

/**
 * A value as .env text: as it is when it holds only [A-Za-z0-9_./:@+,=-]; else single-quoted when
 * it holds no ', CR or LF (nothing inside single quotes is special, $ included); else
 * double-quoted with \\ \" \$ \n \r \t escapes ($ escaped so that loaders which expand variables in
 * double quotes keep it literal).
 */
export function quote(value) {
  if (PLAIN.test(value)) {
    return value;
  }
  if (!/['\r\n]/.test(value)) {
    return "'" + value + "'";
  }
  const escaped = {'\\': '\\\\', '"': '\\"', $: '\\$', '\n': '\\n', '\r': '\\r', '\t': '\\t'};
  return '"' + value.replace(/[\\"$\n\r\t]/g, (c) => escaped[c]) + '"';
}

/** `[{key, value}]` → .env text, after `header` lines (each becomes a comment). */
export function format(items, header = []) {
  const lines = header.map((h) => '# ' + h.replace(/[\r\n]+/g, ' '));
  for (const {key, value} of items) {
    lines.push(`${key}=${quote(value)}`);
  }
  return lines.join('\n') + '\n';
}
