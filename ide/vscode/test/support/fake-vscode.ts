/* eslint-disable @typescript-eslint/require-await -- the fake's methods are async as the editor's are
   (they answer with a Thenable later): a throw inside one must reach the adapter as a rejection. */
/**
 * A small hand-written stand-in for the parts of the `vscode` API the adapter uses, with an
 * in-memory SecretStorage and a record of everything the extension showed, logged or stored.
 * Dialogs are answered from queues the test fills (`answers`); an empty queue answers undefined,
 * as a dismissed dialog does.
 */
import type { Timers } from "../../src/core/clipboard";

type Listener<T> = (event: T) => unknown;

export class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  readonly fired: T[] = [];
  readonly event = (listener: Listener<T>): { dispose(): void } => {
    this.listeners.push(listener);
    return { dispose: () => { this.listeners = this.listeners.filter((l) => l !== listener); } };
  };
  fire(event: T): void {
    this.fired.push(event);
    for (const listener of [...this.listeners]) {
      listener(event);
    }
  }
  dispose(): void {
    this.listeners = [];
  }
}

export class TreeItem {
  id?: string;
  description?: string;
  tooltip?: string;
  contextValue?: string;
  iconPath?: unknown;
  command?: { command: string; title: string; arguments?: unknown[] };
  constructor(readonly label: string, readonly collapsibleState: number) {}
}

export class ThemeIcon {
  constructor(readonly id: string) {}
}

export class McpStdioServerDefinition {
  constructor(
    readonly label: string,
    public command: string,
    public args: string[],
    public env: Record<string, string | number | null> = {},
    readonly version?: string,
  ) {}
}

export interface ShownMessage {
  readonly level: "info" | "warning" | "error";
  readonly message: string;
  readonly modal: boolean;
  readonly detail?: string;
  readonly items: readonly string[];
}

export interface InputBoxCall {
  readonly options: Record<string, unknown>;
}

/** One shown input box's answer: a string, undefined (dismissed), or a function run then. */
export type InputAnswer = string | undefined | ((options: Record<string, unknown>) => Promise<string | undefined> | string | undefined);

class Memento {
  readonly updates: [string, unknown][] = [];
  private readonly values = new Map<string, unknown>();
  keys(): readonly string[] { return [...this.values.keys()]; }
  get<T>(key: string, fallback?: T): T | undefined { return (this.values.has(key) ? this.values.get(key) : fallback) as T | undefined; }
  update(key: string, value: unknown): Promise<void> {
    this.updates.push([key, value]);
    this.values.set(key, value);
    return Promise.resolve();
  }
  setKeysForSync(): void {}
}

export class FakeSecretStorage {
  readonly values = new Map<string, string>();
  private readonly changed = new EventEmitter<{ key: string }>();
  readonly onDidChange = this.changed.event;
  get(key: string): Promise<string | undefined> { return Promise.resolve(this.values.get(key)); }
  keys(): Promise<string[]> { return Promise.resolve([...this.values.keys()]); }
  store(key: string, value: string): Promise<void> {
    this.values.set(key, value);
    this.changed.fire({ key });
    return Promise.resolve();
  }
  delete(key: string): Promise<void> {
    this.values.delete(key);
    this.changed.fire({ key });
    return Promise.resolve();
  }
}

/** Timers the test advances by hand. */
export class ManualTimers implements Timers {
  private now = 0;
  private nextId = 1;
  private readonly scheduled = new Map<number, { at: number; callback: () => void }>();
  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.scheduled.set(id, { at: this.now + ms, callback });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.scheduled.delete(handle as number);
  }
  get pending(): number {
    return this.scheduled.size;
  }
  /** Moves time on and runs what fell due, then lets their promises settle. */
  async advance(ms: number): Promise<void> {
    this.now += ms;
    for (const [id, entry] of [...this.scheduled].sort((a, b) => a[1].at - b[1].at)) {
      if (entry.at <= this.now) {
        this.scheduled.delete(id);
        entry.callback();
      }
    }
    await new Promise((done) => setImmediate(done));
    await new Promise((done) => setImmediate(done));
  }
}

export class FakeVscode {
  // What the extension did, for assertions.
  readonly outputLines: string[] = [];
  readonly messages: ShownMessage[] = [];
  readonly inputBoxes: InputBoxCall[] = [];
  readonly quickPicks: { items: string[]; options: Record<string, unknown> }[] = [];
  readonly documents: { language?: string; content: string }[] = [];
  readonly executed: unknown[][] = [];
  readonly settingsWrites: unknown[][] = [];
  readonly treeProviders = new Map<string, unknown>();
  readonly mcpProviders = new Map<string, {
    onDidChangeMcpServerDefinitions?: (listener: () => void) => unknown;
    provideMcpServerDefinitions(): unknown;
    resolveMcpServerDefinition?(definition: unknown): unknown;
  }>();
  readonly statusItems: { text: string; tooltip: string | undefined; command: string | undefined; visible: boolean }[] = [];
  readonly commandsById = new Map<string, (...args: unknown[]) => unknown>();
  clipboardText = "";

  // What the test answers.
  readonly answers = { inputBox: [] as InputAnswer[], message: [] as (string | undefined)[], quickPick: [] as (string | undefined)[] };
  settings: Record<string, unknown> = {};
  private readonly configurationChanged = new EventEmitter<{ affectsConfiguration(section: string): boolean }>();

  readonly EventEmitter = EventEmitter;
  readonly TreeItem = TreeItem;
  readonly ThemeIcon = ThemeIcon;
  readonly McpStdioServerDefinition = McpStdioServerDefinition;
  readonly TreeItemCollapsibleState = { None: 0, Collapsed: 1, Expanded: 2 };
  readonly StatusBarAlignment = { Left: 1, Right: 2 };

