import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { readZip } from "./support/zip";

const ROOT = resolve(__dirname, "../..");
const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  name: string;
  version: string;
  main: string;
  engines: { vscode: string };
  devDependencies: Record<string, string>;
  contributes: {
    commands: { command: string }[];
    views: Record<string, { id: string }[]>;
    viewsContainers: { activitybar: { id: string }[] };
    menus: Record<string, { command: string }[]>;
    mcpServerDefinitionProviders: { id: string }[];
    configuration: { properties: Record<string, { default?: unknown }> };
  };
};
const VSIX = join(ROOT, `${manifest.name}-${manifest.version}.vsix`);

describe("the .vsix npm test packaged", () => {
  let entries: Map<string, Buffer>;
  before(() => {
    entries = readZip(readFileSync(VSIX));
  });

  it("vsix_holdsTheManifestAndTheBundle", () => {
    assert.ok(entries.has("extension/package.json"));
    assert.ok(entries.has("extension/dist/extension.js"));
    assert.ok(entries.has("extension.vsixmanifest"));
    const packed = JSON.parse(entries.get("extension/package.json")?.toString("utf8") ?? "") as { main: string };
    assert.equal(packed.main, "./dist/extension.js");
  });

  it("vsix_noDependenciesSourcesTestsOrMaps", () => {
    const names = [...entries.keys()];
    const unwanted = names.filter((n) => /(^|\/)node_modules\//.test(n) || /^extension\/(src|test|out)\//.test(n)
      || /\.(ts|map)$/.test(n) || /\.test\.js$/.test(n) || /tsconfig|package-lock|\.vsix$/.test(n));
    assert.deepEqual(unwanted, []);
    assert.deepEqual(names.filter((n) => n.startsWith("extension/")).sort(),
      ["extension/dist/extension.js", "extension/package.json", "extension/readme.md"]);
  });

  it("bundle_holdsTheClientNeedsOnlyVscodeAndNode", () => {
    const bundle = entries.get("extension/dist/extension.js")?.toString("utf8") ?? "";
    assert.match(bundle, /SecretManagerClient = class|class SecretManagerClient/, "the client is inside the bundle");
    const required = [...bundle.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    assert.deepEqual([...new Set(required)].filter((r) => r !== "vscode" && !r?.startsWith("node:")), []);
    assert.ok(!/sourceMappingURL/.test(bundle), "no source map reference");
    assert.ok(!bundle.includes(ROOT) && !/\/(home|work|tmp|Users)\/[^\s"']*\/ide\/vscode/.test(bundle), "no absolute build paths");
  });
});

describe("the bundled extension, loaded as the editor loads it", () => {
  let dir: string;
  let fakes: { vs: import("./support/fake-vscode").FakeVscode; context: ReturnType<typeof import("./support/fake-vscode").fakeContext> };
  let extension: { activate(context: unknown): void; deactivate(): Promise<void> };

  before(() => {
    // `require("vscode")` from the bundle finds this module, as it finds the editor's in VS Code.
    dir = mkdtempSync(join(tmpdir(), "lanonasis-vsix-"));
    mkdirSync(join(dir, "node_modules", "vscode"), { recursive: true });
    const fake = resolve(__dirname, "support", "fake-vscode.js");
    writeFileSync(join(dir, "node_modules", "vscode", "index.js"),
      `const { FakeVscode } = require(${JSON.stringify(fake)});\nmodule.exports = new FakeVscode();\n`);
    writeFileSync(join(dir, "extension.js"), readZip(readFileSync(VSIX)).get("extension/dist/extension.js") ?? "");
    cpSync(join(ROOT, "package.json"), join(dir, "package.json"));
    extension = require(join(dir, "extension.js")) as typeof extension;
    const { fakeContext } = require("./support/fake-vscode") as typeof import("./support/fake-vscode");
    fakes = { vs: require(join(dir, "node_modules", "vscode")) as typeof fakes.vs, context: fakeContext() };
    extension.activate(fakes.context);
  });
  after(async () => {
    await extension.deactivate();
    rmSync(dir, { recursive: true, force: true });
  });

  it("activate_registersExactlyTheContributedCommands", () => {
    const contributed = manifest.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual([...fakes.vs.commandsById.keys()].sort(), contributed);
  });

  it("activate_registersTheContributedViewAndMcpProvider", () => {
    const views = Object.values(manifest.contributes.views).flat().map((v) => v.id);
    assert.deepEqual([...fakes.vs.treeProviders.keys()], views);
    assert.deepEqual([...fakes.vs.mcpProviders.keys()], manifest.contributes.mcpServerDefinitionProviders.map((p) => p.id));
    assert.ok(fakes.vs.statusItems[0]?.visible);
  });
});

describe("package.json", () => {
  it("menus_nameOnlyContributedCommands", () => {
    const commands = new Set(manifest.contributes.commands.map((c) => c.command));
    for (const [menu, items] of Object.entries(manifest.contributes.menus)) {
      for (const item of items) {
        assert.ok(commands.has(item.command), `${menu} names ${item.command}`);
      }
    }
    assert.ok(Object.keys(manifest.contributes.views).every((c) => manifest.contributes.viewsContainers.activitybar.some((a) => a.id === c)));
  });

  it("settings_theFourWithTheirDefaultsAndNoKey", () => {
    const props = manifest.contributes.configuration.properties;
    assert.deepEqual(Object.keys(props).sort(), ["lanonasis.cliPath", "lanonasis.clipboardClearSeconds", "lanonasis.defaultPrefix", "lanonasis.serverUrl"]);
    assert.equal(props["lanonasis.clipboardClearSeconds"]?.default, 30);
    assert.equal(props["lanonasis.cliPath"]?.default, "lanonasis");
  });

  it("engines_matchTheVscodeTypes", () => {
    assert.equal(manifest.engines.vscode, `^${manifest.devDependencies["@types/vscode"]}`);
    for (const [name, version] of Object.entries(manifest.devDependencies)) {
      assert.match(version, /^\d+\.\d+\.\d+$/, `${name} pinned`);
    }
  });
});
