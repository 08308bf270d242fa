import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { SecretManagerClient } from "@lanonasis/secrets-client";
import { activateWith, API_KEY_SECRET, MCP_PROVIDER_ID, VIEW_ID, type ActiveExtension, type VscodeApi } from "../src/adapter";
import type { TreeNode } from "../src/core/tree";
import { fakeContext, FakeVscode, ManualTimers, McpStdioServerDefinition, TreeItem } from "./support/fake-vscode";
import { createKey, revokeKey, startServer, type RunningServer } from "./support/server";

const SENTINEL_VALUE = "S3NTINEL-value-7f3a";

/** One activated extension over the fake editor, signed out, pointed at the real server. */
class Harness {
  readonly vs = new FakeVscode();
  readonly context = fakeContext();
  readonly timers = new ManualTimers();
  ext!: ActiveExtension;

  constructor(serverUrl: string, settings: Record<string, unknown> = {}) {
    this.vs.settings = { "lanonasis.serverUrl": serverUrl, ...settings };
  }

  async activate(): Promise<this> {
    this.ext = activateWith(this.vs as unknown as VscodeApi, this.context as never, this.timers);
    await this.ext.ready;
    return this;
  }

  run(command: string, ...args: unknown[]): Promise<unknown> {
    const handler = this.vs.commandsById.get(command);
    assert.ok(handler, `command ${command} registered`);
    return Promise.resolve(handler(...args));
  }

  async signIn(key: string): Promise<void> {
    this.vs.answers.inputBox.push(key);
    await this.run("lanonasis.signIn");
  }

  get tree() {
    return this.vs.treeProviders.get(VIEW_ID) as { getChildren(n?: TreeNode): Promise<TreeNode[]>; getTreeItem(n: TreeNode): TreeItem };
  }

  get mcp() {
    const provider = this.vs.mcpProviders.get(MCP_PROVIDER_ID);
    assert.ok(provider);
    return provider as {
      onDidChangeMcpServerDefinitions: (l: () => void) => unknown;
      provideMcpServerDefinitions(): McpStdioServerDefinition[];
      resolveMcpServerDefinition(d: McpStdioServerDefinition): Promise<McpStdioServerDefinition | undefined>;
    };
  }

  get status() {
    const item = this.vs.statusItems[0];
    assert.ok(item);
    return item;
  }

  errors(): string[] {
    return this.vs.messages.filter((m) => m.level === "error").map((m) => m.message);
  }

  /** Nothing persistent but SecretStorage was written: no setting, no workspace or global state. */
  assertOnlySecretStorageWritten(): void {
    assert.deepEqual(this.vs.settingsWrites, []);
    assert.deepEqual(this.context.globalState.updates, []);
    assert.deepEqual(this.context.workspaceState.updates, []);
  }
}

/** A folder's children, with "Load more…" clicked until `found` holds or no page is left. */
async function childrenUntil(h: Harness, parent: TreeNode | undefined, found: (n: TreeNode) => boolean): Promise<TreeNode[]> {
  let nodes = await h.tree.getChildren(parent);
  while (!nodes.some(found) && nodes.at(-1)?.kind === "more") {
    await h.run("lanonasis.loadMore", nodes.at(-1));
    nodes = await h.tree.getChildren(parent);
  }
  return nodes;
}

async function secretNode(h: Harness, key: string): Promise<TreeNode> {
  const parts = key.split("/");
  let parent: TreeNode | undefined;
  for (const part of parts.slice(0, -1)) {
    const isFolder = (n: TreeNode) => n.kind === "folder" && n.label === part;
    const folder = (await childrenUntil(h, parent, isFolder)).find(isFolder);
    assert.ok(folder, `folder ${part}`);
    parent = folder;
  }
  const isSecret = (n: TreeNode) => n.kind === "secret" && n.key === key;
  const nodes = await childrenUntil(h, parent, isSecret);
  const node = nodes.find(isSecret);
  assert.ok(node, `secret ${key} in the tree`);
  return node;
}

