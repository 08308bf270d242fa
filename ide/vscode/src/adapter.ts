import type * as vscode from "vscode";
import type { SecretManagerClient } from "@lanonasis/secrets-client";
import { createClient, looksLikeApiKey, verifyApiKey } from "./core/client";
import { ClipboardGuard, systemTimers, type Timers } from "./core/clipboard";
import { describeError } from "./core/messages";
import { envWithApiKey, MCP_CONFIG_LOCATION, mcpStdioDefinition, otherIdeMcpConfig, type OtherIde } from "./core/mcp";
import { historyLines, nameProblem, SecretOperations, statusText } from "./core/secrets";
import { readSettings, type Settings } from "./core/settings";
import { SecretTreeModel, type LoadMoreNode, type SecretNode, type TreeNode } from "./core/tree";

/**
 * The editor's API as this adapter uses it. `extension.ts` passes the real `vscode` module; the
 * tests pass a small hand-written fake. Only types are imported from `vscode` here, so nothing
 * but `extension.ts` loads it at run time.
 */
export type VscodeApi = typeof vscode;

/** The one entry of SecretStorage the extension uses; the API key lives there and nowhere else. */
export const API_KEY_SECRET = "lanonasis.apiKey";
export const VIEW_ID = "lanonasis.secrets";
export const MCP_PROVIDER_ID = "lanonasis.mcp";

/** What `activateWith` hands back: for `deactivate`, and for tests to reach the running parts. */
export interface ActiveExtension {
  readonly tree: vscode.TreeDataProvider<TreeNode>;
  readonly clipboard: ClipboardGuard;
  /** Resolves when the start-up check of a stored key (whoami) is done. */
  readonly ready: Promise<void>;
  dispose(): Promise<void>;
}

