package com.lanonasis.secrets.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerMainConfigTest {
  @Test
  void parse_noSettings_usesTheEmbeddedDefaults() {
    ServerMain.Config c = ServerMain.Config.parse(new String[0], Map.of());
    assertThat(c.store).isEqualTo("jdbc:h2:file:./data/secrets");
    assertThat(c.keyset).isNull();
    assertThat(ServerMain.Config.DEFAULT_KEYSET).isEqualTo(Path.of("./data/keyset.json"));
    assertThat(c.bind).isEqualTo("127.0.0.1");
    assertThat(c.port).isEqualTo(8080);
    assertThat(c.adminKeyFile).isNull();
  }

  @Test
  void parse_flagsWinOverEnvironment() {
    ServerMain.Config c = ServerMain.Config.parse(new String[] {"--port", "9000", "--admin-key-file", "k.txt", "--keyset", "ks.json"},
        Map.of("LANONASIS_PORT", "7000", "LANONASIS_STORE", "jdbc:h2:mem:x"));
    assertThat(c.port).isEqualTo(9000);
    assertThat(c.store).isEqualTo("jdbc:h2:mem:x");
    assertThat(c.keyset).isEqualTo(Path.of("ks.json"));
    assertThat(c.adminKeyFile).isEqualTo(Path.of("k.txt"));
  }

  @Test
  void parse_nonLoopbackBindWithoutTls_isRefused() {
    assertThatThrownBy(() -> ServerMain.Config.parse(new String[0], Map.of("LANONASIS_BIND", "0.0.0.0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("refusing to listen on 0.0.0.0 without TLS")
        .hasMessageContaining("--insecure-no-tls");
    assertThatThrownBy(() -> ServerMain.Config.parse(new String[] {"--bind", "example.org"}, Map.of()))
        .hasMessageContaining("without TLS");
  }

  @Test
  void parse_nonLoopbackBindWithInsecureFlag_isAccepted() {
    assertThat(ServerMain.Config.parse(new String[] {"--bind", "0.0.0.0", "--insecure-no-tls"}, Map.of()).bind)
        .isEqualTo("0.0.0.0");
    assertThat(ServerMain.Config.parse(new String[] {"--bind", "::1"}, Map.of()).bind).isEqualTo("::1");
    assertThat(ServerMain.Config.parse(new String[] {"--bind", "localhost"}, Map.of()).bind).isEqualTo("localhost");
  }

  @Test
  void parse_badPortOrUnknownFlag_isRefused() {
    assertThatThrownBy(() -> ServerMain.Config.parse(new String[] {"--port", "http"}, Map.of()))
        .hasMessage("port must be 0..65535: http");
    assertThatThrownBy(() -> ServerMain.Config.parse(new String[] {"--verbose"}, Map.of()))
        .hasMessageStartingWith("unknown argument: --verbose");
  }
}
