package com.lanonasis.secrets.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiKeyFormatTest {
  private static final String KEY = "lns_0123456789abcdef_Zm9vYmFyYmF6cXV4";

  @Test
  void recognisesOnlyTheWholeShape() {
    assertThat(ApiKeyFormat.matches(KEY)).isTrue();
    assertThat(ApiKeyFormat.matches("lns_0123456789ABCDEF_x")).isFalse();
    assertThat(ApiKeyFormat.matches("lns_0123456789abcde_x")).isFalse();
    assertThat(ApiKeyFormat.matches(" " + KEY)).isFalse();
  }

  @Test
  void redactsEveryKeyToItsPublicId() {
    assertThat(ApiKeyFormat.publicForm(KEY)).isEqualTo("lns_0123456789abcdef_***");
    assertThat(ApiKeyFormat.publicForm("not-a-key")).isEqualTo("***");
    assertThat(ApiKeyFormat.redact("a " + KEY + " b " + KEY))
        .isEqualTo("a lns_0123456789abcdef_*** b lns_0123456789abcdef_***")
        .doesNotContain("Zm9v");
  }
}
