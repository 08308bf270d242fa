package com.lanonasis.secrets.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lanonasis.secrets.ConfigurationException;
import com.lanonasis.secrets.Secret;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.SecretValue;
import com.lanonasis.secrets.spi.SecretStoreProvider;
import com.lanonasis.secrets.spi.Storage;
import com.lanonasis.secrets.spi.StoreRequest;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("choosing a backend by URI through ServiceLoader")
class ProviderDiscoveryTest {
  @TempDir Path dir;

  /** A second provider claiming memory:, to provoke the ambiguity error. */
  public static final class RivalMemoryProvider implements SecretStoreProvider {
    @Override
    public String name() {
      return "rival";
    }

    @Override
    public Set<String> schemes() {
      return Set.of("memory");
    }

    @Override
    public Storage open(StoreRequest request) {
      throw new AssertionError("never chosen");
    }
  }

  private ClassLoader withServices(String... providerClassNames) throws IOException {
    Path services = dir.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.writeString(
        services.resolve(SecretStoreProvider.class.getName()),
        String.join("\n", providerClassNames));
    return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
  }

  @Test
  @DisplayName("memory: is found with nothing but the jars on the class path")
  void open_memoryUri_foundByServiceLoader() {
    try (SecretStore store = SecretStores.open("memory:")) {
      store.put("k", SecretValue.ofUtf8("v"));
      try (Secret s = store.get("k")) {
        assertThat(s.value().asUtf8()).isEqualTo("v");
      }
    }
    assertThat(SecretStores.providers(getClass().getClassLoader()))
        .containsEntry("memory", java.util.List.of("memory"));
  }

  @Test
  @DisplayName("an unknown scheme fails and lists the providers found")
  void open_unknownScheme_listsProviders() {
    assertThatThrownBy(() -> SecretStores.open("vault://somewhere"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("no secret store provider for scheme 'vault'")
        .hasMessageContaining("memory");
  }

  @Test
  @DisplayName("a broken provider jar is reported without hiding the working ones")
  void open_brokenProvider_othersStillFound() throws IOException {
    ClassLoader loader = withServices("com.example.DoesNotExist");
    try (SecretStore store = SecretStores.builder().uri("memory:").classLoader(loader).open()) {
      assertThat(store.tenant()).isEqualTo("default");
    }
    Map<String, java.util.List<String>> found = SecretStores.providers(loader);
    assertThat(found).containsKey("memory");
    assertThat(found.keySet())
        .anySatisfy(k -> assertThat(k).startsWith("<broken").contains("DoesNotExist"));
    assertThatThrownBy(() -> SecretStores.builder().uri("nope:").classLoader(loader).open())
        .hasMessageContaining("broken provider")
        .hasMessageContaining("memory");
  }

  @Test
  @DisplayName("two providers claiming one scheme is an error, not a silent pick")
  void open_ambiguousScheme_refused() throws IOException {
    ClassLoader loader = withServices(RivalMemoryProvider.class.getName());
    assertThatThrownBy(() -> SecretStores.builder().uri("memory:").classLoader(loader).open())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("claimed by several providers")
        .hasMessageContaining("rival")
        .hasMessageContaining("memory");
    try (SecretStore chosen =
        SecretStores.builder()
            .uri("memory:")
            .classLoader(loader)
            .provider(new MemorySecretStoreProvider())
            .open()) {
      assertThat(chosen.tenant()).isEqualTo("default");
    }
  }

  @Test
  @DisplayName("memory: takes no options; a URI without a scheme is refused at once")
  void open_badUris_refused() {
    assertThatThrownBy(() -> SecretStores.open("memory:shared"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("exactly 'memory:'");
    assertThatThrownBy(() -> SecretStores.open("no-scheme-here"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no scheme");
  }

  @Test
  @DisplayName(
      "a local record store without any keyring configured fails naming the ways to give one")
  void open_recordStoreWithoutKeyring_explains() {
    assertThatThrownBy(
            () ->
                SecretStores.builder()
                    .recordStore(new MemoryRecordStore())
                    .environment(Map.of())
                    .open())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("LANONASIS_KEYSET")
        .hasMessageContaining("LANONASIS_KEYSET_FILE")
        .hasMessageContaining("keyring(");
  }

  @Test
  @DisplayName("builder setters reject bad values at once, naming them")
  void builder_badValues_rejected() {
    assertThatThrownBy(() -> SecretStores.builder().maxValueBytes(0))
        .hasMessageContaining("maxValueBytes")
        .hasMessageContaining("0");
    assertThatThrownBy(() -> SecretStores.builder().cache(java.time.Duration.ZERO, 10))
        .hasMessageContaining("ttl");
    assertThatThrownBy(() -> SecretStores.builder().cache(java.time.Duration.ofSeconds(1), 0))
        .hasMessageContaining("maxEntries");
    assertThatThrownBy(() -> SecretStores.builder().tenant("bad tenant"))
        .hasMessageContaining("tenant id");
    assertThatThrownBy(() -> SecretStores.builder().open())
        .isInstanceOf(IllegalStateException.class);
  }
}
