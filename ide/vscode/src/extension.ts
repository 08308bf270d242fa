import * as vscode from "vscode";
import { activateWith, type ActiveExtension } from "./adapter";

let active: ActiveExtension | undefined;

export function activate(context: vscode.ExtensionContext): void {
  active = activateWith(vscode, context);
}

export async function deactivate(): Promise<void> {
  // Clears the clipboard now if it still holds a value copied less than clearAfterSeconds ago.
  await active?.dispose();
  active = undefined;
}
