// The rules every Lanonasis JavaScript/TypeScript surface shares: no string ever parsed as HTML or as
// code. sdk-js, the VS Code extension (ide/vscode/eslint.config.mjs) and the server's dashboard
// (scripts/lint-dashboard.mjs) all import this one list, so a rule added here holds everywhere.
// No dependency: the extension imports it by path without sdk-js's node_modules.

const HTML_SINKS = ["innerHTML", "outerHTML", "insertAdjacentHTML"];
const WHY = "parses a string as HTML, so a name, value or message can become markup or script: build nodes (dom.js's el(), textContent)";

/** ESLint rules (core rules only, so the same object works in a plain-JS and a TypeScript config). */
export const unsafeCodeRules = {
  // Reads, writes and calls: `x.innerHTML = s`, `x.insertAdjacentHTML(...)`, `x["outerHTML"]`.
  "no-restricted-properties": [
    "error",
    ...HTML_SINKS.map((property) => ({ property, message: `${property} ${WHY}.` })),
    { object: "document", property: "write", message: `document.write ${WHY}.` },
    { object: "document", property: "writeln", message: `document.writeln ${WHY}.` },
  ],
  // What no-restricted-properties does not see: the sinks as object keys (`Object.assign(node,
  // {innerHTML})`, a props bag), as strings handed to Reflect, and DOMParser / createContextualFragment.
  "no-restricted-syntax": [
    "error",
    {
      selector: `Property[key.name=/^(${HTML_SINKS.join("|")})$/], Property[key.value=/^(${HTML_SINKS.join("|")})$/]`,
      message: `An innerHTML/outerHTML/insertAdjacentHTML key ${WHY}.`,
    },
    {
      selector: `CallExpression[callee.object.name='Reflect'] > Literal[value=/^(${HTML_SINKS.join("|")})$/]`,
      message: `Reflect on an HTML sink ${WHY}.`,
    },
    {
      selector: "NewExpression[callee.name='DOMParser'], MemberExpression[property.name='createContextualFragment']",
      message: `DOMParser and createContextualFragment parse strings as HTML: ${WHY}.`,
    },
  ],
  // Strings run as code (`eval`, `new Function`, `setTimeout("...")`) break the dashboard's CSP and
  // are how injected text becomes script.
  "no-eval": "error",
  "no-implied-eval": "error",
  "no-new-func": "error",
  "no-script-url": "error",
};
