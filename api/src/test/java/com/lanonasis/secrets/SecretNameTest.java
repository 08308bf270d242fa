package com.lanonasis.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SecretNameTest {
  private static final String OUTSIDE = " has a character outside [A-Za-z0-9._-/] at index ";

  @Nested
  @DisplayName("accepts well-formed names")
  class Valid {
    @ParameterizedTest
    @ValueSource(
        strings = {"a", "prod/db/password", "A-z_0.9", "a.b", "...a", "a..", ".hidden/x", "-/_/9"})
    void of_validName_keepsValue(String raw) {
      SecretName name = SecretName.of(raw);

      assertThat(name.value()).isEqualTo(raw);
      assertThat(name.toString()).isEqualTo(raw);
      assertThat(SecretName.isValid(raw)).isTrue();
    }

    @Test
    void of_exactly256Characters_isAccepted() {
      String raw = "a".repeat(256);

      assertThat(SecretName.of(raw).value()).hasSize(256);
      assertThat(SecretName.isValid(raw)).isTrue();
    }

    @Test
    void of_256CharactersWithSlashes_isAccepted() {
      String raw = ("abc/").repeat(63) + "abcd";

      assertThat(raw).hasSize(256);
      assertThat(SecretName.of(raw).value()).isEqualTo(raw);
    }

    @Test
    void equalsAndCompareTo_sameText_equalAndOrderedByText() {
      assertThat(SecretName.of("a/b")).isEqualTo(new SecretName("a/b"));
      assertThat(SecretName.of("a/b").hashCode()).isEqualTo(SecretName.of("a/b").hashCode());
      assertThat(SecretName.of("a/b")).isLessThan(SecretName.of("a/c"));
    }
  }

  @Nested
  @DisplayName("rejects malformed names with a precise message")
  class Invalid {
    static Stream<Arguments> invalidNames() {
      return Stream.of(
          Arguments.of("", "secret name is empty"),
          Arguments.of("a".repeat(257), "secret name is 257 characters; the limit is 256"),
          Arguments.of("/a", "secret name '/a' has an empty segment"),
          Arguments.of("a/", "secret name 'a/' has an empty segment"),
          Arguments.of("/", "secret name '/' has an empty segment"),
          Arguments.of("a//b", "secret name 'a//b' has an empty segment"),
          Arguments.of(".", "secret name '.' has a '.' segment"),
          Arguments.of("..", "secret name '..' has a '..' segment"),
          Arguments.of("a/./b", "secret name 'a/./b' has a '.' segment"),
          Arguments.of("a/../b", "secret name 'a/../b' has a '..' segment"),
          Arguments.of("a/..", "secret name 'a/..' has a '..' segment"),
          Arguments.of("a b", "secret name 'a b'" + OUTSIDE + "1"),
          Arguments.of("p\u00e4ss", "secret name 'p\\u00e4ss'" + OUTSIDE + "1"),
          Arguments.of("\u5bc6\u7801", "secret name '\\u5bc6\\u7801'" + OUTSIDE + "0"),
          Arguments.of("a:b", "secret name 'a:b'" + OUTSIDE + "1"),
          Arguments.of("a\\b", "secret name 'a\\b'" + OUTSIDE + "1"),
          Arguments.of("tab\there", "secret name 'tab\\u0009here'" + OUTSIDE + "3"));
    }

    @ParameterizedTest
    @MethodSource("invalidNames")
    void of_invalidName_throwsInvalidSecretNameWithMessage(String raw, String message) {
      assertThatThrownBy(() -> SecretName.of(raw))
          .isInstanceOf(InvalidSecretNameException.class)
          .isInstanceOf(InvalidInputException.class)
          .hasMessage(message);
      assertThat(SecretName.isValid(raw)).isFalse();
    }

    @Test
    void of_newlineInName_messageEscapesItSoNoLogLineCanBeForged() {
      String hostile = "a\nFAKE LOG 2024-01-01 INFO admin logged in";

      assertThatThrownBy(() -> SecretName.of(hostile))
          .isInstanceOf(InvalidSecretNameException.class)
          .hasMessageContaining("a\\u000aFAKE LOG")
          .hasMessageEndingWith(OUTSIDE + "1")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\r"));
    }

    @Test
    void of_carriageReturnAndEscapeInName_messageHasNoControlCharacters() {
      String hostile = "x\r\u001b[31mred\u0000";

      assertThatThrownBy(() -> SecretName.of(hostile))
          .isInstanceOf(InvalidSecretNameException.class)
          .hasMessage("secret name 'x\\u000d\\u001b[31mred\\u0000'" + OUTSIDE + "1")
          .satisfies(
              e -> assertThat(e.getMessage().chars().noneMatch(Character::isISOControl)).isTrue());
    }

    @Test
    void of_longHostileName_messageIsCutShort() {
      String hostile = "a".repeat(199) + " ";

      assertThatThrownBy(() -> SecretName.of(hostile))
          .isInstanceOf(InvalidSecretNameException.class)
          .hasMessage("secret name '" + "a".repeat(80) + "...'" + OUTSIDE + "199");
    }

    @Test
    void of_null_throwsNullPointerExceptionNamingParameter() {
      assertThatThrownBy(() -> SecretName.of(null))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("value");
    }

    @Test
    void isValid_null_isFalse() {
      assertThat(SecretName.isValid(null)).isFalse();
    }
  }
}
