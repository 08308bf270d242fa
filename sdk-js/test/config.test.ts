// The settings checked in the constructor, before any request: no server needed.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigurationError, LanonasisError, SecretManagerClient } from "../src/index.js";

const KEY = "lns_0123456789abcdef_S3NTINELkeyS3NTINELkeyS3NTINELkeyS3NTINELk";

function refused(config: ConstructorParameters<typeof SecretManagerClient>[0], pattern: RegExp): void {
  assert.throws(
    () => new SecretManagerClient(config),
    (e: unknown) => {
      assert.ok(e instanceof ConfigurationError, String(e));
      assert.ok(e instanceof LanonasisError);
      assert.match(e.message, pattern);
      assert.ok(!e.message.includes("S3NTINEL"), e.message);
      return true;
    },
  );
}

describe("apiUrl rules", () => {
  it("https:// is accepted anywhere, with a port and a path", () => {
    assert.equal(new SecretManagerClient({ apiUrl: "https://secrets.example.com" }).apiUrl, "https://secrets.example.com");
    assert.equal(new SecretManagerClient({ apiUrl: "HTTPS://Secrets.Example.com:8443/base/" }).apiUrl, "https://secrets.example.com:8443/base");
  });

  it("a path ending in /api/v1 or /api/v1/secrets is cut back to the base; a path further inside the API is refused (as in the Java SDK)", () => {
    assert.equal(new SecretManagerClient({ apiUrl: "https://proxy.example.com/lanonasis/api/v1/secrets/" }).apiUrl, "https://proxy.example.com/lanonasis");
    for (const apiUrl of [
      "https://secrets.example.com/api/v1/secrets/S3NTINEL",
      "https://secrets.example.com/api/v2",
      "https://secrets.example.com/api/v1/whoami",
      "https://secrets.example.com/x/api/v1/keys",
    ]) {
      refused({ apiUrl }, /points inside the API: give the server's base URL/);
    }
  });

  it("http:// is accepted to loopback: 127.0.0.0/8, localhost, ::1", () => {
    for (const apiUrl of ["http://127.0.0.1:8080", "http://127.1.2.3", "http://localhost:1", "http://api.localhost", "http://[::1]:8080"]) {
      assert.doesNotThrow(() => new SecretManagerClient({ apiUrl }), apiUrl);
    }
  });

  it("http:// to a host that is not loopback is refused unless allowInsecureHttp", () => {
    for (const apiUrl of ["http://secrets.example.com", "http://10.0.0.1:8080", "http://128.0.0.1", "http://[::2]", "http://localhost.example.com"]) {
      refused({ apiUrl, apiKey: KEY }, /plain http to a host that is not loopback/);
    }
    assert.equal(new SecretManagerClient({ apiUrl: "http://10.0.0.1:8080", allowInsecureHttp: true }).apiUrl, "http://10.0.0.1:8080");
  });

  it("LANONASIS_INSECURE_NO_TLS=true allows it through fromEnvironment; other values are refused", () => {
    assert.throws(() => SecretManagerClient.fromEnvironment({ LANONASIS_URL: "http://10.0.0.1" }), ConfigurationError);
    assert.throws(() => SecretManagerClient.fromEnvironment({ LANONASIS_URL: "http://10.0.0.1", LANONASIS_INSECURE_NO_TLS: "false" }), ConfigurationError);
    assert.equal(SecretManagerClient.fromEnvironment({ LANONASIS_URL: "http://10.0.0.1", LANONASIS_INSECURE_NO_TLS: "TRUE" }).apiUrl, "http://10.0.0.1");
    assert.throws(() => SecretManagerClient.fromEnvironment({ LANONASIS_URL: "http://10.0.0.1", LANONASIS_INSECURE_NO_TLS: "yes" }), /must be true or false/);
  });

  it("user info, a query or a fragment is refused, and not quoted", () => {
    refused({ apiUrl: "https://user:S3NTINEL@secrets.example.com" }, /must not carry user info \(https:\/\/\*\*\*@secrets/);
    refused({ apiUrl: "https://:@secrets.example.com" }, /user info/);
    refused({ apiUrl: "https://secrets.example.com/?token=S3NTINEL" }, /must not carry a query string \(https:\/\/secrets.example.com\/\.\.\.\)/);
    refused({ apiUrl: "https://secrets.example.com?" }, /query string \(https:\/\/secrets.example.com\?\*\*\*\)/);
    refused({ apiUrl: "http://10.0.0.1/S3NTINEL" }, /apiUrl http:\/\/10.0.0.1\/\.\.\. is plain http/);
    refused({ apiUrl: "https://secrets.example.com/#S3NTINEL" }, /fragment/);
  });

  it("a URL holding what looks like an API key is refused without quoting it", () => {
    refused({ apiUrl: `https://secrets.example.com/${KEY}` }, /looks like an API key/);
    refused({ apiUrl: `https://${KEY}@secrets.example.com` }, /looks like an API key/);
    refused({ apiUrl: `http://10.0.0.1/x?key=${KEY}` }, /looks like an API key/);
  });

  it("other schemes, garbage and a missing URL are refused", () => {
    refused({ apiUrl: "ftp://secrets.example.com" }, /must start with https:\/\//);
    refused({ apiUrl: "secrets.example.com" }, /must start with https:\/\//);
    refused({ apiUrl: "https://exa mple.com" }, /not a valid URL/);
    refused({ apiUrl: "" }, /apiUrl is required/);
    refused(undefined as unknown as { apiUrl: string }, /config must be an object/);
    assert.throws(() => SecretManagerClient.fromEnvironment({}), /LANONASIS_URL is not set/);
    assert.throws(() => SecretManagerClient.fromEnvironment({ LANONASIS_URL: "  " }), /LANONASIS_URL is not set/);
  });
});

describe("other settings", () => {
  it("an API key that cannot be a header value is refused without quoting it", () => {
    refused({ apiUrl: "https://h.example", apiKey: `${KEY}\n` }, /printable ASCII/);
    refused({ apiUrl: "https://h.example", apiKey: `S3NTINEL ${KEY}` }, /printable ASCII/);
    refused({ apiUrl: "https://h.example", apiKey: 42 as unknown as string }, /must be a string/);
  });

  it("an empty key is no key (a key-less client); fromEnvironment treats an empty variable the same", () => {
    assert.equal(String(new SecretManagerClient({ apiUrl: "https://h.example", apiKey: "" })), "SecretManagerClient[apiUrl=https://h.example, apiKey=none]");
    assert.equal(String(SecretManagerClient.fromEnvironment({ LANONASIS_URL: "https://h.example", LANONASIS_API_KEY: "" })), "SecretManagerClient[apiUrl=https://h.example, apiKey=none]");
  });

  it("timeoutMs and maxRetries are checked", () => {
    refused({ apiUrl: "https://h.example", timeoutMs: 0 }, /timeoutMs must be an integer from 1 to 600000: 0/);
    refused({ apiUrl: "https://h.example", timeoutMs: Number.NaN }, /timeoutMs/);
    refused({ apiUrl: "https://h.example", maxRetries: -1 }, /maxRetries must be an integer from 0 to 10: -1/);
    refused({ apiUrl: "https://h.example", maxRetries: 11 }, /maxRetries/);
    refused({ apiUrl: "https://h.example", allowInsecureHttp: "yes" as unknown as boolean }, /allowInsecureHttp must be a boolean/);
  });

  it("the client shows the key's public id at most", () => {
    const client = new SecretManagerClient({ apiUrl: "https://h.example", apiKey: KEY });
    assert.equal(String(client), "SecretManagerClient[apiUrl=https://h.example, apiKey=lns_0123456789abcdef_***]");
    assert.equal(JSON.stringify(client), '{"apiUrl":"https://h.example","apiKey":"lns_0123456789abcdef_***"}');
    assert.equal(String(new SecretManagerClient({ apiUrl: "https://h.example", apiKey: "S3NTINEL-not-a-lns-key" })), "SecretManagerClient[apiUrl=https://h.example, apiKey=***]");
  });
});
