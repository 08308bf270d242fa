package com.lanonasis.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ListOptionsTest {

  @Test
  void all_defaults_noPrefixDefaultLimitNoCursor() {
    ListOptions all = ListOptions.all();

    assertThat(all.prefix()).isEmpty();
    assertThat(all.limit()).isEqualTo(ListOptions.DEFAULT_LIMIT).isEqualTo(100);
    assertThat(all.cursor()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 100, 999, 1000})
  void withLimit_inRange_isAccepted(int limit) {
    assertThat(ListOptions.all().withLimit(limit).limit()).isEqualTo(limit);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 1001, Integer.MAX_VALUE, Integer.MIN_VALUE})
  void withLimit_outOfRange_throwsInvalidInputNamingLimit(int limit) {
    assertThatThrownBy(() -> ListOptions.all().withLimit(limit))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("limit must be between 1 and 1000: " + limit);
  }

  @ParameterizedTest
  @ValueSource(strings = {"prod/", "prod/db", "p", "a.b_c-d/", "/", "prod/d"})
  void prefix_nameCharactersAndSlashes_isAccepted(String prefix) {
    assertThat(ListOptions.prefix(prefix).prefix()).isEqualTo(prefix);
  }

  @Test
  void prefix_withSpace_throwsInvalidInputNamingIndex() {
    assertThatThrownBy(() -> ListOptions.prefix("prod db"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("prefix 'prod db' has a character outside [A-Za-z0-9._-/] at index 4");
  }

  @Test
  void prefix_withControlCharacter_messageEscapesIt() {
    assertThatThrownBy(() -> ListOptions.prefix("a\nFAKE"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("prefix 'a\\u000aFAKE' has a character outside [A-Za-z0-9._-/] at index 1");
  }

  @Test
  void prefix_withPercent_throwsInvalidInput() {
    assertThatThrownBy(() -> ListOptions.prefix("a%"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("prefix 'a%' has a character outside [A-Za-z0-9._-/] at index 1");
  }

  @Test
  void prefix_256Characters_isAccepted() {
    assertThat(ListOptions.prefix("p".repeat(256)).prefix()).hasSize(256);
  }

  @Test
  void prefix_257Characters_throwsInvalidInput() {
    assertThatThrownBy(() -> ListOptions.prefix("p".repeat(257)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("prefix is longer than 256 characters");
  }

  @Test
  void after_cursor_keepsPrefixAndLimit() {
    ListOptions next = ListOptions.prefix("prod/").withLimit(50).after("opaque-cursor");

    assertThat(next.prefix()).isEqualTo("prod/");
    assertThat(next.limit()).isEqualTo(50);
    assertThat(next.cursor()).contains("opaque-cursor");
  }

  @Test
  void after_null_throwsNullPointerException() {
    assertThatThrownBy(() -> ListOptions.all().after(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("nextCursor");
  }
}
