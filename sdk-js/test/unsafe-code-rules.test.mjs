// The shared no-HTML-no-eval rules (lint/unsafe-code-rules.mjs) catch what they name and let
// ordinary DOM code through: ESLint's own Linter on code snippets, no file system.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Linter } from "eslint";
import globals from "globals";
import { unsafeCodeRules } from "../lint/unsafe-code-rules.mjs";

const linter = new Linter({ configType: "flat" });
// The browser's globals, as the dashboard is linted: no-eval knows `window.eval` through them.
const config = [{ languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: globals.browser }, rules: unsafeCodeRules }];
const rulesHit = (code) => linter.verify(code, config).map((m) => m.ruleId ?? `fatal: ${m.message}`);

describe("unsafeCodeRules", () => {
  it("refuse every way of parsing a string as HTML", () => {
    for (const code of [
      "node.innerHTML = s;",
      "node.outerHTML = s;",
      "node.innerHTML += s;",
      'node["innerHTML"] = s;',
      "const t = node.innerHTML;",
      "node.insertAdjacentHTML('beforeend', s);",
      "const { innerHTML } = node;",
      "Object.assign(node, { innerHTML: s });",
      "Object.assign(node, { 'outerHTML': s });",
      "Reflect.set(node, 'innerHTML', s);",
      "document.write(s);",
      "new DOMParser().parseFromString(s, 'text/html');",
      "document.createRange().createContextualFragment(s);",
    ]) {
      assert.notDeepEqual(rulesHit(code), [], code);
    }
  });

  it("refuse every way of running a string as code", () => {
    for (const [code, rule] of [
      ["eval(s);", "no-eval"],
      ["window.eval(s);", "no-eval"],
      ["new Function('a', s);", "no-new-func"],
      ["Function(s)();", "no-new-func"],
      ["setTimeout('go()', 10);", "no-implied-eval"],
      ["setInterval(`go()`, 10);", "no-implied-eval"],
      ["location.href = 'javascript:void(0)';", "no-script-url"],
    ]) {
      assert.deepEqual(rulesHit(code), [rule], code);
    }
  });

  it("let text, attributes and listeners through", () => {
    for (const code of [
      "node.textContent = s;",
      "node.setAttribute('title', s);",
      "node.replaceChildren(document.createTextNode(s));",
      "node.addEventListener('click', () => go());",
      "setTimeout(() => go(), 10);",
      "const html = 'innerHTML is a word';",
    ]) {
      assert.deepEqual(rulesHit(code), [], code);
    }
  });
});
