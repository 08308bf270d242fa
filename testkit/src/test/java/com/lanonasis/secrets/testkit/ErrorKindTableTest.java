package com.lanonasis.secrets.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.lanonasis.secrets.SecretsException;
import com.lanonasis.secrets.SecretsException.Kind;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("docs/errors.md and the sealed exception family agree")
class ErrorKindTableTest {
  private final ErrorKindTable table = ErrorKindTable.read();

  @Test
  @DisplayName("the samples hold one instance of every concrete class of the sealed family")
  void oneOfEachClass_coversTheSealedFamily() {
    Set<Class<?>> concrete = new HashSet<>();
    Deque<Class<?>> todo = new ArrayDeque<>();
    todo.add(SecretsException.class);
    while (!todo.isEmpty()) {
      Class<?> c = todo.pop();
      if (!Modifier.isAbstract(c.getModifiers())) {
        concrete.add(c);
      }
      if (c.isSealed()) {
        todo.addAll(java.util.List.of(c.getPermittedSubclasses()));
      }
    }
    assertThat(
            ErrorKindTable.oneOfEachClass().stream()
                .map(Object::getClass)
                .collect(Collectors.toSet()))
        .containsExactlyInAnyOrderElementsOf(concrete);
  }

  @Test
  @DisplayName(
      "each class is listed in the Java column of its kind's row, and each listed class has that kind")
  void javaColumn_namesExactlyTheClassesOfEachKind() {
    for (Kind kind : Kind.values()) {
      Set<String> ofKind =
          ErrorKindTable.oneOfEachClass().stream()
              .filter(e -> e.kind() == kind)
              .map(e -> e.getClass().getSimpleName())
              .collect(Collectors.toSet());
      assertThat(ofKind).as("kind %s has a class", kind).isNotEmpty();
      assertThat(table.row(kind).javaExceptions())
          .as(kind.name())
          .containsExactlyInAnyOrderElementsOf(ofKind);
    }
  }

  @Test
  @DisplayName("isRetryable is true exactly for UNAVAILABLE")
  void isRetryable_exactlyUnavailable() {
    for (SecretsException e : ErrorKindTable.oneOfEachClass()) {
      assertThat(e.isRetryable())
          .as(e.getClass().getSimpleName())
          .isEqualTo(e.kind() == Kind.UNAVAILABLE);
    }
  }

  @Test
  @DisplayName("every kind has a row with every surface filled in")
  void read_everyKindHasAFullRow() {
    assertThat(table.rows()).extracting(ErrorKindTable.Row::kind).containsExactly(Kind.values());
    assertThat(table.row(Kind.GONE).restStatus()).isEqualTo(410);
    assertThat(table.row(Kind.GONE).problemCodes())
        .containsExactly("keyset_destroyed", "value_gone");
    assertThat(table.row(Kind.DENIED).cliExit()).isEqualTo(4);
    assertThat(table.row(Kind.UNAUTHENTICATED).typeScriptErrors())
        .containsExactly("AuthenticationError");
    assertThat(table.row(Kind.INTEGRITY).mcpToolError()).isEqualTo("error");
  }
}
