// The package as a user gets it: from a fresh copy of this folder (no dist/, no node_modules/),
// `npm pack` builds and packs the tarball, an empty project installs it offline, and Node imports
// it. This is the README's install path; `npm install ./sdk-js` would only link the unbuilt folder.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const PACKAGE = fileURLToPath(new URL("../..", import.meta.url));
const manifest = JSON.parse(readFileSync(join(PACKAGE, "package.json"), "utf8")) as { name: string; version: string };
// What a fresh clone lacks (sdk-js/.gitignore), so the copy starts as one does.
const NOT_IN_A_CLONE = new Set(["node_modules", "dist"]);
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const quiet = { ...process.env, NO_UPDATE_NOTIFIER: "1", npm_config_audit: "false", npm_config_fund: "false" };

describe("npm pack from a fresh copy", () => {
  let work: string;
  let tarball: string;
  let listing: string[];

  before(() => {
    work = mkdtempSync(join(tmpdir(), "lanonasis-sdk-pack-"));
    const copy = join(work, "sdk-js");
    cpSync(PACKAGE, copy, {
      recursive: true,
      filter: (source) => !NOT_IN_A_CLONE.has(basename(source)) && !source.endsWith(".tgz"),
    });
    // The locked devDependencies, already installed here: the copy builds offline with them.
    symlinkSync(join(PACKAGE, "node_modules"), join(copy, "node_modules"), "dir");
    const packed = execFileSync(npm, ["pack", "--json", "--pack-destination", work], { cwd: copy, env: quiet, encoding: "utf8" });
    const [result] = JSON.parse(packed.slice(packed.indexOf("["))) as { filename: string; files: { path: string }[] }[];
    assert.ok(result);
    tarball = join(work, result.filename);
    listing = result.files.map((f) => f.path).sort();
  });

  after(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it("pack_namesTheTarballAfterTheVersion", () => {
    assert.equal(basename(tarball), `lanonasis-secrets-client-${manifest.version}.tgz`);
  });

  it("pack_holdsTheBuildTheSourcesItMapsToReadmeAndLicense", () => {
    const outside = listing.filter((p) => !/^(dist\/src\/[a-z]+\.(js|d\.ts|js\.map|d\.ts\.map)|src\/[a-z]+\.ts|package\.json|README\.md|LICENSE)$/.test(p));
    assert.deepEqual(outside, []);
    for (const needed of ["package.json", "README.md", "LICENSE", "dist/src/index.js", "dist/src/index.d.ts", "dist/src/client.js"]) {
      assert.ok(listing.includes(needed), needed);
    }
    assert.match(readFileSync(join(PACKAGE, "LICENSE"), "utf8"), /Apache License\s+Version 2\.0/);
  });

  it("install_fromTheTarballOffline_importsAndBuildsAClient", () => {
    const app = join(work, "app");
    mkdirSync(app);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", private: true, type: "module" }));
    execFileSync(npm, ["install", "--offline", "--ignore-scripts", tarball], { cwd: app, env: quiet, stdio: "pipe" });
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", [
      `import { SecretManagerClient, isValidName } from "${manifest.name}";`,
      `const c = new SecretManagerClient({ apiUrl: "https://secrets.example.com/api/v1" });`,
      `console.log(c.apiUrl, isValidName("prod/db"));`,
    ].join("\n")], { cwd: app, encoding: "utf8" });
    assert.equal(out.trim(), "https://secrets.example.com true");
  });
});
