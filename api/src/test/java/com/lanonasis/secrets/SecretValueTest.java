package com.lanonasis.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SecretValueTest {
  private static final String SENTINEL = "S3NTINEL-secret-value-7f3a";

  @Nested
  @DisplayName("copies its bytes in and out")
  class Copies {
    @Test
    void of_inputMutatedAfterwards_valueUnchanged() {
      byte[] input = {1, 2, 3};
      SecretValue value = SecretValue.of(input);

      input[0] = 99;

      assertThat(value.bytes()).containsExactly(1, 2, 3);
    }

    @Test
    void bytes_returnedArrayMutated_valueUnchanged() {
      SecretValue value = SecretValue.of(new byte[] {1, 2, 3});

      byte[] out = value.bytes();
      out[0] = 99;

      assertThat(value.bytes()).containsExactly(1, 2, 3);
      assertThat(value.bytes()).isNotSameAs(value.bytes());
    }

    @Test
    void ofUtf8Chars_inputMutatedAfterwards_valueUnchanged() {
      char[] chars = "hunter22".toCharArray();
      SecretValue value = SecretValue.ofUtf8(chars);

      chars[0] = 'X';

      assertThat(value.asUtf8()).isEqualTo("hunter22");
    }

    @Test
    void copy_originalWiped_copyStillReadable() {
      SecretValue original = SecretValue.ofUtf8("abc");
      SecretValue copy = original.copy();

      original.wipe();

      assertThat(copy.asUtf8()).isEqualTo("abc");
      assertThat(copy.isWiped()).isFalse();
    }

    @Test
    void of_null_throwsNullPointerExceptionNamingParameter() {
      assertThatThrownBy(() -> SecretValue.of((byte[]) null))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("bytes");
    }
  }

  @Nested
  @DisplayName("never prints its content")
  class Redaction {
    @Test
    void toString_anyContent_isRedacted() {
      SecretValue value = SecretValue.ofUtf8(SENTINEL);

      assertThat(value.toString()).isEqualTo("SecretValue[redacted]");
      assertThat(String.valueOf(value)).doesNotContain(SENTINEL);
      assertThat("value=" + value).isEqualTo("value=SecretValue[redacted]");
    }

    @Test
    void toString_emptyValue_isRedacted() {
      assertThat(SecretValue.of(new byte[0]).toString()).isEqualTo("SecretValue[redacted]");
    }

    @Test
    void toString_afterWipe_isRedacted() {
      SecretValue value = SecretValue.ofUtf8(SENTINEL);
      value.wipe();

      assertThat(value.toString()).isEqualTo("SecretValue[redacted]");
    }
  }

  @Nested
  @DisplayName("compares by content without exposing it")
  class Equality {
    @Test
    void equals_sameContent_isEqualWithSameHashCode() {
      SecretValue a = SecretValue.ofUtf8("same-content");
      SecretValue b = SecretValue.of("same-content".getBytes(StandardCharsets.UTF_8));

      assertThat(a).isEqualTo(b);
      assertThat(b).isEqualTo(a);
      assertThat(a.hashCode()).isEqualTo(b.hashCode());
    }

    @Test
    void equals_differentContentSameLength_isNotEqual() {
      assertThat(SecretValue.ofUtf8("aaaa")).isNotEqualTo(SecretValue.ofUtf8("aaab"));
    }

    @Test
    void equals_differentLength_isNotEqual() {
      assertThat(SecretValue.ofUtf8("aaaa")).isNotEqualTo(SecretValue.ofUtf8("aaaaa"));
    }

    @Test
    void equals_nullOrOtherType_isFalse() {
      SecretValue value = SecretValue.ofUtf8("x");

      assertThat(value.equals(null)).isFalse();
      assertThat(value.equals("x")).isFalse();
      assertThat(value.equals(new byte[] {'x'})).isFalse();
    }

    @Test
    void equals_self_isTrue() {
      SecretValue value = SecretValue.ofUtf8("x");

      assertThat(value.equals(value)).isTrue();
    }

    @Test
    void hashCode_differentContentSameLength_isTheSame() {
      SecretValue a = SecretValue.of(new byte[] {0, 0, 0, 0});
      SecretValue b = SecretValue.of(new byte[] {(byte) 0xff, 1, 2, 3});
      SecretValue c = SecretValue.ofUtf8(SENTINEL.substring(0, 4));

      assertThat(a.hashCode()).isEqualTo(b.hashCode()).isEqualTo(c.hashCode()).isEqualTo(4);
    }

    @Test
    void equals_oneSideWiped_isNotEqual() {
      SecretValue a = SecretValue.ofUtf8("abc");
      SecretValue b = SecretValue.ofUtf8("abc");

      a.wipe();

      assertThat(a).isNotEqualTo(b);
      assertThat(b).isNotEqualTo(a);
    }
  }

  @Nested
  @DisplayName("can be wiped")
  class Wiping {
    @Test
    void wipe_adoptedArray_isZeroed() {
      byte[] backing = SENTINEL.getBytes(StandardCharsets.UTF_8);
      SecretValue value = SecretValue.adopt(backing);

      value.wipe();

      assertThat(backing).containsOnly(0);
      assertThat(value.isWiped()).isTrue();
    }

    @Test
    void bytes_afterWipe_throwsIllegalStateWithoutContent() {
      SecretValue value = SecretValue.ofUtf8(SENTINEL);
      value.wipe();

      assertThatThrownBy(value::bytes)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("secret value was wiped")
          .hasNoCause();
    }

    @Test
    void asUtf8_afterWipe_throwsIllegalStateWithoutContent() {
      SecretValue value = SecretValue.ofUtf8(SENTINEL);
      value.wipe();

      assertThatThrownBy(value::asUtf8)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("secret value was wiped");
    }

    @Test
    void copy_afterWipe_throwsIllegalState() {
      SecretValue value = SecretValue.ofUtf8(SENTINEL);
      value.wipe();

      assertThatThrownBy(value::copy)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("secret value was wiped");
    }

    @Test
    void length_afterWipe_stillAnswers() {
      SecretValue value = SecretValue.ofUtf8("12345");
      value.wipe();

      assertThat(value.length()).isEqualTo(5);
    }

    @Test
    void wipe_calledTwice_isIdempotent() {
      SecretValue value = SecretValue.ofUtf8("abc");

      value.wipe();
      value.wipe();

      assertThat(value.isWiped()).isTrue();
    }

    @Test
    void close_tryWithResources_wipes() {
      byte[] backing = {9, 9, 9};
      SecretValue value = SecretValue.adopt(backing);

      try (SecretValue v = value) {
        assertThat(v.bytes()).containsExactly(9, 9, 9);
      }

      assertThat(value.isWiped()).isTrue();
      assertThat(backing).containsOnly(0);
    }
  }

  @Nested
  @DisplayName("encodes text as UTF-8")
  class Utf8 {
    @Test
    void ofUtf8Chars_asciiAndUnicode_roundTrips() {
      String text = "pässwörd 🔑 密码 ключ ✓";

      SecretValue value = SecretValue.ofUtf8(text.toCharArray());

      assertThat(value.asUtf8()).isEqualTo(text);
      assertThat(value.bytes()).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
      assertThat(value).isEqualTo(SecretValue.ofUtf8(text));
    }

    @Test
    void ofUtf8Chars_emoji_encodesSurrogatePairAsFourBytes() {
      SecretValue value = SecretValue.ofUtf8("🔑".toCharArray());

      assertThat(value.length()).isEqualTo(4);
      assertThat(value.bytes()).containsExactly(0xf0, 0x9f, 0x94, 0x91);
    }

    @Test
    void ofUtf8Chars_empty_isEmptyValue() {
      assertThat(SecretValue.ofUtf8(new char[0]).length()).isZero();
    }

    @Test
    void ofUtf8Chars_unpairedHighSurrogateAtEnd_throwsIllegalArgument() {
      char[] chars = {'S', '3', 'N', '\uD83D'};

      assertThatThrownBy(() -> SecretValue.ofUtf8(chars))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("chars are not valid UTF-16 (unpaired surrogate)")
          .hasNoCause();
    }

    @Test
    void ofUtf8Chars_unpairedLowSurrogateInMiddle_throwsIllegalArgumentWithoutContent() {
      char[] chars = (SENTINEL + "\uDC00" + SENTINEL).toCharArray();

      assertThatThrownBy(() -> SecretValue.ofUtf8(chars))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("chars are not valid UTF-16 (unpaired surrogate)")
          .satisfies(e -> assertThat(e.toString()).doesNotContain(SENTINEL));
    }

    @Test
    void asUtf8_malformedUtf8Bytes_decodesAsReplacementCharacter() {
      SecretValue value = SecretValue.of(new byte[] {'a', (byte) 0xff, 'b'});

      assertThat(value.asUtf8()).isEqualTo("a\uFFFDb");
    }
  }

  @Nested
  @DisplayName("holds arbitrary bytes")
  class Binary {
    @Test
    void of_allByteValues_roundTrips() {
      byte[] all = new byte[256];
      for (int i = 0; i < 256; i++) {
        all[i] = (byte) i;
      }

      SecretValue value = SecretValue.of(all);

      assertThat(value.length()).isEqualTo(256);
      assertThat(value.bytes()).isEqualTo(all);
      assertThat(value.copy().bytes()).isEqualTo(all);
    }

    @Test
    void of_emptyArray_hasLengthZero() {
      SecretValue value = SecretValue.of(new byte[0]);

      assertThat(value.length()).isZero();
      assertThat(value.bytes()).isEmpty();
      assertThat(value.asUtf8()).isEmpty();
    }
  }
}
