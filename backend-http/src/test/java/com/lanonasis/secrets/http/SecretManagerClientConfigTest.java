package com.lanonasis.secrets.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lanonasis.secrets.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretManagerClientConfigTest {
  static final String KEY = "lns_0123456789abcdef_S3NTINELcfg00000000000000000000000000000000";

  static SecretManagerClientConfig.Builder valid() {
    return SecretManagerClientConfig.builder().apiUrl("https://secrets.example.com").apiKey(KEY);
  }

  @Test
  @DisplayName("defaults are the documented ones")
  void defaults() {
    SecretManagerClientConfig c = valid().build();
    assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.callTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.maxRetries()).isEqualTo(2);
    assertThat(c.retryBaseDelay()).isEqualTo(Duration.ofMillis(100));
    assertThat(c.retryMaxDelay()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.maxRetryAfter()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.etagEntries()).isZero();
    assertThat(c.maxValueBytes()).isEqualTo(64 * 1024);
    assertThat(c.trustedCertificates()).isEmpty();
    assertThat(c.okHttpClient()).isEmpty();
  }

  @Test
  @DisplayName("setters refuse bad values at once, naming the value but never the key")
  void setters_refuseBadValues() {
    SecretManagerClientConfig.Builder b = SecretManagerClientConfig.builder();
    assertThatThrownBy(() -> b.connectTimeout(Duration.ZERO))
        .hasMessage("connectTimeout out of range (PT0.001S..PT10M): PT0S");
    assertThatThrownBy(() -> b.callTimeout(Duration.ofHours(1)))
        .hasMessageContaining("callTimeout out of range");
    assertThatThrownBy(() -> b.retries(11, Duration.ofMillis(1), Duration.ofMillis(1)))
        .hasMessageContaining("maxRetries out of range (0..10): 11");
    assertThatThrownBy(() -> b.retries(1, Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("below baseDelay");
    assertThatThrownBy(() -> b.etagRevalidation(0))
        .hasMessage("etag maxEntries out of range (1..1000000): 0");
    assertThatThrownBy(() -> b.etagRevalidation(1_000_001))
        .hasMessageContaining("maxEntries out of range");
    assertThatThrownBy(() -> b.maxValueBytes(0)).hasMessageContaining("maxValueBytes out of range");
    assertThatThrownBy(() -> b.apiKey(" ")).hasMessage("apiKey is empty");
    assertThatThrownBy(() -> b.apiKey(KEY + "\nX-Injected: 1"))
        .hasMessage("apiKey has a character outside printable ASCII at index " + KEY.length())
        .hasMessageNotContaining("S3NTINEL");
    assertThatThrownBy(() -> b.expectTenant("a b")).hasMessageContaining("tenant");
  }

  @Test
  @DisplayName(
      "URLs with user info, a query or a fragment, or another scheme, are refused without echoing the secret part")
  void apiUrl_refusesCredentialCarriers() {
    SecretManagerClientConfig.Builder b = SecretManagerClientConfig.builder();
    assertThatThrownBy(() -> b.apiUrl("https://host/?token=" + KEY))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("query string")
        .hasMessageContaining("?***")
        .hasMessageNotContaining("S3NTINEL");
    assertThatThrownBy(() -> b.apiUrl("https://user:" + KEY + "@host/"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("user info")
        .hasMessageNotContaining("S3NTINEL");
    assertThatThrownBy(() -> b.apiUrl("https://host/#frag")).hasMessageContaining("fragment");
    assertThatThrownBy(() -> b.apiUrl("ftp://host/"))
        .hasMessageContaining("must start with https://");
  }

  @Test
  @DisplayName(
      "build checks what spans settings: URL and key required, plain http only to loopback, trust needs https")
  void build_crossFieldRules(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> SecretManagerClientConfig.builder().apiKey(KEY).build())
        .hasMessageContaining("apiUrl is not set");
    assertThatThrownBy(() -> SecretManagerClientConfig.builder().apiUrl("https://h").build())
        .hasMessageContaining("apiKey is not set")
        .hasMessageContaining("LANONASIS_API_KEY");
    assertThatThrownBy(() -> valid().apiUrl("http://secrets.example.com").build())
        .isInstanceOf(ConfigurationException.class);
    assertThat(
            valid()
                .apiUrl("http://secrets.example.com")
                .insecurePlainHttp()
                .build()
                .isInsecurePlainHttp())
        .isTrue();
    for (String loopback :
        new String[] {
          "http://localhost:1", "http://127.0.0.1:1", "http://127.9.9.9", "http://[::1]:1"
        }) {
      assertThat(valid().apiUrl(loopback).build().apiUrl()).startsWith("http://");
    }
    Path pem = dir.resolve("ca.pem");
    Files.writeString(pem, TlsTrustTest.selfSignedPem(dir));
    assertThatThrownBy(() -> valid().apiUrl("http://127.0.0.1:1").trustedCertificates(pem).build())
        .hasMessageContaining("use https://");
  }

  @Test
  @DisplayName("toString shows the key's public id only; a key of another form not at all")
  void toString_masksKey() {
    assertThat(valid().build().toString())
        .contains("apiKey=lns_0123456789abcdef_***")
        .doesNotContain("S3NTINEL");
    assertThat(valid().apiKey("S3NTINEL-plain-token").build().toString())
        .contains("apiKey=***")
        .doesNotContain("S3NTINEL");
  }

  @Test
  @DisplayName("fromEnvironment reads LANONASIS_URL and LANONASIS_API_KEY")
  void fromEnvironment_readsUrlAndKey() {
    SecretManagerClientConfig c =
        SecretManagerClientConfig.fromEnvironment(
                Map.of(
                    "LANONASIS_URL", "https://secrets.example.com:8443", "LANONASIS_API_KEY", KEY))
            .build();
    assertThat(c.apiUrl()).isEqualTo("https://secrets.example.com:8443/");
    assertThat(c.apiKeyHint()).isEqualTo("lns_0123456789abcdef_***");
  }

  @Test
  @DisplayName(
      "a URL ending in /api/v1 or /api/v1/secrets (as the server prints its API) is cut back to the base")
  void apiUrl_apiSuffix_isCutBack() {
    for (String url :
        List.of(
            "https://secrets.example.com:8443/api/v1/secrets",
            "https://secrets.example.com:8443/api/v1",
            "https://secrets.example.com:8443/api/v1/",
            "https://secrets.example.com:8443/api/v1/secrets/")) {
      assertThat(valid().apiUrl(url).build().apiUrl())
          .as(url)
          .isEqualTo("https://secrets.example.com:8443/");
    }
    assertThat(
            valid().apiUrl("https://proxy.example.com/lanonasis/api/v1/secrets").build().apiUrl())
        .isEqualTo("https://proxy.example.com/lanonasis");
    assertThat(valid().apiUrl("https://proxy.example.com/lanonasis/").build().apiUrl())
        .isEqualTo("https://proxy.example.com/lanonasis");
  }

  @Test
  @DisplayName("a URL further inside the API is refused, never read as a secret name")
  void apiUrl_insideTheApi_isRefused() {
    for (String url :
        List.of(
            "https://secrets.example.com/api/v1/secrets/prod/db",
            "https://secrets.example.com/api/v2",
            "https://secrets.example.com/api/v1/whoami",
            "https://secrets.example.com/x/api/v1/keys")) {
      assertThatThrownBy(() -> valid().apiUrl(url))
          .as(url)
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("points inside the API")
          .hasMessageContaining("base URL");
    }
  }
}
