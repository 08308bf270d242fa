package com.lanonasis.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.lanonasis.secrets.cli.CliRunner.Result;
import com.lanonasis.secrets.server.testing.RealServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link EnvCommandsContract} against a real server (SQLite behind it), one per test. */
class RemoteEnvCommandsTest extends EnvCommandsContract {
  @TempDir Path dir;
  RealServer server;

  @BeforeEach
  void setUp() {
    server = RealServer.start(dir.resolve("server"));
    cli.env.put("LANONASIS_CLI_CONFIG", dir.resolve("no-config").toString());
    cli.env.put("PATH", System.getenv("PATH"));
    cli.env.put("LANONASIS_URL", server.url());
    cli.env.put("LANONASIS_API_KEY", server.adminKey());
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  @Override
  Path dir() {
    return dir;
  }

  @Override
  Result lnsWithStdin(String stdin, String... args) {
    return cli.runWithStdin(stdin, args);
  }

  @Test
  void run_doesNotPassOurOwnCredentials() {
    set("app/x", "1");
    List<String> withheld =
        List.of(
            "LANONASIS_DB_PASSWORD",
            "LANONASIS_MIGRATION_DB_PASSWORD",
            "LANONASIS_TLS_PKCS12_PASSWORD",
            "LANONASIS_NEW_KEYSET_PASSPHRASE",
            "LANONASIS_KEYSET_PASSPHRASE",
            "LANONASIS_KEYSET");
    // A value of its own for each, so the output names the one that leaked.
    withheld.forEach(v -> cli.env.put(v, SENTINEL + "-" + v));
    Result r = checked(null, "run", "--prefix", "app/", "env");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("X=1\n", "LANONASIS_URL=")
        .doesNotContain(server.adminKey())
        .doesNotContain("LANONASIS_API_KEY")
        .doesNotContain(SENTINEL);
    assertThat(r.out().lines().map(l -> l.substring(0, Math.max(0, l.indexOf('=')))))
        .as("variables passed to the child")
        .doesNotContainAnyElementsOf(withheld);
  }

  @Test
  void run_canPassAnotherKeyOnPurpose_asASecret() {
    set("ci/key", SENTINEL);
    Result r =
        checked(
            null, "run", "--secret", "ci/key=LANONASIS_API_KEY", "printenv", "LANONASIS_API_KEY");
    assertThat(r.out()).isEqualTo(SENTINEL + "\n");
  }

  @Test
  void export_isAuditedAsOneReadPerSecret() throws Exception {
    set("aud/a", SENTINEL);
    set("aud/b", SENTINEL);
    assertThat(checked(null, "secret", "export", "--prefix", "aud/", "--format", "json").exit())
        .isZero();
    HttpResponse<String> audit =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(server.url() + "/api/v1/audit?action=read&name=aud/&limit=100"))
                    .header("Authorization", "Bearer " + server.adminKey())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(audit.statusCode()).as(audit.body()).isEqualTo(200);
    List<String> subjects = new ArrayList<>();
    for (JsonNode item : new ObjectMapper().readTree(audit.body()).get("items")) {
      subjects.add(item.toString());
    }
    assertThat(subjects).hasSize(2);
    assertThat(String.join("\n", subjects)).contains("aud/a", "aud/b").doesNotContain(SENTINEL);
  }
}
