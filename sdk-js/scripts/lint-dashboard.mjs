// Lints the server's dashboard (server/src/main/resources/.../ui/*.js): plain ES modules the browser
// loads as they are, without a bundler. It runs from sdk-js because sdk-js is the one Node package
// that already owns dashboard code (it builds ui/client-rules.js and tests ui/dotenv.js), the Maven
// build runs its npm test after the server module, and the server module has no Node toolchain of
// its own. ESLint ignores files outside the directory it treats as the base, so this script sets
// that base to the repository root (ESLint's `cwd`) and passes the config here, rather than
// eslint.config.mjs, whose patterns are relative to sdk-js.
import js from "@eslint/js";
import { ESLint } from "eslint";
import globals from "globals";
import { fileURLToPath } from "node:url";
import { unsafeCodeRules } from "../lint/unsafe-code-rules.mjs";

const UI = "server/src/main/resources/com/lanonasis/secrets/server/ui";

const eslint = new ESLint({
  cwd: fileURLToPath(new URL("../..", import.meta.url)),
  overrideConfigFile: true,
  overrideConfig: [
    {
      files: [`${UI}/*.js`],
      ...js.configs.recommended,
      languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: globals.browser },
      linterOptions: { reportUnusedDisableDirectives: "error" },
      rules: {
        ...js.configs.recommended.rules,
        ...unsafeCodeRules,
        eqeqeq: ["error", "always"],
        "no-var": "error",
        "prefer-const": "error",
      },
    },
  ],
});

const results = await eslint.lintFiles([`${UI}/*.js`]);
const formatter = await eslint.loadFormatter("stylish");
const problems = results.reduce((n, r) => n + r.errorCount + r.warningCount, 0);
if (results.length === 0) {
  console.error(`no file under ${UI} was linted`);
  process.exit(1);
}
if (problems > 0) {
  console.error(await formatter.format(results));
  process.exit(1);
}
console.log(`dashboard: ${results.length} files, no problems`);
