package com.lanonasis.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.cli.CliJarIT.Run;
import com.lanonasis.secrets.cli.CliJarIT.Served;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code login} with the built jar in real processes against {@code serve}: the key on stdin and
 * typed at a real pseudo-terminal ({@code script}), a 0600 profile, the key in no output, and later
 * commands signed in by the profile alone.
 */
class LoginJarIT {
  static final String VALUE = "S3NTINEL-login-jar-value";

  @Test
  void login_keyOnStdin_writesA0600Profile_neverEchoesIt_laterCommandsUseIt(@TempDir Path dir)
      throws Exception {
    try (Served served = new Served(dir)) {
      String admin = served.admin;
      Path config = dir.resolve("home/.config/lanonasis/config");
      Map<String, String> env = Map.of("LANONASIS_CLI_CONFIG", config.toString());

      Run login = CliJarIT.run(dir, env, admin + "\n", "login", "--url", served.url);
      assertThat(login.exit()).as(login.err()).isZero();
      assertThat(login.out())
          .startsWith(
              "signed in to "
                  + served.url
                  + " as key "
                  + admin.substring(4, 20)
                  + " (tenant default, role ADMIN)");
      assertNoKey(login, admin);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config)))
          .isEqualTo("rw-------");
      assertThat(Files.readString(config)).contains("default.api-key = " + admin);

      Run set = CliJarIT.run(dir, env, VALUE, "secret", "set", "login/jar");
      assertThat(set.exit()).as(set.err()).isZero();
      Run get = CliJarIT.run(dir, env, null, "secret", "get", "login/jar");
      assertThat(get.out()).isEqualTo(VALUE);
      Run whoami = CliJarIT.run(dir, env, null, "whoami");
      assertThat(whoami.out()).contains("key " + admin.substring(4, 20)).contains("role   ADMIN");
      assertNoKey(whoami, admin);

      Run bad =
          CliJarIT.run(
              dir,
              Map.of("LANONASIS_CLI_CONFIG", dir.resolve("other/config").toString()),
              "lns_0123456789abcdef_S3NTINEL-a-bad-key-for-the-real-process-test\n",
              "login",
              "--url",
              served.url);
      assertThat(bad.exit()).isEqualTo(ExitCode.AUTH);
      assertThat(bad.out() + bad.err()).doesNotContain("S3NTINEL");
      assertThat(dir.resolve("other/config")).doesNotExist();

      Run logout = CliJarIT.run(dir, env, null, "logout");
      assertThat(logout.exit()).isZero();
      assertThat(Files.readString(config))
          .doesNotContain(admin)
          .contains("default.url = " + served.url);
      assertThat(CliJarIT.run(dir, env, null, "whoami").exit()).isEqualTo(ExitCode.AUTH);

      loginAtATerminal(dir, served.url, admin, dir.resolve("tty/config"));
    }
  }

  /** {@code login} on a pseudo-terminal: the prompt does not echo what is typed. */
  static void loginAtATerminal(Path dir, String url, String admin, Path config) throws Exception {
    PseudoTerminal.Session s =
        PseudoTerminal.run(
            dir,
            Map.of("LANONASIS_CLI_CONFIG", config.toString()),
            List.of(admin),
            "login",
            "--url",
            url,
            "--profile",
            "tty");
    assertThat(s.terminal()).contains("API key for " + url + " (not shown): ");
    assertThat(s.exit()).as(s.terminal()).isZero();
    assertThat(s.terminal())
        .contains("signed in to " + url)
        .doesNotContain(admin)
        .doesNotContain(admin.substring(21));
    assertThat(Files.readString(config)).contains("tty.api-key = " + admin);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config)))
        .isEqualTo("rw-------");
  }

  static void assertNoKey(Run r, String key) {
    assertThat(r.out() + r.err()).doesNotContain(key).doesNotContain(key.substring(21));
  }
}