export function activateWith(vs: VscodeApi, context: vscode.ExtensionContext, timers: Timers = systemTimers): ActiveExtension {
  const log = vs.window.createOutputChannel("Lanonasis Secrets");
  const clipboard = new ClipboardGuard(vs.env.clipboard, timers);
  const treeChanged = new vs.EventEmitter<TreeNode | undefined>();
  const mcpChanged = new vs.EventEmitter<void>();
  const status = vs.window.createStatusBarItem(vs.StatusBarAlignment.Left, 0);
  let keyId: string | undefined;
  let model: { readonly identity: string; readonly model: SecretTreeModel } | undefined;
  context.subscriptions.push(log, treeChanged, mcpChanged, status);

  const settings = (): Settings => {
    const section = vs.workspace.getConfiguration("lanonasis");
    return readSettings((name) => section.get(name));
  };
  const storedKey = async (): Promise<string | undefined> => (await context.secrets.get(API_KEY_SECRET)) || undefined;
  const client = async (): Promise<SecretManagerClient> => createClient(settings(), await storedKey());
  const operations = async (): Promise<SecretOperations> => new SecretOperations(await client());

  const fail = (error: unknown, name?: string): void => {
    const message = describeError(error, name);
    log.appendLine(`error: ${message}`);
    void vs.window.showErrorMessage(message);
  };

  const refreshStatus = (): void => {
    const s = settings();
    status.text = statusText(s.serverUrl, keyId);
    status.tooltip = keyId === undefined
      ? "Lanonasis Secrets: not signed in. Click to sign in with an API key."
      : `Lanonasis Secrets: signed in to ${s.serverUrl} with key ${keyId} (the key itself is in the editor's secret storage).`;
    status.command = keyId === undefined ? "lanonasis.signIn" : "lanonasis.refresh";
    status.show();
  };

  /** Forgets the listed pages; the view asks again. */
  const invalidateTree = (): void => {
    model = undefined;
    treeChanged.fire(undefined);
  };

  /**
   * Records who is signed in. The view and the MCP definitions are told only when that changed,
   * since SecretStorage's change event also follows our own writes.
   */
  const setSignedIn = async (id: string | undefined): Promise<void> => {
    const changed = id !== keyId;
    keyId = id;
    await vs.commands.executeCommand("setContext", "lanonasis.signedIn", id !== undefined);
    refreshStatus();
    if (changed) {
      invalidateTree();
      mcpChanged.fire();
    }
  };

  /** Who the stored key is, asked of the server; the key itself stays where it is. */
  const checkStoredKey = async (): Promise<void> => {
    const key = await storedKey();
    if (key === undefined) {
      await setSignedIn(undefined);
      return;
    }
    try {
      const who = await (await client()).whoami();
      await setSignedIn(who.keyId);
    } catch (error) {
      log.appendLine(`stored API key not usable: ${describeError(error)}`);
      await setSignedIn(undefined);
    }
  };

  const signIn = async (): Promise<void> => {
    const s = settings();
    if (s.serverUrl === "") {
      const open = await vs.window.showWarningMessage("Set lanonasis.serverUrl to your Lanonasis server first.", "Open Settings");
      if (open === "Open Settings") {
        await vs.commands.executeCommand("workbench.action.openSettings", "lanonasis.serverUrl");
      }
      return;
    }
    const typed = await vs.window.showInputBox({
      title: `Sign in to ${s.serverUrl}`,
      prompt: "Lanonasis API key. It is kept only in the editor's secret storage.",
      placeHolder: "lns_…",
      password: true,
      ignoreFocusOut: true,
      validateInput: (text) => (text === "" || looksLikeApiKey(text) ? undefined : "An API key looks like lns_<id>_<secret>."),
    });
    if (typed === undefined || typed.trim() === "") {
      return;
    }
    const key = typed.trim();
    try {
      const who = await verifyApiKey(s, key);
      await context.secrets.store(API_KEY_SECRET, key);
      log.appendLine(`signed in to ${s.serverUrl} as key ${who.keyId} (tenant ${who.tenant}, role ${who.role}${who.prefix === "" ? "" : `, prefix ${who.prefix}`})`);
      await setSignedIn(who.keyId);
      void vs.window.showInformationMessage(`Lanonasis: signed in as key ${who.keyId} (${who.role}).`);
    } catch (error) {
      fail(error);
    }
  };

  const signOut = async (): Promise<void> => {
    await context.secrets.delete(API_KEY_SECRET);
    await clipboard.dispose();
    log.appendLine("signed out: the API key was removed from the editor's secret storage");
    await setSignedIn(undefined);
    void vs.window.showInformationMessage("Lanonasis: signed out.");
  };

  const askName = async (title: string): Promise<string | undefined> => {
    const name = await vs.window.showInputBox({
      title,
      prompt: "Secret name",
      placeHolder: "prod/db/password",
      value: settings().defaultPrefix,
      ignoreFocusOut: true,
      validateInput: (text) => nameProblem(text.trim()),
    });
    return name === undefined ? undefined : name.trim();
  };
  /** The secret a command acts on: the tree's node, or a name asked for once signed in. */
  const nameOf = async (node: unknown, title: string): Promise<string | undefined> => {
    try {
      await client();
    } catch (error) {
      fail(error);
      return undefined;
    }
    return isSecretNode(node) ? node.key : askName(title);
  };

  const copyValue = async (node?: unknown): Promise<void> => {
    const key = await nameOf(node, "Copy the value of");
    if (key === undefined) {
      return;
    }
    try {
      const secret = await (await operations()).read(key);
      const seconds = settings().clipboardClearSeconds;
      await clipboard.copy(secret.value, seconds);
      const when = seconds > 0 ? `; the clipboard is cleared in ${seconds} s if it still holds it` : "";
      log.appendLine(`copied the value of ${key} (version ${secret.version})${when}`);
      void vs.window.showInformationMessage(`Copied the value of ${key} (version ${secret.version})${when}.`);
    } catch (error) {
      fail(error, key);
    }
  };

  const reveal = async (node?: unknown): Promise<void> => {
    const key = await nameOf(node, "Reveal the value of");
    if (key === undefined) {
      return;
    }
    try {
      const secret = await (await operations()).read(key);
      log.appendLine(`revealed the value of ${key} (version ${secret.version})`);
      // A modal dialog: it shows the value until dismissed and keeps it nowhere afterwards. An
      // untitled document would be written to disk by hot exit's backups and stay in the editor's
      // history; a non-modal notification lingers in the notification centre.
      await vs.window.showInformationMessage(`${key} (version ${secret.version})`, {
        modal: true,
        detail: secret.value,
      });
    } catch (error) {
      fail(error, key);
    }
  };

  const writeValue = async (key: string): Promise<void> => {
    try {
      const ops = await operations();
      const expected = await ops.currentVersion(key);
      const value = await vs.window.showInputBox({
        title: expected === 0 ? `New secret ${key}` : `New version of ${key}`,
        prompt: expected === 0 ? "The value (it must not exist yet)." : `The value of version ${expected + 1}; written only if ${key} is still at version ${expected}.`,
        password: true,
        ignoreFocusOut: true,
        validateInput: (text) => (text === "" ? "Type a value (an empty value can be written with the CLI)." : undefined),
      });
      if (value === undefined || value === "") {
        return;
      }
      const written = await ops.write(key, value, expected);
      log.appendLine(`wrote version ${written.version} of ${key}`);
      invalidateTree();
      void vs.window.showInformationMessage(`Wrote version ${written.version} of ${key}.`);
    } catch (error) {
      fail(error, key);
    }
  };

  const setValue = async (node?: unknown): Promise<void> => {
    const key = await nameOf(node, "Set a new version of");
    if (key !== undefined) {
      await writeValue(key);
    }
  };

  const newSecret = async (): Promise<void> => {
    const key = await nameOf(undefined, "New secret");
    if (key !== undefined) {
      await writeValue(key);
    }
  };

  const showHistory = async (node?: unknown): Promise<void> => {
    const key = await nameOf(node, "Show the versions of");
    if (key === undefined) {
      return;
    }
    try {
      const versions = await (await operations()).history(key);
      await vs.window.showQuickPick(historyLines(versions), { title: `Versions of ${key} (newest first)`, canPickMany: false });
    } catch (error) {
      fail(error, key);
    }
  };

  const deleteSecret = async (node?: unknown): Promise<void> => {
    const key = await nameOf(node, "Delete");
    if (key === undefined) {
      return;
    }
    const answer = await vs.window.showWarningMessage(
      `Delete ${key}?`,
      { modal: true, detail: "A soft delete: the secret disappears from reads and listings until an administrator restores it." },
      "Delete",
    );
    if (answer !== "Delete") {
      return;
    }
    try {
      await (await operations()).delete(key);
      log.appendLine(`deleted ${key}`);
      invalidateTree();
      void vs.window.showInformationMessage(`Deleted ${key}.`);
    } catch (error) {
      fail(error, key);
    }
  };

  const currentModel = async (): Promise<SecretTreeModel> => {
    const s = settings();
    // Pages listed for one server, root and key are not shown for another.
    const identity = `${s.serverUrl}\u0000${s.defaultPrefix}\u0000${keyId ?? ""}`;
    if (model === undefined || model.identity !== identity) {
      const c = await client();
      model = { identity, model: new SecretTreeModel((options) => c.listSecrets(options), s.defaultPrefix) };
    }
    return model.model;
  };

  const loadMore = async (node?: unknown): Promise<void> => {
    if (!isLoadMoreNode(node) || model === undefined) {
      return;
    }
    try {
      await model.model.loadMore(node);
      // The whole view, not the folder: the folder object the editor holds may come from an
      // earlier model, and a refresh is cheap since every expanded folder's pages are kept.
      treeChanged.fire(undefined);
    } catch (error) {
      fail(error);
    }
  };

  /** The editor it runs in when that is Cursor or Windsurf, else the user's pick. */
  const whichIde = async (): Promise<OtherIde | undefined> => {
    // The type says string; an editor built on VS Code may still leave it unset.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
    const app = (vs.env.appName ?? "").toLowerCase();
    if (app.includes("cursor")) {
      return "cursor";
    }
    if (app.includes("windsurf")) {
      return "windsurf";
    }
    const picked = await vs.window.showQuickPick(["Cursor", "Windsurf"], { title: "MCP configuration for which editor?" });
    return picked === "Cursor" ? "cursor" : picked === "Windsurf" ? "windsurf" : undefined;
  };

  const showOtherIdeConfig = async (): Promise<void> => {
    const ide = await whichIde();
    if (ide === undefined) {
      return;
    }
    const document = await vs.workspace.openTextDocument({ language: "json", content: otherIdeMcpConfig(settings()) + "\n" });
    await vs.window.showTextDocument(document, { preview: true });
    void vs.window.showInformationMessage(
      `Save this as ${MCP_CONFIG_LOCATION[ide]}. Set LANONASIS_API_KEY in the environment ${ide === "cursor" ? "Cursor" : "Windsurf"} starts from; the file only refers to it.`,
    );
  };

  const tree: vscode.TreeDataProvider<TreeNode> = {
    onDidChangeTreeData: treeChanged.event,
    getTreeItem: (node) => treeItem(vs, node),
    getChildren: async (node) => {
      if (keyId === undefined || settings().serverUrl === "") {
        return [];
      }
      if (node !== undefined && node.kind !== "folder") {
        return [];
      }
      try {
        return [...await (await currentModel()).children(node)];
      } catch (error) {
        fail(error);
        return [];
      }
    },
  };
  context.subscriptions.push(vs.window.registerTreeDataProvider(VIEW_ID, tree));

  const register = (id: string, run: (...args: unknown[]) => Promise<void>): void => {
    context.subscriptions.push(vs.commands.registerCommand(id, run));
  };
  register("lanonasis.signIn", signIn);
  register("lanonasis.signOut", signOut);
  register("lanonasis.refresh", async () => {
    invalidateTree();
    await checkStoredKey();
  });
  register("lanonasis.newSecret", newSecret);
  register("lanonasis.copyValue", copyValue);
  register("lanonasis.reveal", reveal);
  register("lanonasis.setValue", setValue);
  register("lanonasis.showHistory", showHistory);
  register("lanonasis.delete", deleteSecret);
  register("lanonasis.loadMore", loadMore);
  register("lanonasis.showMcpConfig", showOtherIdeConfig);

  // Cursor and Windsurf load VS Code extensions but may lack this API; they get the snippet commands.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the types are VS Code's; Cursor and Windsurf may have no `lm` at all
  if (typeof vs.lm?.registerMcpServerDefinitionProvider === "function") {
    context.subscriptions.push(vs.lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, {
      onDidChangeMcpServerDefinitions: mcpChanged.event,
      provideMcpServerDefinitions: () => {
        const s = settings();
        if (s.serverUrl === "") {
          return [];
        }
        const data = mcpStdioDefinition(s);
        return [new vs.McpStdioServerDefinition(data.label, data.command, [...data.args], { ...data.env }, data.version)];
      },
      resolveMcpServerDefinition: async (definition) => {
        const key = await storedKey();
        if (key === undefined) {
          const answer = await vs.window.showWarningMessage("Lanonasis: sign in with an API key before starting the MCP server.", "Sign in");
          if (answer === "Sign in") {
            await vs.commands.executeCommand("lanonasis.signIn");
          }
          return undefined;
        }
        // Read from SecretStorage now, as the editor starts the process, and handed only to it.
        // Checked by shape: the editor may hand back a copy rather than our own object.
        if ("command" in definition && typeof definition.command === "string") {
          const stdio = definition;
          stdio.env = envWithApiKey(stdio.env, key);
        }
        return definition;
      },
    }));
  } else {
    log.appendLine("this editor has no MCP server provider API: use 'Lanonasis: Show MCP configuration for Cursor/Windsurf'");
  }

  context.subscriptions.push(vs.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration("lanonasis")) {
      invalidateTree();
      mcpChanged.fire();
      void checkStoredKey();
    }
  }));
  context.subscriptions.push(context.secrets.onDidChange((event) => {
    if (event.key === API_KEY_SECRET) {
      void checkStoredKey();
    }
  }));

  refreshStatus();
  const ready = checkStoredKey();
  return {
    tree,
    clipboard,
    ready,
    dispose: () => clipboard.dispose(),
  };
}

