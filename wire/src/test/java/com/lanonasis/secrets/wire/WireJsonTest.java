package com.lanonasis.secrets.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireJsonTest {
  private final ObjectMapper strict = WireJson.mapper();
  private final ObjectMapper lenient = WireJson.responseMapper();

  @Test
  void mapper_recordBody_bindsEveryComponent() throws Exception {
    SecretWrite w =
        strict.readValue(
            "{\"key\":\"a/b\",\"value\":\"v\",\"expectedVersion\":0,"
                + "\"labels\":{\"team\":\"x\"}}",
            SecretWrite.class);
    assertThat(w.key()).isEqualTo("a/b");
    assertThat(w.expectedVersion()).isZero();
    assertThat(w.labels()).isEqualTo(Map.of("team", "x"));
    assertThat(w.valueBase64()).isNull();
  }

  @Test
  void mapper_unknownProperty_isRefused() {
    assertThatThrownBy(
            () ->
                strict.readValue("{\"key\":\"a\",\"value\":\"v\",\"colour\":1}", SecretWrite.class))
        .isInstanceOf(UnrecognizedPropertyException.class);
  }

  @Test
  void mapper_duplicateKeyOrTrailingTokens_areRefused() {
    assertThatThrownBy(() -> strict.readValue("{\"key\":\"a\",\"key\":\"b\"}", SecretWrite.class))
        .isInstanceOf(JsonProcessingException.class)
        .hasMessageContaining("Duplicate field");
    assertThatThrownBy(() -> strict.readValue("{\"key\":\"a\"} {}", SecretWrite.class))
        .isInstanceOf(MismatchedInputException.class)
        .hasMessageContaining("Trailing token");
  }

  @Test
  void mapper_wrongScalarTypes_areRefusedNotConverted() {
    assertThatThrownBy(() -> strict.readValue("{\"key\":5}", SecretWrite.class))
        .isInstanceOf(MismatchedInputException.class);
    assertThatThrownBy(
            () -> strict.readValue("{\"key\":\"a\",\"expectedVersion\":\"3\"}", SecretWrite.class))
        .isInstanceOf(MismatchedInputException.class);
    assertThatThrownBy(
            () -> strict.readValue("{\"key\":\"a\",\"expectedVersion\":1.5}", SecretWrite.class))
        .isInstanceOf(MismatchedInputException.class);
    assertThatThrownBy(() -> strict.readValue("{\"key\":\"a\",\"labels\":\"\"}", SecretWrite.class))
        .isInstanceOf(MismatchedInputException.class);
  }

  @Test
  void responseMapper_unknownProperty_isIgnored() throws Exception {
    SecretWritten w =
        lenient.readValue(
            "{\"key\":\"a\",\"version\":2,\"createdAt\":\"t\",\"newField\":true}",
            SecretWritten.class);
    assertThat(w).isEqualTo(new SecretWritten("a", 2, "t"));
  }

  @Test
  void toString_ofBodiesWithValuesOrKeys_showsNeither() {
    String value = "S3NTINEL-value";
    String key = "lns_0123456789abcdef_S3NTINELkey";
    assertThat(new SecretWrite("n", value, null, null, null, null, null).toString())
        .doesNotContain(value);
    assertThat(new SecretValueBody("n", value, null, 1, "t").toString()).doesNotContain(value);
    assertThat(
            new ApiKeyCreated("0123456789abcdef", key, "default", Role.ADMIN, "", "t").toString())
        .doesNotContain("S3NTINEL");
  }

  @Test
  void role_parse_isCaseInsensitiveAndNamesTheRolesWhenRefused() {
    assertThat(Role.parse(" read_only ")).isEqualTo(Role.READ_ONLY);
    assertThatThrownBy(() -> Role.parse("GOD"))
        .hasMessage("a role is ADMIN, READ_WRITE or READ_ONLY");
  }
}
