package com.lanonasis.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretAttributesTest {
  private static final String KEY_RULE = " must match [a-z0-9][a-z0-9._-]{0,62}";

  private static Map<String, String> labels(int count) {
    Map<String, String> labels = new HashMap<>();
    for (int i = 0; i < count; i++) {
      labels.put("k" + i, "v" + i);
    }
    return labels;
  }

  @Test
  void none_hasNoDescriptionLabelsOrExpiry() {
    SecretAttributes none = SecretAttributes.none();

    assertThat(none.description()).isEmpty();
    assertThat(none.labels()).isEmpty();
    assertThat(none.expiresAt()).isEmpty();
  }

  @Nested
  @DisplayName("description")
  class Description {
    @Test
    void withDescription_1024Characters_isAccepted() {
      String text = "d".repeat(1024);

      assertThat(SecretAttributes.none().withDescription(text).description()).isEqualTo(text);
    }

    @Test
    void withDescription_1025Characters_throwsInvalidInput() {
      assertThatThrownBy(() -> SecretAttributes.none().withDescription("d".repeat(1025)))
          .isInstanceOf(InvalidInputException.class)
          .hasMessage("description is 1025 characters; the limit is 1024");
    }

    @ParameterizedTest
    @ValueSource(strings = {"line\nbreak", "tab\there", "nul\u0000", "del\u007f", "c1\u0085"})
    void withDescription_controlCharacter_throwsInvalidInput(String text) {
      assertThatThrownBy(() -> SecretAttributes.none().withDescription(text))
          .isInstanceOf(InvalidInputException.class)
          .hasMessage("description contains a control character");
    }

    @Test
    void withDescription_unicode_isAccepted() {
      assertThat(
              SecretAttributes.none()
                  .withDescription("Datenbank-Passwort für prod 🔑")
                  .description())
          .isEqualTo("Datenbank-Passwort für prod 🔑");
    }
  }

  @Nested
  @DisplayName("labels")
  class Labels {
    @Test
    void withLabels_64Labels_isAccepted() {
      assertThat(SecretAttributes.none().withLabels(labels(64)).labels()).hasSize(64);
    }

    @Test
    void withLabels_65Labels_throwsInvalidInput() {
      assertThatThrownBy(() -> SecretAttributes.none().withLabels(labels(65)))
          .isInstanceOf(InvalidInputException.class)
          .hasMessage("65 labels; the limit is 64");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "0", "env", "team.name", "a-b_c.d", "9lives"})
    void withLabels_validKey_isAccepted(String key) {
      assertThat(SecretAttributes.none().withLabels(Map.of(key, "v")).labels())
          .containsEntry(key, "v");
    }

    @Test
    void withLabels_63CharacterKey_isAccepted() {
      String key = "k".repeat(63);

      assertThat(SecretAttributes.none().withLabels(Map.of(key, "v")).labels()).containsKey(key);
    }

    @Test
    void withLabels_64CharacterKey_throwsInvalidInput() {
      String key = "k".repeat(64);

      assertThatThrownBy(() -> SecretAttributes.none().withLabels(Map.of(key, "v")))
          .isInstanceOf(InvalidInputException.class)
          .hasMessage("label key '" + "k".repeat(64) + "'" + KEY_RULE);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "",
          "Env",
          "ENV",
          "-env",
          ".env",
          "_env",
          "env name",
          "env/x",
          "ümlaut",
          "env:x"
        })
    void withLabels_invalidKey_throwsInvalidInputNamingKey(String key) {
      assertThatThrownBy(() -> SecretAttributes.none().withLabels(Map.of(key, "v")))
          .isInstanceOf(InvalidInputException.class)
          .hasMessage("label key " + SecretName.quote(key) + KEY_RULE);
    }

    @Test
    void withLabels_keyWithNewline_messageEscapesIt() {
      assertThatThrownBy(() -> SecretAttributes.none().withLabels(Map.of("a\nb", "v")))
          .isInstanceOf(InvalidInputException.class)
          .hasMessage("label key 'a\\u000ab'" + KEY_RULE);
    }

    @Test
    void withLabels_256CharacterValue_isAccepted() {
      String value = "v".repeat(256);

      assertThat(SecretAttributes.none().withLabels(Map.of("k", value)).labels())
          .containsEntry("k", value);
    }

    @Test
    void withLabels_257CharacterValue_throwsInvalidInputWithoutValue() {
      String value = "S3NTINEL-" + "v".repeat(248);

      assertThat(value).hasSize(257);
      assertThatThrownBy(() -> SecretAttributes.none().withLabels(Map.of("k", value)))
          .isInstanceOf(InvalidInputException.class)
          .hasMessage(
              "value of label 'k' must be at most 256 characters with no control characters");
    }

    @Test
    void withLabels_controlCharacterInValue_throwsInvalidInputWithoutValue() {
      assertThatThrownBy(() -> SecretAttributes.none().withLabels(Map.of("k", "S3NTINEL\nFAKE")))
          .isInstanceOf(InvalidInputException.class)
          .hasMessage(
              "value of label 'k' must be at most 256 characters with no control characters");
    }

    @Test
    void withLabels_emptyValue_isAccepted() {
      assertThat(SecretAttributes.none().withLabels(Map.of("k", "")).labels())
          .containsEntry("k", "");
    }

    @Test
    void labels_inputMutatedAfterwards_attributesUnchanged() {
      Map<String, String> input = new HashMap<>(Map.of("b", "2", "a", "1"));
      SecretAttributes attributes = SecretAttributes.none().withLabels(input);

      input.put("c", "3");

      assertThat(attributes.labels()).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
    }

    @Test
    void labels_returnedMap_isUnmodifiable() {
      SecretAttributes attributes = SecretAttributes.none().withLabels(Map.of("a", "1"));

      assertThatThrownBy(() -> attributes.labels().put("b", "2"))
          .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void labels_insertionOrder_areSortedByKey() {
      Map<String, String> input = new LinkedHashMap<>();
      input.put("zeta", "1");
      input.put("alpha", "2");
      input.put("mid", "3");

      assertThat(SecretAttributes.none().withLabels(input).labels().keySet())
          .containsExactly("alpha", "mid", "zeta");
    }

    @Test
    void withLabels_nullValue_throwsNullPointerException() {
      Map<String, String> input = new HashMap<>();
      input.put("k", null);

      assertThatThrownBy(() -> SecretAttributes.none().withLabels(input))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("label value");
    }
  }

  @Nested
  @DisplayName("expiry")
  class Expiry {
    @Test
    void withExpiry_thenWithoutExpiry_setsAndClears() {
      Instant when = Instant.parse("2030-01-01T00:00:00Z");

      SecretAttributes expiring = SecretAttributes.none().withExpiry(when);

      assertThat(expiring.expiresAt()).contains(when);
      assertThat(expiring.withoutExpiry().expiresAt()).isEmpty();
    }

    @Test
    void constructor_nullExpiry_throwsNullPointerException() {
      assertThatThrownBy(() -> new SecretAttributes("", Map.of(), null))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("expiresAt");
    }

    @Test
    void withDescription_keepsLabelsAndExpiry() {
      Instant when = Instant.parse("2030-01-01T00:00:00Z");
      SecretAttributes base = new SecretAttributes("", Map.of("k", "v"), Optional.of(when));

      SecretAttributes changed = base.withDescription("new");

      assertThat(changed)
          .isEqualTo(new SecretAttributes("new", Map.of("k", "v"), Optional.of(when)));
    }
  }
}