function treeItem(vs: VscodeApi, node: TreeNode): vscode.TreeItem {
  switch (node.kind) {
    case "folder": {
      const item = new vs.TreeItem(node.label, vs.TreeItemCollapsibleState.Collapsed);
      item.id = `folder:${node.prefix}`;
      item.contextValue = "lanonasis.folder";
      item.iconPath = new vs.ThemeIcon("folder");
      item.tooltip = node.prefix;
      return item;
    }
    case "secret": {
      const item = new vs.TreeItem(node.label, vs.TreeItemCollapsibleState.None);
      item.id = `secret:${node.key}`;
      item.contextValue = "lanonasis.secret";
      item.iconPath = new vs.ThemeIcon("key");
      item.description = `v${node.version}`;
      item.tooltip = `${node.key}\nversion ${node.version}, updated ${node.updatedAt}${node.description === undefined ? "" : `\n${node.description}`}`;
      return item;
    }
    case "more": {
      const item = new vs.TreeItem("Load more…", vs.TreeItemCollapsibleState.None);
      item.id = `more:${node.parentPrefix}`;
      item.contextValue = "lanonasis.more";
      item.command = { command: "lanonasis.loadMore", title: "Load more", arguments: [node] };
      return item;
    }
  }
}

function isSecretNode(value: unknown): value is SecretNode {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "secret"
    && typeof (value as { key?: unknown }).key === "string";
}

function isLoadMoreNode(value: unknown): value is LoadMoreNode {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "more";
}
