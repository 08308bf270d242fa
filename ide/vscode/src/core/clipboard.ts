/** The part of the editor's clipboard the guard uses (`vscode.env.clipboard` fits). */
export interface Clipboard {
  readText(): PromiseLike<string>;
  writeText(text: string): PromiseLike<void>;
}

/** Timers, injected so tests drive time (Node's `setTimeout`/`clearTimeout` fit). */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

/**
 * Copies a value to the clipboard and clears it again after a delay — but only if the clipboard
 * still holds that value, so that whatever the user copied since is left alone.
 *
 * One pending clear at a time: a second copy replaces the first's timer (the first value is no
 * longer on the clipboard, unless it is the same value, which the new timer then clears).
 * `dispose()` clears the clipboard at once if it still holds the value, so closing the editor
 * does not leave a secret behind for the remaining seconds.
 */
export class ClipboardGuard {
  private pending: { value: string; handle: unknown } | undefined;

  constructor(
    private readonly clipboard: Clipboard,
    private readonly timers: Timers = systemTimers,
  ) {}

  /**
   * Writes `value` and schedules its removal after `clearAfterSeconds` (0: never). Answers when
   * the value is on the clipboard.
   */
  async copy(value: string, clearAfterSeconds: number): Promise<void> {
    this.cancel();
    await this.clipboard.writeText(value);
    if (clearAfterSeconds > 0) {
      const handle = this.timers.setTimeout(() => {
        void this.clearIfUnchanged();
      }, clearAfterSeconds * 1000);
      this.pending = { value, handle };
    }
  }

  /** True while a clear is scheduled. */
  get hasPendingClear(): boolean {
    return this.pending !== undefined;
  }

  /** Clears now (if unchanged) instead of waiting; used when the extension stops. */
  async dispose(): Promise<void> {
    if (this.pending !== undefined) {
      this.timers.clearTimeout(this.pending.handle);
      await this.clearIfUnchanged();
    }
  }

  private cancel(): void {
    if (this.pending !== undefined) {
      this.timers.clearTimeout(this.pending.handle);
      this.pending = undefined;
    }
  }

  private async clearIfUnchanged(): Promise<void> {
    const pending = this.pending;
    this.pending = undefined;
    if (pending === undefined) {
      return;
    }
    try {
      if ((await this.clipboard.readText()) === pending.value) {
        await this.clipboard.writeText("");
      }
    } catch {
      // A clipboard that cannot be read is left as it is: clearing blindly could wipe what the
      // user copied since.
    }
  }
}
