package com.lanonasis.secrets.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.distribution.Dockerfile.Instruction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The root Dockerfile's structure, what a review of the image checks: Docker has no daemon here,
 * and hadolint is not packaged in Debian bookworm. {@code ServeFromArchiveIT} runs its health check
 * against a real server.
 */
class DockerfileTest {
  static final Path REPO = Path.of(System.getProperty("lanonasis.repo"));

  /** A full Temurin 17 JRE version tag (17.0.20_8-jre-noble), optionally with a digest. */
  static final String PINNED_FROM =
      "eclipse-temurin:17\\.\\d+\\.\\d+(\\.\\d+)?_\\d+-jre-[a-z]+(@sha256:[0-9a-f]{64})?";

  final Dockerfile dockerfile;

  DockerfileTest() throws Exception {
    dockerfile = Dockerfile.read(REPO.resolve("Dockerfile"));
  }

  @Test
  void from_isOnePinnedTemurin17Jre() {
    List<Instruction> from = dockerfile.all("FROM");
    assertThat(from).hasSize(1);
    assertThat(dockerfile.instructions().get(0).keyword()).isEqualTo("FROM");
    assertThat(from.get(0).arguments()).matches(PINNED_FROM);
  }

  @Test
  void theImageIsBuiltFromTheDistributionArchive_andDownloadsNothing() throws Exception {
    List<Instruction> add = dockerfile.all("ADD");
    assertThat(add).hasSize(1);
    assertThat(add.get(0).arguments()).isEqualTo("distribution/target/lanonasis-*.tar.gz /opt/");
    for (Instruction i : dockerfile.instructions()) {
      if (i.keyword().equals("ADD") || i.keyword().equals("COPY") || i.keyword().equals("RUN")) {
        assertThat(i.arguments()).as(i.keyword()).doesNotContain("://");
      }
    }
    // The build context is that archive alone.
    List<String> ignore =
        Files.readAllLines(REPO.resolve(".dockerignore")).stream()
            .filter(l -> !l.isBlank() && !l.startsWith("#"))
            .toList();
    assertThat(ignore).containsExactly("*", "!distribution/target/lanonasis-*.tar.gz");
  }

  @Test
  void theServerRunsAsANonRootUser() {
    List<Instruction> users = dockerfile.all("USER");
    assertThat(users).isNotEmpty();
    String user = users.get(users.size() - 1).arguments().split(":")[0];
    assertThat(user).isNotIn("root", "0", "");
    int lastUser = dockerfile.instructions().indexOf(users.get(users.size() - 1));
    for (String k : List.of("ENTRYPOINT", "CMD", "HEALTHCHECK", "VOLUME")) {
      assertThat(dockerfile.instructions().indexOf(dockerfile.all(k).get(0)))
          .as("%s after the last USER", k)
          .isGreaterThan(lastUser);
    }
  }

  @Test
  void storeKeysetAndAuditFilesLiveInTheDataVolume() throws Exception {
    assertThat(dockerfile.all("VOLUME")).hasSize(1);
    assertThat(dockerfile.all("VOLUME").get(0).execForm()).containsExactly("/data");
    Map<String, String> env = dockerfile.env();
    assertThat(env)
        .containsEntry("LANONASIS_STORE", "jdbc:sqlite:/data/secrets.db")
        .containsEntry("LANONASIS_KEYSET_FILE", "/data/keyset.json");
    assertThat(env.get("LANONASIS_AUDIT_SIGNING_KEY")).startsWith("/data/");
    assertThat(env.get("LANONASIS_AUDIT_CHECKPOINTS")).startsWith("/data/");
    // Every variable is one the server reads (its settings table in server/README.md).
    String serverReadme = Files.readString(REPO.resolve("server/README.md"));
    for (String name : env.keySet()) {
      assertThat(serverReadme).as(name).contains("`" + name + "`");
    }
  }

  @Test
  void beyondLoopback_theDefaultIsTls_andPlainHttpOnlyByChoice() {
    Map<String, String> env = dockerfile.env();
    assertThat(env).containsEntry("LANONASIS_BIND", "0.0.0.0");
    assertThat(env.get("LANONASIS_TLS_CERT")).startsWith("/data/");
    assertThat(env.get("LANONASIS_TLS_KEY")).startsWith("/data/");
    assertThat(env).doesNotContainKeys("LANONASIS_INSECURE_NO_TLS", "LANONASIS_DEV_KEYSET_OK");
    assertThat(dockerfile.all("EXPOSE")).hasSize(1);
    assertThat(dockerfile.all("EXPOSE").get(0).arguments()).isEqualTo(env.get("LANONASIS_PORT"));
  }

  @Test
  void healthcheck_asksReadyz_inExecForm() {
    List<Instruction> hc = dockerfile.all("HEALTHCHECK");
    assertThat(hc).hasSize(1);
    assertThat(hc.get(0).flags()).containsKeys("interval", "timeout", "start-period", "retries");
    String args = hc.get(0).arguments();
    assertThat(args).startsWith("CMD ");
    List<String> cmd = Dockerfile.jsonStrings(args.substring("CMD ".length()));
    assertThat(cmd).as("exec form").isNotNull();
    assertThat(String.join(" ", cmd)).contains("/readyz").contains("${LANONASIS_PORT");
  }

  @Test
  void entrypointAndCmd_inExecForm_runTheLauncherServe() {
    assertThat(dockerfile.all("ENTRYPOINT")).hasSize(1);
    assertThat(dockerfile.all("CMD")).hasSize(1);
    assertThat(dockerfile.all("ENTRYPOINT").get(0).execForm()).containsExactly("lanonasis");
    assertThat(dockerfile.all("CMD").get(0).execForm()).containsExactly("serve");
  }

  @Test
  void theBuildCommand_isDocumented_alike() throws Exception {
    String command =
        "./mvnw -B -ntp -DskipTests package -pl distribution -am && docker build -t lanonasis .";
    assertThat(Files.readString(REPO.resolve("Dockerfile"))).contains(command);
    assertThat(Files.readString(REPO.resolve("distribution/README.md"))).contains(command);
  }

  @Test
  void parser_readsExecFormAndContinuations() throws Exception {
    assertThat(Dockerfile.jsonStrings("[\"sh\", \"-c\", \"echo \\\"a\\\" \\\\ b\"]"))
        .containsExactly("sh", "-c", "echo \"a\" \\ b");
    assertThat(Dockerfile.jsonStrings("[]")).isEmpty();
    assertThat(Dockerfile.jsonStrings("serve")).isNull();
    assertThat(Dockerfile.jsonStrings("[serve]")).isNull();
    Path file = Files.createTempFile("Dockerfile", "");
    try {
      Files.writeString(
          file,
          "FROM x:1\n# c\nRUN a \\\n  # inner comment\n  b\nHEALTHCHECK --retries=3 CMD [\"x\"]\n");
      Dockerfile d = Dockerfile.read(file);
      assertThat(d.instructions())
          .extracting(Instruction::keyword)
          .containsExactly("FROM", "RUN", "HEALTHCHECK");
      assertThat(d.all("RUN").get(0).arguments()).isEqualTo("a  b");
      assertThat(d.all("HEALTHCHECK").get(0).flags()).containsEntry("retries", "3");
      assertThat(d.all("HEALTHCHECK").get(0).arguments()).isEqualTo("CMD [\"x\"]");
    } finally {
      Files.delete(file);
    }
  }
}
