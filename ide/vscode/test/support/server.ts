// The real Lanonasis server for these tests comes from the client package's test-support module
// (sdk-js/test-support/server.ts), the one fixture of both TypeScript suites: this file only loads it.
// npm run build builds the client and that module; it is an ES module, which require() loads on Node 20.19
// or newer. The types are taken from its declaration.
import { join } from "node:path";
import type * as Fixture from "../../../../sdk-js/dist/test-support/server.js";

// out/test/support/ -> ide/vscode/ -> the repository
// A CommonJS suite loading an ES module by path: require() is what works here (import() would be
// compiled to require() anyway), typed by the import above.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fixture = require(join(__dirname, "../../../../../sdk-js/dist/test-support/server.js")) as typeof Fixture;

export type RunningServer = Fixture.RunningServer;
export const { startServer, createKey, revokeKey, SERVER_JAR, CLI_JAR } = fixture;
