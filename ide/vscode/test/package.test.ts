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
  license: string;
  icon: string;
  activationEvents: string[];
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
      ["extension/LICENSE.txt", "extension/dist/extension.js", "extension/images/icon.png", "extension/package.json", "extension/readme.md"]);
  });

  it("vsix_readmeIsTheUserPageWithNoRepositoryRelativeLinks", () => {
    const readme = entries.get("extension/readme.md")?.toString("utf8") ?? "";
    assert.equal(readme, readFileSync(join(ROOT, "README.md"), "utf8"));
    for (const heading of ["## Install", "## Settings", "## Commands", "## What is stored where"]) {
      assert.ok(readme.includes(`\n${heading}\n`), heading);
    }
    for (const developerOnly of ["## Build and test", "Not tested here", "npm test", "npm ci"]) {
      assert.ok(!readme.includes(developerOnly), developerOnly);
    }
    // A link to a path inside the repository would point nowhere on a marketplace page.
    const targets = [...readme.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1] ?? "");
    assert.deepEqual(targets.filter((t) => !/^https:\/\//.test(t) && !t.startsWith("command:") && !t.startsWith("#")), []);
  });

  it("vsix_holdsTheApacheLicenceAndThe128PixelIcon", () => {
    assert.equal(manifest.license, "Apache-2.0");
    assert.equal(entries.get("extension/LICENSE.txt")?.toString("utf8"), readFileSync(join(ROOT, "..", "..", "LICENSE"), "utf8"));
    const icon = entries.get(`extension/${manifest.icon}`);
    assert.ok(icon, manifest.icon);
    // PNG signature, then the IHDR chunk: width and height as big-endian 32-bit integers.
    assert.deepEqual([...icon.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(icon.toString("latin1", 12, 16), "IHDR");
    assert.deepEqual([icon.readUInt32BE(16), icon.readUInt32BE(20)], [128, 128]);
    const vsixManifest = entries.get("extension.vsixmanifest")?.toString("utf8") ?? "";
    assert.match(vsixManifest, /<License>extension\/LICENSE\.txt<\/License>/);
    assert.match(vsixManifest, new RegExp(`<Icon>extension/${manifest.icon}</Icon>`));
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
    // require(), as the editor's extension host loads a CommonJS bundle, resolving `vscode` from
    // the bundle's own folder: an import would be resolved (and cached) differently.
    /* eslint-disable @typescript-eslint/no-require-imports */
    extension = require(join(dir, "extension.js")) as typeof extension;
    const { fakeContext } = require("./support/fake-vscode") as typeof import("./support/fake-vscode");
    fakes = { vs: require(join(dir, "node_modules", "vscode")) as typeof fakes.vs, context: fakeContext() };
    /* eslint-enable @typescript-eslint/no-require-imports */
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

  it("activation_onTheExtensionsOwnContributionsNotAtStartUp", () => {
    // Commands and views activate implicitly (VS Code 1.74+); MCP discovery by onMcpCollection.
    const own = new Set([
      ...manifest.contributes.mcpServerDefinitionProviders.map((p) => `onMcpCollection:${p.id}`),
      ...Object.values(manifest.contributes.views).flat().map((v) => `onView:${v.id}`),
      ...manifest.contributes.commands.map((c) => `onCommand:${c.command}`),
    ]);
    assert.ok(manifest.activationEvents.length > 0);
    assert.deepEqual(manifest.activationEvents.filter((e) => !own.has(e)), []);
  });

  it("engines_matchTheVscodeTypes", () => {
    assert.equal(manifest.engines.vscode, `^${manifest.devDependencies["@types/vscode"]}`);
    for (const [name, version] of Object.entries(manifest.devDependencies)) {
      assert.match(version, /^\d+\.\d+\.\d+$/, `${name} pinned`);
    }
  });
});
