// The real Lanonasis server for these tests comes from the client package's own fixture (sdk-js/test/server.ts),
// so both suites start it the same way. npm run build builds the client, its tests' fixture included; that
// fixture is an ES module, which require() loads on Node 20.19 or newer. The type is taken from its declaration.
import { join } from "node:path";
import type * as Fixture from "../../../../sdk-js/dist/test/server.js";

// out/test/support/ -> ide/vscode/ -> the repository
const fixture = require(join(__dirname, "../../../../../sdk-js/dist/test/server.js")) as typeof Fixture;

export type RunningServer = Fixture.RunningServer;
export const { startServer, createKey, SERVER_JAR, CLI_JAR } = fixture;
