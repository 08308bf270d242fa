package com.lanonasis.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.cli.CliRunner.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link EnvCommandsContract} on an embedded SQLite store. */
class EmbeddedEnvCommandsTest extends EnvCommandsContract {
  @TempDir Path dir;
  String store;
  String keyset;

  @BeforeEach
  void setUp() {
    cli.env.put("LANONASIS_CLI_CONFIG", dir.resolve("no-config").toString());
    cli.env.put("PATH", System.getenv("PATH"));
    store = "jdbc:sqlite:" + dir.resolve("data/secrets.db");
    keyset = dir.resolve("data/keyset.json").toString();
  }

  @Override
  Path dir() {
    return dir;
  }

  @Override
  Result lnsWithStdin(String stdin, String... args) {
    return cli.runWithStdin(stdin, EmbeddedCliTest.onStore(store, keyset, args));
  }

  @Test
  void run_doesNotPassTheKeysetVariables() {
    set("app/x", "1");
    cli.env.put("LANONASIS_KEYSET_FILE", "/nowhere/" + SENTINEL);
    Result r = checked(null, "run", "--prefix", "app/", "env");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("X=1\n")
        .doesNotContain("LANONASIS_KEYSET")
        .doesNotContain(SENTINEL);
  }
}
