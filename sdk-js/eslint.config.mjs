// ESLint for the TypeScript client: typescript-eslint's strict, type-checked rules on src, test and
// test-support (the program tsconfig.json describes), plus the shared no-HTML-no-eval rules. The
// server's dashboard is linted from here too, by scripts/lint-dashboard.mjs (see there why).
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";
import { unsafeCodeRules } from "./lint/unsafe-code-rules.mjs";

const NODE_TEST_CALLS = [
  { from: "package", package: "node:test", name: ["describe", "it", "test", "before", "after", "beforeEach", "afterEach", "suite"] },
];

export default tseslint.config(
  { ignores: ["dist/", "node_modules/"] },
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
      // A number in a message (`version ${n}`, `${ms} ms`) reads as intended; strict's default
      // refuses it. Objects, undefined and null in a template stay errors.
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      // node:test's describe/it/before/after return promises the runner itself awaits.
      "@typescript-eslint/no-floating-promises": ["error", { allowForKnownSafeCalls: NODE_TEST_CALLS }],
    },
  },
  {
    files: ["**/*.mjs"],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
    rules: unsafeCodeRules,
  },
);
