// The dashboard's .env parser and writer (server/.../ui/dotenv.js, a plain ES module the server
// serves as it is) run here under Node against the shared vectors of docs/dotenv.md, the same file
// the CLI's DotenvTest reads: one grammar, tested in both languages. No server needed.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";

const ROOT = new URL("../../../", import.meta.url);
const DASHBOARD_DOTENV = new URL("server/src/main/resources/com/lanonasis/secrets/server/ui/dotenv.js", ROOT);

interface Entry {
  line: number;
  key: string;
  value: string;
}
interface Refusal {
  line: number;
  key?: string;
  error: string;
}
interface Vectors {
  export: { key: string; value: string; line: string }[];
  parse: { name: string; input: string; entries: Entry[]; errors: Refusal[] }[];
}
interface Dotenv {
  parse(text: string): { entries: Entry[]; errors: Refusal[] };
  quote(value: string): string;
  format(items: { key: string; value: string }[], header?: string[]): string;
}

const vectors = JSON.parse(readFileSync(new URL("docs/dotenv-vectors.json", ROOT), "utf8")) as Vectors;
const dotenv = (await import(DASHBOARD_DOTENV.href)) as Dotenv;

describe("the dashboard's dotenv.js passes the shared vectors (docs/dotenv-vectors.json)", () => {
  it("has vectors to run", () => {
    assert.ok(vectors.export.length > 10);
    assert.ok(vectors.parse.length > 5);
  });

  for (const c of vectors.export) {
    it(`export ${c.key}: writes the vector's line, which reads back to the value`, () => {
      const text = dotenv.format([{ key: c.key, value: c.value }]);
      assert.equal(text, `${c.line}\n`);
      const parsed = dotenv.parse(text);
      assert.deepEqual(parsed.errors, []);
      assert.deepEqual(parsed.entries, [{ line: 1, key: c.key, value: c.value }]);
    });
  }

  it("every exported line in one file (as the CLI writes it, header comments and CRLF too) reads back exactly", () => {
    const text = vectors.export.map((c) => c.line).join("\n") + "\n";
    assert.equal(dotenv.format(vectors.export, ["exported by a test"]), `# exported by a test\n${text}`);
    for (const file of [text, `\uFEFF${text.replace(/\n/g, "\r\n")}`]) {
      const parsed = dotenv.parse(file);
      assert.deepEqual(parsed.errors, []);
      assert.deepEqual(
        parsed.entries.map((e) => [e.key, e.value]),
        vectors.export.map((c) => [c.key, c.value]),
      );
    }
  });

  for (const c of vectors.parse) {
    it(`parse: ${c.name}`, () => {
      const parsed = dotenv.parse(c.input);
      assert.deepEqual(parsed.entries, c.entries);
      assert.deepEqual(parsed.errors, c.errors);
      for (const e of parsed.errors) {
        assert.ok(!e.error.includes("S3NTINEL"), e.error);
      }
    });
  }
});
