// Builds DOM nodes from data without ever parsing it as HTML: every string becomes a text node or
// an attribute value, so a name, description, label or value can never become markup or script.

/**
 * el('button', {class: 'btn', type: 'button', onclick: fn}, 'Reveal') → <button>Reveal</button>.
 * Props: `class`, `text` (textContent), `on<event>` (a listener), `hidden`/`disabled` (booleans),
 * `dataset` (an object), anything else an attribute; children: nodes or strings (as text), and
 * null/undefined/false are skipped.
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (key === 'class') {
      node.className = value;
    } else if (key === 'text') {
      node.textContent = String(value);
    } else if (key === 'dataset') {
      Object.assign(node.dataset, value);
    } else if (key.startsWith('on') && typeof value === 'function') {
      node.addEventListener(key.slice(2), value);
    } else if (value === true) {
      node.setAttribute(key, '');
    } else {
      node.setAttribute(key, String(value));
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(node, child);
    } else if (child instanceof Node) {
      node.appendChild(child);
    } else {
      node.appendChild(document.createTextNode(String(child)));
    }
  }
}

/** Replaces every child of `node` with `children` (same rules as `el`). */
export function replace(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/** A secret name as text, with a line-break opportunity after each "/" rather than inside a segment. */
export function nameText(name) {
  const parts = [];
  name.split('/').forEach((segment, i, all) => {
    parts.push(i < all.length - 1 ? segment + '/' : segment);
    if (i < all.length - 1) {
      parts.push(document.createElement('wbr'));
    }
  });
  return parts;
}

export function byId(id) {
  const node = document.getElementById(id);
  if (!node) {
    throw new Error('missing element #' + id);
  }
  return node;
}

/**
 * "2026-11-30T10:45:00.123456Z" → a short local date and time (only the date with `dateOnly`); the
 * full UTC time goes in `title`.
 */
export function time(iso, dateOnly = false, seconds = false) {
  if (!iso) {
    return el('span', {class: 'muted', text: '—'});
  }
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) {
    return el('span', {text: iso});
  }
  const sameYear = d.getFullYear() === new Date().getFullYear();
  const options = {year: sameYear && !dateOnly ? undefined : 'numeric', month: 'short', day: 'numeric'};
  if (!dateOnly) {
    Object.assign(options, {hour: '2-digit', minute: '2-digit'}, seconds ? {second: '2-digit'} : {});
  }
  return el('time', {datetime: iso, title: iso, text: d.toLocaleString(undefined, options)});
}
