package com.lanonasis.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PutOptionsTest {

  @Test
  void upsert_hasNoExpectedVersionAndNoAttributes() {
    assertThat(PutOptions.upsert().expectedVersion()).isEmpty();
    assertThat(PutOptions.upsert().attributes()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 42, Long.MAX_VALUE})
  void ifVersion_zeroOrPositive_isKept(long version) {
    assertThat(PutOptions.ifVersion(version).expectedVersion()).hasValue(version);
  }

  @ParameterizedTest
  @ValueSource(longs = {-1, -42, Long.MIN_VALUE})
  void ifVersion_negative_throwsInvalidInputNamingVersion(long version) {
    assertThatThrownBy(() -> PutOptions.ifVersion(version))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("expected version must be >= 0: " + version);
  }

  @Test
  void expectVersion_negativeAfterAttributes_throwsInvalidInput() {
    PutOptions withAttributes = PutOptions.upsert().withAttributes(SecretAttributes.none());

    assertThatThrownBy(() -> withAttributes.expectVersion(-1))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("expected version must be >= 0: -1");
  }

  @Test
  void withAttributes_thenExpectVersion_keepsBoth() {
    SecretAttributes attributes = SecretAttributes.none().withLabels(Map.of("env", "prod"));

    PutOptions options = PutOptions.upsert().withAttributes(attributes).expectVersion(3);

    assertThat(options.attributes()).contains(attributes);
    assertThat(options.expectedVersion()).hasValue(3);
  }

  @Test
  void constructor_nullAttributes_throwsNullPointerException() {
    assertThatThrownBy(() -> new PutOptions(java.util.OptionalLong.empty(), null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("attributes");
  }
}