describe("the adapter over a fake editor and the real server", () => {
  let server: RunningServer;
  let admin: SecretManagerClient;
  let key: { id: string; key: string };

  before(async () => {
    server = await startServer();
    admin = new SecretManagerClient({ apiUrl: server.url, apiKey: server.adminKey });
    key = await createKey(server, "READ_WRITE");
    await admin.putSecret("prod/db/password", SENTINEL_VALUE);
    await admin.putSecret("prod/db/user", "app");
    await admin.putSecret("top", "S3NTINEL-top");
  });
  after(async () => server.stop());

  describe("sign-in and sign-out", () => {
    it("signIn_validKey_keptOnlyInSecretStorage", async () => {
      const h = await new Harness(server.url).activate();
      assert.equal(h.status.text, statusSignedOut(server.url));
      await h.signIn(key.key);

      const box = h.vs.inputBoxes[0]?.options ?? {};
      assert.equal(box["password"], true);
      assert.equal(box["ignoreFocusOut"], true);
      assert.equal(h.context.secrets.values.get(API_KEY_SECRET), key.key);
      assert.deepEqual([...h.context.secrets.values.keys()], [API_KEY_SECRET]);
      h.assertOnlySecretStorageWritten();
      assert.ok(h.vs.executed.some(([id, k, v]) => id === "setContext" && k === "lanonasis.signedIn" && v === true));
      assert.match(h.status.text, new RegExp(`${key.id}$`));
      assert.deepEqual(h.errors(), []);
      assert.ok(h.vs.outputLines.some((l) => l.includes(`as key ${key.id}`)));
      for (const text of h.vs.visibleText()) {
        assert.ok(!text.includes(key.key), `the key in: ${text}`);
      }
    });

    it("signIn_unknownKey_nothingStoredAndErrorWithoutTheKey", async () => {
      const h = await new Harness(server.url).activate();
      const unknown = "lns_00000000000000ff_S3NTINEL-key-BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";
      await h.signIn(unknown);
      assert.equal(h.context.secrets.values.size, 0);
      assert.match(h.errors()[0] ?? "", /refused the API key/);
      h.assertOnlySecretStorageWritten();
      for (const text of h.vs.visibleText()) {
        assert.ok(!text.includes("S3NTINEL"), `the key in: ${text}`);
      }
    });

    it("signIn_noServerUrl_pointsToTheSettingAndAsksForNoKey", async () => {
      const h = await new Harness("").activate();
      h.vs.answers.message.push("Open Settings");
      await h.run("lanonasis.signIn");
      assert.equal(h.vs.inputBoxes.length, 0);
      assert.ok(h.vs.executed.some(([id, arg]) => id === "workbench.action.openSettings" && arg === "lanonasis.serverUrl"));
    });

    it("signIn_dismissed_nothingHappens", async () => {
      const h = await new Harness(server.url).activate();
      h.vs.answers.inputBox.push(undefined);
      await h.run("lanonasis.signIn");
      assert.equal(h.context.secrets.values.size, 0);
      assert.deepEqual(h.errors(), []);
    });

    it("signOut_removesTheKeyAndEmptiesTheView", async () => {
      const h = await new Harness(server.url).activate();
      await h.signIn(key.key);
      assert.ok((await h.tree.getChildren()).length > 0);
      await h.run("lanonasis.signOut");
      assert.equal(h.context.secrets.values.size, 0);
      assert.deepEqual(await h.tree.getChildren(), []);
      assert.equal(h.status.text, statusSignedOut(server.url));
      assert.ok(h.vs.executed.some(([id, k, v]) => id === "setContext" && k === "lanonasis.signedIn" && v === false));
      h.assertOnlySecretStorageWritten();
    });

    it("commands_signedOut_sayHowToSignInAskNothing", async () => {
      const h = await new Harness(server.url).activate();
      for (const command of ["lanonasis.copyValue", "lanonasis.reveal", "lanonasis.setValue", "lanonasis.newSecret", "lanonasis.showHistory", "lanonasis.delete"]) {
        await h.run(command);
      }
      assert.equal(h.vs.inputBoxes.length, 0);
      assert.equal(h.errors().length, 6);
      assert.ok(h.errors().every((e) => e === "Not signed in: run 'Lanonasis: Sign in with API key'."));
    });

    it("activate_keyAlreadyStored_signedInWithoutAsking", async () => {
      const h = new Harness(server.url);
      await h.context.secrets.store(API_KEY_SECRET, key.key);
      await h.activate();
      assert.equal(h.vs.inputBoxes.length, 0);
      assert.match(h.status.text, new RegExp(key.id));
    });

    it("activate_storedKeyRevoked_signedOutStateKeyKept", async () => {
      const revoked = await createKey(server, "READ_ONLY");
      await revokeKey(server, revoked.id);
      const h = new Harness(server.url);
      await h.context.secrets.store(API_KEY_SECRET, revoked.key);
      await h.activate();
      assert.equal(h.status.text, statusSignedOut(server.url));
      assert.ok(h.vs.outputLines.some((l) => /stored API key not usable: The server refused the API key/.test(l)));
      assert.ok(!h.vs.visibleText().some((t) => t.includes(revoked.key)));
    });
  });

  describe("the Secrets view", () => {
    it("tree_groupsNamesWithoutValues", async () => {
      const h = await new Harness(server.url).activate();
      await h.signIn(key.key);
      const root = await h.tree.getChildren();
      const items = root.map((n) => h.tree.getTreeItem(n));
      assert.deepEqual(items.map((i) => [i.label, i.contextValue]), [["prod", "lanonasis.folder"], ["top", "lanonasis.secret"]]);
      const node = await secretNode(h, "prod/db/password");
      const item = h.tree.getTreeItem(node);
      assert.equal(item.contextValue, "lanonasis.secret");
      assert.equal(item.command, undefined, "a click does not fetch the value");
      assert.ok(!JSON.stringify([item, node, items]).includes("S3NTINEL"));
    });

    it("tree_pagesWithLoadMore", async () => {
      for (let i = 0; i < 105; i++) {
        await admin.putSecret(`many/n${String(i).padStart(3, "0")}`, "x");
      }
      const h = await new Harness(server.url, { "lanonasis.defaultPrefix": "many" }).activate();
      await h.signIn(key.key);
      const first = await h.tree.getChildren();
      assert.equal(first.length, 101);
      const more = first[100];
      assert.equal(more?.kind, "more");
      const moreItem = h.tree.getTreeItem(more);
      assert.equal(moreItem.label, "Load more…");
      assert.equal(moreItem.command?.command, "lanonasis.loadMore");
      await h.run("lanonasis.loadMore", ...(moreItem.command.arguments ?? []));
      const all = await h.tree.getChildren();
      assert.equal(all.length, 105);
      assert.ok(all.every((n) => n.kind === "secret"));
    });
  });

  describe("per-secret commands", () => {
    let h: Harness;
    beforeEach(async () => {
      h = await new Harness(server.url, { "lanonasis.clipboardClearSeconds": 20 }).activate();
      await h.signIn(key.key);
    });

    it("copyValue_clipboardClearedAfterTheSetTimeOnlyIfUnchanged", async () => {
      await h.run("lanonasis.copyValue", await secretNode(h, "prod/db/password"));
      assert.equal(h.vs.clipboardText, SENTINEL_VALUE);
      await h.timers.advance(19_000);
      assert.equal(h.vs.clipboardText, SENTINEL_VALUE);
      await h.timers.advance(1_000);
      assert.equal(h.vs.clipboardText, "");

      await h.run("lanonasis.copyValue", await secretNode(h, "prod/db/password"));
      h.vs.clipboardText = "something the user copied";
      await h.timers.advance(20_000);
      assert.equal(h.vs.clipboardText, "something the user copied");
      assert.ok(h.vs.messages.some((m) => m.message.includes("cleared in 20 s")));
      assertNoSentinelShown(h);
    });

    it("copyValue_fromThePalette_asksForTheName", async () => {
      h.vs.answers.inputBox.push("top");
      await h.run("lanonasis.copyValue");
      assert.equal(h.vs.clipboardText, "S3NTINEL-top");
      await h.ext.dispose();
      assert.equal(h.vs.clipboardText, "", "deactivation clears a value still on the clipboard");
    });

    it("reveal_onlyOnRequest_inAModalDialog", async () => {
      await secretNode(h, "prod/db/password");
      assert.ok(!JSON.stringify(h.vs.messages).includes(SENTINEL_VALUE), "nothing revealed before the command");
      await h.run("lanonasis.reveal", await secretNode(h, "prod/db/password"));
      const shown = h.vs.messages.filter((m) => m.detail?.includes(SENTINEL_VALUE) === true);
      assert.equal(shown.length, 1);
      assert.equal(shown[0]?.modal, true);
      assert.equal(shown[0].detail, SENTINEL_VALUE);
      assert.equal(h.vs.documents.length, 0, "no document holds it");
      assertNoSentinelShown(h);
    });

    it("setValue_passwordBoxCheckAndSet_newVersion", async () => {
      await admin.putSecret("edit/a", "S3NTINEL-old");
      h.vs.answers.inputBox.push("S3NTINEL-new");
      await h.run("lanonasis.setValue", await secretNode(h, "edit/a"));
      const box = h.vs.inputBoxes.at(-1)?.options ?? {};
      assert.equal(box["password"], true);
      assert.match(String(box["prompt"]), /still at version 1/);
      const read = await admin.readSecret("edit/a");
      assert.deepEqual([read.version, read.value], [2, "S3NTINEL-new"]);
      assert.deepEqual(h.errors(), []);
      assertNoSentinelShown(h);
    });

    it("setValue_someoneWroteMeanwhile_conflictSaidAndNothingWritten", async () => {
      await admin.putSecret("edit/b", "first");
      const node = await secretNode(h, "edit/b");
      h.vs.answers.inputBox.push(async () => {
        await admin.putSecret("edit/b", "theirs");
        return "S3NTINEL-mine";
      });
      await h.run("lanonasis.setValue", node);
      assert.match(h.errors()[0] ?? "", /^Version conflict: secret 'edit\/b' was changed by someone else \(it is now at version 2\)/);
      const read = await admin.readSecret("edit/b");
      assert.deepEqual([read.version, read.value], [2, "theirs"]);
      assertNoSentinelShown(h);
    });

    it("newSecret_createsVersionOne", async () => {
      h.vs.answers.inputBox.push("fresh/one", "S3NTINEL-fresh");
      await h.run("lanonasis.newSecret");
      assert.match(String(h.vs.inputBoxes.at(-1)?.options["prompt"]), /must not exist yet/);
      assert.equal((await admin.readSecret("fresh/one")).version, 1);
    });

    it("showHistory_versionsNewestFirst", async () => {
      await admin.putSecret("hist/h", "S3NTINEL-1");
      await admin.putSecret("hist/h", "S3NTINEL-2");
      await h.run("lanonasis.showHistory", await secretNode(h, "hist/h"));
      const pick = h.vs.quickPicks.at(-1);
      assert.equal(pick?.items.length, 2);
      assert.match(pick.items[0] ?? "", /^v2 /);
      assertNoSentinelShown(h);
    });

    it("delete_modalConfirmation_cancelKeepsConfirmDeletes", async () => {
      await admin.putSecret("del/d", "x");
      const node = await secretNode(h, "del/d");
      h.vs.answers.message.push(undefined);
      await h.run("lanonasis.delete", node);
      const confirm = h.vs.messages.at(-1);
      assert.equal(confirm?.modal, true);
      assert.deepEqual(confirm.items, ["Delete"]);
      assert.equal((await admin.readSecret("del/d")).version, 1);

      h.vs.answers.message.push("Delete");
      await h.run("lanonasis.delete", node);
      assert.equal(await admin.getSecret("del/d"), null);
      const isDel = (n: TreeNode) => n.kind === "folder" && n.label === "del";
      assert.ok(!(await childrenUntil(h, undefined, isDel)).some(isDel));
    });

    it("readOnlyKey_writeRefused_saysWhyWithoutTheValue", async () => {
      const ro = await createKey(server, "READ_ONLY");
      const r = await new Harness(server.url).activate();
      await r.signIn(ro.key);
      r.vs.answers.inputBox.push("S3NTINEL-ro");
      await r.run("lanonasis.setValue", await secretNode(r, "top"));
      assert.match(r.errors()[0] ?? "", /may not do that to 'top'/);
      assertNoSentinelShown(r);
      assert.ok(!r.vs.visibleText().some((t) => t.includes(ro.key)));
    });
  });

  describe("MCP registration", () => {
    it("provide_noKeyInTheDefinition_resolveAddsItFromSecretStorage", async () => {
      const h = await new Harness(server.url, { "lanonasis.cliPath": "/opt/bin/lanonasis" }).activate();
      let changes = 0;
      h.mcp.onDidChangeMcpServerDefinitions(() => { changes++; });
      await h.signIn(key.key);
      assert.ok(changes >= 1, "sign-in announces a change");

      const [definition] = h.mcp.provideMcpServerDefinitions();
      assert.ok(definition instanceof McpStdioServerDefinition);
      assert.equal(definition.command, "/opt/bin/lanonasis");
      assert.deepEqual(definition.args, ["mcp"]);
      assert.deepEqual(definition.env, { LANONASIS_URL: server.url });

      const resolved = await h.mcp.resolveMcpServerDefinition(definition);
      assert.deepEqual(resolved?.env, { LANONASIS_URL: server.url, LANONASIS_API_KEY: key.key });
      const copy = { label: "Lanonasis Secrets", command: "/opt/bin/lanonasis", args: ["mcp"], env: { LANONASIS_URL: server.url } };
      // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- the point: a plain copy, not our instance, as an editor may hand back
      const resolvedCopy = await h.mcp.resolveMcpServerDefinition(copy);
      assert.equal(resolvedCopy?.env["LANONASIS_API_KEY"], key.key, "a copy handed back by the editor gets the key too");

      const before = changes;
      await h.run("lanonasis.signOut");
      assert.ok(changes > before, "sign-out announces a change");
      const [again] = h.mcp.provideMcpServerDefinitions();
      assert.ok(again);
      h.vs.answers.message.push(undefined);
      assert.equal(await h.mcp.resolveMcpServerDefinition(again), undefined, "no key, no start");
      assert.ok(!JSON.stringify(again).includes("lns_"));
      h.assertOnlySecretStorageWritten();
    });

    it("provide_noServerUrl_nothingListed", async () => {
      const h = await new Harness("").activate();
      assert.deepEqual(h.mcp.provideMcpServerDefinitions(), []);
    });

    it("editorWithoutMcpApi_stillActivates", async () => {
      const h = new Harness(server.url);
      (h.vs as unknown as { lm: undefined }).lm = undefined;
      await h.activate();
      assert.ok(h.vs.outputLines.some((l) => /no MCP server provider API/.test(l)));
      assert.ok(h.vs.commandsById.has("lanonasis.showMcpConfig"));
    });

    for (const ide of ["Cursor", "Windsurf"]) {
      it(`showMcpConfig_picked${ide}_untitledJsonWithTheKeyReferenced`, async () => {
        const h = await new Harness(server.url).activate();
        await h.signIn(key.key);
        h.vs.answers.quickPick.push(ide);
        await h.run("lanonasis.showMcpConfig");
        const doc = h.vs.documents[0];
        assert.equal(doc?.language, "json");
        const parsed = JSON.parse(doc.content) as { mcpServers: { lanonasis: { env: Record<string, string> } } };
        assert.equal(parsed.mcpServers.lanonasis.env["LANONASIS_API_KEY"], "${env:LANONASIS_API_KEY}");
        assert.equal(parsed.mcpServers.lanonasis.env["LANONASIS_URL"], server.url);
        assert.ok(!doc.content.includes(key.key));
        assert.match(h.vs.messages.at(-1)?.message ?? "", ide === "Cursor" ? /\.cursor\/mcp\.json/ : /mcp_config\.json/);
      });
    }

    it("showMcpConfig_runningInCursor_noQuestionAsked", async () => {
      const h = new Harness(server.url);
      h.vs.env.appName = "Cursor";
      await h.activate();
      await h.run("lanonasis.showMcpConfig");
      assert.equal(h.vs.quickPicks.length, 0);
      assert.equal(h.vs.documents.length, 1);
      assert.match(h.vs.messages.at(-1)?.message ?? "", /\.cursor\/mcp\.json/);
    });

    it("showMcpConfig_pickDismissed_nothingShown", async () => {
      const h = await new Harness(server.url).activate();
      await h.run("lanonasis.showMcpConfig");
      assert.equal(h.vs.documents.length, 0);
    });
  });

  describe("settings changes", () => {
    it("changeServerUrl_statusAndMcpFollow", async () => {
      const h = await new Harness(server.url).activate();
      await h.signIn(key.key);
      let changes = 0;
      h.mcp.onDidChangeMcpServerDefinitions(() => { changes++; });
      h.vs.changeSettings({ "lanonasis.serverUrl": "https://elsewhere.example.com" });
      await new Promise((done) => setTimeout(done, 50));
      assert.ok(changes >= 1);
      assert.equal(h.mcp.provideMcpServerDefinitions()[0]?.env["LANONASIS_URL"], "https://elsewhere.example.com");
    });
  });

  describe("the sentinel", () => {
    it("sentinelValueAndKey_inNoLogLineOrErrorAcrossFlows", async () => {
      const sentinelKey = "lns_0000000000000abc_S3NTINEL-key-CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC";
      await admin.putSecret("sentinel/s", SENTINEL_VALUE);
      const h = await new Harness(server.url, { "lanonasis.clipboardClearSeconds": 1 }).activate();
      await h.signIn(sentinelKey);
      await h.signIn(key.key);
      const node = await secretNode(h, "sentinel/s");
      await h.run("lanonasis.copyValue", node);
      await h.timers.advance(1_000);
      h.vs.answers.inputBox.push(async () => {
        await admin.putSecret("sentinel/s", "other");
        return SENTINEL_VALUE + "-2";
      });
      await h.run("lanonasis.setValue", node);
      await h.run("lanonasis.showHistory", node);
      h.vs.answers.inputBox.push("sentinel/missing");
      await h.run("lanonasis.copyValue");
      h.vs.answers.quickPick.push("Cursor");
      await h.run("lanonasis.showMcpConfig");
      await h.mcp.resolveMcpServerDefinition(h.mcp.provideMcpServerDefinitions()[0] as McpStdioServerDefinition);
      await h.run("lanonasis.signOut");
      assert.ok(h.errors().length >= 3, `errors shown: ${h.errors().join(" | ")}`);
      for (const text of h.vs.visibleText()) {
        assert.ok(!text.includes("S3NTINEL"), `sentinel in: ${text}`);
        assert.ok(!text.includes(key.key), `key in: ${text}`);
      }
      assert.ok(!server.output().includes("S3NTINEL-value"), "nor in the server's own output");
    });
  });
});

function statusSignedOut(url: string): string {
  return `$(key) Lanonasis: ${new URL(url).host} (signed out)`;
}

function assertNoSentinelShown(h: Harness): void {
  for (const text of h.vs.visibleText()) {
    assert.ok(!text.includes("S3NTINEL"), `sentinel in: ${text}`);
  }
}
