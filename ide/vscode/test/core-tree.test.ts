import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SecretManagerClient, type ListOptions } from "@lanonasis/secrets-client";
import { SecretTreeModel, type FolderNode, type LoadMoreNode, type TreeNode } from "../src/core/tree";
import { startServer, type RunningServer } from "./support/server";

const NAMES = ["app/api/token", "app/db/password", "app/db/user", "app/z", "b", "c/d", "prod/x", "production/y", "zz"];

function labels(nodes: readonly TreeNode[]): string[] {
  return nodes.map((n) => (n.kind === "folder" ? `${n.label}/` : n.kind === "secret" ? `${n.label}@${n.version}` : "…more"));
}

async function expandAll(model: SecretTreeModel, parent?: FolderNode): Promise<string[]> {
  let nodes = await model.children(parent);
  while (nodes.at(-1)?.kind === "more") {
    await model.loadMore(nodes.at(-1) as LoadMoreNode);
    nodes = await model.children(parent);
  }
  const out: string[] = [];
  for (const node of nodes) {
    if (node.kind === "folder") {
      out.push(...await expandAll(model, node));
    } else if (node.kind === "secret") {
      out.push(node.key);
    }
  }
  return out;
}

describe("SecretTreeModel against the real server", () => {
  let server: RunningServer;
  let client: SecretManagerClient;
  const calls: ListOptions[] = [];
  const list = (options: { prefix: string; limit: number; cursor?: string }) => {
    calls.push(options);
    return client.listSecrets(options);
  };
  before(async () => {
    server = await startServer();
    client = new SecretManagerClient({ apiUrl: server.url, apiKey: server.adminKey });
    for (const name of NAMES) {
      await client.putSecret(name, `S3NTINEL-${name}`);
    }
    await client.putSecret("app/z", "S3NTINEL-second");
  });
  after(async () => server.stop());

  it("children_root_groupsBySegmentFoldersFirst", async () => {
    const model = new SecretTreeModel(list, "");
    assert.deepEqual(labels(await model.children()), ["app/", "c/", "prod/", "production/", "b@1", "zz@1"]);
  });

  it("children_folder_listsItsPrefixOnly", async () => {
    const model = new SecretTreeModel(list, "");
    const app = (await model.children()).find((n) => n.kind === "folder" && n.label === "app") as FolderNode;
    assert.deepEqual(labels(await model.children(app)), ["api/", "db/", "z@2"]);
    const prod = (await model.children()).find((n) => n.kind === "folder" && n.label === "prod") as FolderNode;
    assert.deepEqual(labels(await model.children(prod)), ["x@1"], "prod/ must not show production/y");
  });

  it("children_secondCall_servedWithoutAnotherRequest", async () => {
    const model = new SecretTreeModel(list, "");
    const before = calls.length;
    await Promise.all([model.children(), model.children()]);
    await model.children();
    assert.equal(calls.length - before, 1);
  });

  it("children_smallPages_loadMoreUntilEveryNameSeenOnce", async () => {
    const model = new SecretTreeModel(list, "", 2);
    const first = await model.children();
    assert.equal(first.at(-1)?.kind, "more");
    assert.deepEqual(labels(first), ["app/", "…more"], "the first page holds two app/ names: one folder");
    const all = await expandAll(model);
    assert.deepEqual(all, [...NAMES].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1)));
    assert.equal(new Set(all).size, NAMES.length);
  });

  it("loadMore_inFolder_extendsThatFolderOnly", async () => {
    const model = new SecretTreeModel(list, "", 1);
    const root = await model.children();
    const app = root.find((n) => n.kind === "folder") as FolderNode;
    const inApp = await model.children(app);
    assert.deepEqual(labels(inApp), ["api/", "…more"]);
    await model.loadMore(inApp.at(-1) as LoadMoreNode);
    assert.deepEqual(labels(await model.children(app)), ["api/", "db/", "…more"]);
    assert.deepEqual(labels(await model.children()), labels(root));
  });

  it("children_rootPrefix_treeStartsThere", async () => {
    const model = new SecretTreeModel(list, "app/");
    assert.deepEqual(labels(await model.children()), ["api/", "db/", "z@2"]);
  });

  it("clear_afterWrite_listsAfresh", async () => {
    const model = new SecretTreeModel(list, "c/");
    assert.deepEqual(labels(await model.children()), ["d@1"]);
    await client.putSecret("c/e", "S3NTINEL-e");
    assert.deepEqual(labels(await model.children()), ["d@1"]);
    model.clear();
    assert.deepEqual(labels(await model.children()), ["d@1", "e@1"]);
  });

  it("nodes_neverHoldValues", async () => {
    const model = new SecretTreeModel(list, "");
    const all: TreeNode[] = [];
    const walk = async (parent?: FolderNode): Promise<void> => {
      for (const node of await model.children(parent)) {
        all.push(node);
        if (node.kind === "folder") {
          await walk(node);
        }
      }
    };
    await walk();
    assert.ok(all.length > NAMES.length);
    assert.ok(!JSON.stringify(all).includes("S3NTINEL"));
  });

  it("constructor_badPageSize_rangeError", () => {
    assert.throws(() => new SecretTreeModel(list, "", 0), /page size out of range 1..1000: 0/);
  });
});

/** The order expandAll yields: folders first at every level, then names. */
function sortKey(name: string): string {
  const parts = name.split("/");
  return parts.map((p, i) => (i < parts.length - 1 ? "0" : "1") + p).join("/");
}
