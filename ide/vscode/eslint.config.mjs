// ESLint for the extension: typescript-eslint's strict, type-checked rules on src and test (the
// program tsconfig.json describes), plus the no-HTML-no-eval rules every Lanonasis surface shares,
// imported from sdk-js (dependency-free, so no sdk-js install is needed to load it).
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import { unsafeCodeRules } from "../../sdk-js/lint/unsafe-code-rules.mjs";

const NODE_TEST_CALLS = [
  { from: "package", package: "node:test", name: ["describe", "it", "test", "before", "after", "beforeEach", "afterEach", "suite"] },
];

export default tseslint.config(
  { ignores: ["dist/", "out/", "node_modules/"] },
  {
    files: ["**/*.ts"],
    extends: [js.configs.recommended, ...tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      ...unsafeCodeRules,
      // typescript-eslint's type-aware twin replaces the core rule (which it turns off).
      "no-implied-eval": "off",
      "@typescript-eslint/no-implied-eval": "error",
      // A number in a message (`version ${n}`) reads as intended; strict's default refuses it.
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      // node:test's describe/it/before/after return promises the runner itself awaits.
      "@typescript-eslint/no-floating-promises": ["error", { allowForKnownSafeCalls: NODE_TEST_CALLS }],
    },
  },
  {
    files: ["**/*.mjs"],
    extends: [js.configs.recommended],
    languageOptions: { globals: { console: "readonly", process: "readonly", URL: "readonly" } },
    rules: unsafeCodeRules,
  },
);