  readonly env = {
    appName: "Visual Studio Code",
    clipboard: {
      readText: (): Promise<string> => Promise.resolve(this.clipboardText),
      writeText: (text: string): Promise<void> => {
        this.clipboardText = text;
        return Promise.resolve();
      },
    },
  };

  readonly commands = {
    registerCommand: (id: string, run: (...args: unknown[]) => unknown) => {
      this.commandsById.set(id, run);
      return { dispose: () => this.commandsById.delete(id) };
    },
    executeCommand: async (id: string, ...args: unknown[]): Promise<unknown> => {
      this.executed.push([id, ...args]);
      const run = this.commandsById.get(id);
      return run === undefined ? undefined : run(...args);
    },
  };

  readonly window = {
    createOutputChannel: (name: string) => ({
      name,
      append: (text: string) => { this.outputLines.push(text); },
      appendLine: (text: string) => { this.outputLines.push(text); },
      show: () => undefined,
      clear: () => undefined,
      dispose: () => undefined,
    }),
    createStatusBarItem: () => {
      const item = { text: "", tooltip: undefined as string | undefined, command: undefined as string | undefined, visible: false,
        show() { item.visible = true; }, hide() { item.visible = false; }, dispose() { item.visible = false; } };
      this.statusItems.push(item);
      return item;
    },
    showInputBox: async (options: Record<string, unknown>): Promise<string | undefined> => {
      this.inputBoxes.push({ options });
      const answer = this.answers.inputBox.shift();
      const value = typeof answer === "function" ? await answer(options) : answer;
      const validate = options["validateInput"] as ((text: string) => unknown) | undefined;
      if (value !== undefined && validate !== undefined && (await validate(value)) !== undefined) {
        throw new Error(`the test typed input the box would not accept (${String(options["title"])})`);
      }
      return value;
    },
    showInformationMessage: (message: string, ...rest: unknown[]) => this.show("info", message, rest),
    showWarningMessage: (message: string, ...rest: unknown[]) => this.show("warning", message, rest),
    showErrorMessage: (message: string, ...rest: unknown[]) => this.show("error", message, rest),
    showQuickPick: async (items: string[], options: Record<string, unknown>): Promise<string | undefined> => {
      this.quickPicks.push({ items: [...items], options });
      return this.answers.quickPick.shift();
    },
    registerTreeDataProvider: (id: string, provider: unknown) => {
      this.treeProviders.set(id, provider);
      return { dispose: () => this.treeProviders.delete(id) };
    },
    showTextDocument: async (document: unknown) => document,
  };

  readonly workspace = {
    getConfiguration: (section: string) => ({
      get: (name: string): unknown => this.settings[`${section}.${name}`],
      update: (name: string, value: unknown): Promise<void> => {
        this.settingsWrites.push([`${section}.${name}`, value]);
        return Promise.resolve();
      },
    }),
    onDidChangeConfiguration: this.configurationChanged.event,
    openTextDocument: async (options: { language?: string; content: string }) => {
      this.documents.push(options);
      return { uri: `untitled:${this.documents.length}`, getText: () => options.content, isUntitled: true };
    },
  };

  readonly lm = {
    registerMcpServerDefinitionProvider: (id: string, provider: FakeVscode["mcpProviders"] extends Map<string, infer P> ? P : never) => {
      this.mcpProviders.set(id, provider);
      return { dispose: () => this.mcpProviders.delete(id) };
    },
  };

  /** Changes settings as the user would, and tells the extension. */
  changeSettings(values: Record<string, unknown>): void {
    Object.assign(this.settings, values);
    this.configurationChanged.fire({ affectsConfiguration: (section) => Object.keys(values).some((k) => k === section || k.startsWith(section + ".")) });
  }

  /** Every text the extension put in front of the user or into a log, except dialog details. */
  visibleText(): string[] {
    return [
      ...this.outputLines,
      ...this.messages.flatMap((m) => [m.message, ...m.items]),
      ...this.statusItems.flatMap((s) => [s.text, s.tooltip ?? ""]),
      ...this.inputBoxes.flatMap((b) => [shownText(b.options["title"]), shownText(b.options["prompt"]), shownText(b.options["value"])]),
      ...this.quickPicks.flatMap((q) => [...q.items, shownText(q.options["title"])]),
      ...this.documents.map((d) => d.content),
    ];
  }

  private async show(level: ShownMessage["level"], message: string, rest: unknown[]): Promise<string | undefined> {
    let modal = false;
    let detail: string | undefined;
    const items: string[] = [];
    for (const part of rest) {
      if (typeof part === "string") {
        items.push(part);
      } else if (typeof part === "object" && part !== null) {
        modal = (part as { modal?: boolean }).modal === true;
        detail = (part as { detail?: string }).detail;
      }
    }
    this.messages.push({ level, message, modal, items, ...(detail === undefined ? {} : { detail }) });
    // Non-modal notifications are not awaited by the adapter; answering them would take an answer
    // meant for a later dialog, so only dialogs that offer a choice consume the queue.
    return items.length > 0 ? this.answers.message.shift() : undefined;
  }
}

/** An option as the user would see it: a string as it is, anything else as JSON, nothing as "". */
function shownText(option: unknown): string {
  return typeof option === "string" ? option : option === undefined ? "" : JSON.stringify(option);
}

export function fakeContext() {
  const subscriptions: { dispose(): unknown }[] = [];
  return {
    subscriptions,
    secrets: new FakeSecretStorage(),
    globalState: new Memento(),
    workspaceState: new Memento(),
  };
}
