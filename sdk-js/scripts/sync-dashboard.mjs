// Writes the dashboard's copy of the shared rules: dist/src/rules.js (tsc's output of
// src/rules.ts, run `npm run build` first) → server/.../ui/client-rules.js, without the source-map
// comment. With --check it writes nothing and exits 1 when the copy differs (test/rules.test.ts).
import { readFileSync, writeFileSync } from "node:fs";

const source = new URL("../dist/src/rules.js", import.meta.url);
const copy = new URL("../../server/src/main/resources/com/lanonasis/secrets/server/ui/client-rules.js", import.meta.url);
const expected = readFileSync(source, "utf8").replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n");

if (process.argv.includes("--check")) {
  let actual = "";
  try {
    actual = readFileSync(copy, "utf8");
  } catch {
    // missing: reported below as a difference
  }
  if (actual !== expected) {
    console.error(`${copy.pathname} is not the build of src/rules.ts: run npm run build && npm run sync-dashboard in sdk-js`);
    process.exit(1);
  }
} else {
  writeFileSync(copy, expected);
  console.log(`wrote ${copy.pathname}`);
}
