// .env text in and out, in the browser. parse() reads what people write in .env files; format()
// writes a file that parse() reads back to exactly the same names and values.
//
// A line is blank, a comment (#...), or [export ]KEY=value. KEY is letters, digits, ".", "_", "-"
// and "/". A value is 'single-quoted' (taken as it is), "double-quoted" (\n \r \t \" \\ escapes),
// or unquoted (trimmed; " #" starts a comment). Anything after a closing quote but a comment is an
// error, as is an unknown escape or a missing closing quote: a line that does not parse is reported
// with its number, never guessed at.

const ASSIGNMENT = /^(?:export\s+)?([A-Za-z0-9._/-]+)\s*=\s*(.*)$/;
const ESCAPES = {n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\'};
const PLAIN = /^[A-Za-z0-9_./:@+,=-]+$/;

/**
 * `text` → {entries: [{line, key, value}], errors: [{line, key?, error}]}, in line order. A key
 * given twice is an error on its second line.
 */
export function parse(text) {
  const entries = [];
  const errors = [];
  const seen = new Map();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      return;
    }
    const match = ASSIGNMENT.exec(trimmed);
    if (!match) {
      errors.push({line, error: 'not KEY=value (a key is letters, digits, ".", "_", "-" and "/")'});
      return;
    }
    const key = match[1];
    const value = parseValue(match[2]);
    if (value.error) {
      errors.push({line, key, error: value.error});
    } else if (seen.has(key)) {
      errors.push({line, key, error: `${key} is already set on line ${seen.get(key)}`});
    } else {
      seen.set(key, line);
      entries.push({line, key, value: value.value});
    }
  });
  return {entries, errors};
}

function parseValue(text) {
  if (text.startsWith("'")) {
    const end = text.indexOf("'", 1);
    if (end < 0) {
      return {error: 'the single quote is not closed on this line'};
    }
    return rest(text.slice(end + 1), text.slice(1, end));
  }
  if (text.startsWith('"')) {
    let value = '';
    for (let i = 1; i < text.length; i++) {
      const c = text[i];
      if (c === '"') {
        return rest(text.slice(i + 1), value);
      }
      if (c === '\\') {
        const next = text[i + 1];
        if (!(next in ESCAPES)) {
          return {error: next === undefined ? 'the double quote is not closed on this line'
            : `unknown escape \\${next} (use \\n, \\r, \\t, \\" or \\\\)`};
        }
        value += ESCAPES[next];
        i++;
      } else {
        value += c;
      }
    }
    return {error: 'the double quote is not closed on this line'};
  }
  const comment = text.search(/\s#/);
  return {value: (comment < 0 ? text : text.slice(0, comment)).trim()};
}

/** What may follow a closing quote: spaces, then nothing or a comment. */
function rest(after, value) {
  const tail = after.trim();
  if (tail !== '' && !tail.startsWith('#')) {
    return {error: 'text after the closing quote (quote the whole value)'};
  }
  return {value};
}

/** A value as .env text: plain when that reads back the same, otherwise double-quoted and escaped. */
export function quote(value) {
  if (PLAIN.test(value)) {
    return value;
  }
  return '"' + value.replace(/[\\"\n\r\t]/g, (c) => '\\' + {'\\': '\\', '"': '"', '\n': 'n', '\r': 'r', '\t': 't'}[c]) + '"';
}

/** `[{key, value}]` → .env text, after `header` lines (each becomes a comment). */
export function format(items, header = []) {
  const lines = header.map((h) => '# ' + h.replace(/[\r\n]+/g, ' '));
  for (const {key, value} of items) {
    lines.push(`${key}=${quote(value)}`);
  }
  return lines.join('\n') + '\n';
}
