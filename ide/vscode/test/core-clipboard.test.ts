import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ClipboardGuard, type Clipboard } from "../src/core/clipboard";
import { ManualTimers } from "./support/fake-vscode";

class MemoryClipboard implements Clipboard {
  text = "";
  writes: string[] = [];
  readText(): Promise<string> { return Promise.resolve(this.text); }
  writeText(text: string): Promise<void> {
    this.text = text;
    this.writes.push(text);
    return Promise.resolve();
  }
}

describe("ClipboardGuard", () => {
  it("copy_unchangedAfterDelay_cleared", async () => {
    const clipboard = new MemoryClipboard();
    const timers = new ManualTimers();
    const guard = new ClipboardGuard(clipboard, timers);
    await guard.copy("S3NTINEL-value", 30);
    assert.equal(clipboard.text, "S3NTINEL-value");
    await timers.advance(29_999);
    assert.equal(clipboard.text, "S3NTINEL-value");
    await timers.advance(1);
    assert.equal(clipboard.text, "");
    assert.equal(guard.hasPendingClear, false);
  });

  it("copy_userCopiedSomethingElse_leftAlone", async () => {
    const clipboard = new MemoryClipboard();
    const timers = new ManualTimers();
    const guard = new ClipboardGuard(clipboard, timers);
    await guard.copy("S3NTINEL-value", 5);
    clipboard.text = "what the user copied since";
    await timers.advance(5_000);
    assert.equal(clipboard.text, "what the user copied since");
    assert.deepEqual(clipboard.writes, ["S3NTINEL-value"]);
  });

  it("copy_zeroSeconds_neverCleared", async () => {
    const clipboard = new MemoryClipboard();
    const timers = new ManualTimers();
    await new ClipboardGuard(clipboard, timers).copy("v", 0);
    assert.equal(timers.pending, 0);
    await timers.advance(3_600_000);
    assert.equal(clipboard.text, "v");
  });

  it("copy_secondCopy_replacesFirstTimer", async () => {
    const clipboard = new MemoryClipboard();
    const timers = new ManualTimers();
    const guard = new ClipboardGuard(clipboard, timers);
    await guard.copy("first", 10);
    await timers.advance(5_000);
    await guard.copy("second", 10);
    assert.equal(timers.pending, 1);
    await timers.advance(5_000);
    assert.equal(clipboard.text, "second");
    await timers.advance(5_000);
    assert.equal(clipboard.text, "");
  });

  it("dispose_pendingAndUnchanged_clearsAtOnce", async () => {
    const clipboard = new MemoryClipboard();
    const timers = new ManualTimers();
    const guard = new ClipboardGuard(clipboard, timers);
    await guard.copy("v", 30);
    await guard.dispose();
    assert.equal(clipboard.text, "");
    assert.equal(timers.pending, 0);
  });

  it("copy_clipboardUnreadable_notClearedBlindly", async () => {
    const clipboard = new MemoryClipboard();
    clipboard.readText = () => Promise.reject(new Error("no clipboard"));
    const timers = new ManualTimers();
    await new ClipboardGuard(clipboard, timers).copy("v", 1);
    await timers.advance(1_000);
    assert.equal(clipboard.text, "v");
  });

  it("copy_realTimers_clearedAfterTheDelay", async () => {
    const clipboard = new MemoryClipboard();
    const guard = new ClipboardGuard(clipboard);
    await guard.copy("v", 0.05);
    await new Promise((done) => setTimeout(done, 150));
    assert.equal(clipboard.text, "");
  });
});
