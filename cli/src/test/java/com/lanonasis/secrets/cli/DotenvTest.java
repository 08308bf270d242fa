package com.lanonasis.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DotenvTest {
  static final String SENTINEL = "S3NTINEL-dotenv";

  /** Awkward values, each of which must come back exactly. */
  static final Map<String, String> AWKWARD = awkward();

  static Map<String, String> awkward() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("PLAIN", "abc-123_./:@+,=");
    m.put("EMPTY", "");
    m.put("SPACES", "  leading and trailing  ");
    m.put("SINGLE", "it's");
    m.put("DOUBLE", "say \"hi\"");
    m.put("BOTH", "it's \"both\"");
    m.put("DOLLAR", "$HOME and ${PATH} and $(id)");
    m.put("DOLLAR_QUOTE", "'$HOME'");
    m.put("BACKSLASH", "C:\\path\\n\\\\");
    m.put("BACKSLASH_QUOTE", "\\'\\\"");
    m.put("NEWLINES", "line one\nline two\n");
    m.put("PEM", "-----BEGIN KEY-----\nMIIB'x'\n-----END KEY-----\n");
    m.put("CR", "a\r\nb\rc");
    m.put("TAB", "a\tb");
    m.put("HASH", "value # not a comment");
    m.put("HASH_ONLY", "#");
    m.put("EQUALS", "a=b=c");
    m.put("UNICODE", "pässwörd ✓ 日本 🔑");
    m.put("BOM_INSIDE", "\uFEFFx");
    m.put("BACKTICK", "`id`");
    return m;
  }

  static Map<String, String> asMap(Dotenv.Parsed p) {
    assertThat(p.problems()).isEmpty();
    return p.entries().stream()
        .collect(
            Collectors.toMap(
                Dotenv.Entry::key, Dotenv.Entry::value, (a, b) -> a, LinkedHashMap::new));
  }

  @Nested
  @DisplayName("format then parse gives back every value exactly")
  class RoundTrip {
    @Test
    void format_awkwardValues_parseBackExactly() {
      String text = Dotenv.format(AWKWARD);
      assertThat(asMap(Dotenv.parse(text))).containsExactlyEntriesOf(AWKWARD);
    }

    @Test
    void format_crlfAndBom_stillParseBackExactly() {
      String text = "\uFEFF" + Dotenv.format(AWKWARD).replace("\n", "\r\n");
      assertThat(asMap(Dotenv.parse(text))).containsExactlyEntriesOf(AWKWARD);
    }

    @Test
    void quote_choosesPlainSingleOrDouble() {
      assertThat(Dotenv.quote("abc")).isEqualTo("abc");
      assertThat(Dotenv.quote("")).isEqualTo("''");
      assertThat(Dotenv.quote("$HOME \"x\"")).isEqualTo("'$HOME \"x\"'");
      assertThat(Dotenv.quote("it's $HOME\n")).isEqualTo("\"it's \\$HOME\\n\"");
      assertThat(Dotenv.quote("a\\'b")).isEqualTo("\"a\\\\'b\"");
    }
  }

  @Nested
  @DisplayName("parse reads what people write")
  class Parse {
    @Test
    void parse_commentsBlankLinesExportAndSpaces_areRead() {
      String text =
          "# a comment\n\n   \nexport A=1\n  B = two words   # comment\nC='x' # c\nD=\"y\"\n"
              + "E=a#b\nexport=3\n";
      assertThat(asMap(Dotenv.parse(text)))
          .containsExactly(
              Map.entry("A", "1"),
              Map.entry("B", "two words"),
              Map.entry("C", "x"),
              Map.entry("D", "y"),
              Map.entry("E", "a#b"),
              Map.entry("export", "3"));
    }

    @Test
    void parse_quotedValuesSpanningLines_keepTheirLineBreaks_andLineNumbersStayRight() {
      String text = "A=\"one\ntwo\"\nB='x\ny\nz'\nC=3\nD\n";
      Dotenv.Parsed p = Dotenv.parse(text);
      assertThat(p.entries())
          .extracting(Dotenv.Entry::key, Dotenv.Entry::value, Dotenv.Entry::line)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("A", "one\ntwo", 1),
              org.assertj.core.groups.Tuple.tuple("B", "x\ny\nz", 3),
              org.assertj.core.groups.Tuple.tuple("C", "3", 6));
      assertThat(p.problems()).extracting(Dotenv.Problem::line).containsExactly(7);
    }

    @Test
    void parse_singleQuotes_areLiteral_doubleQuotesUnescape() {
      assertThat(asMap(Dotenv.parse("A='a\\nb $X'\nB=\"a\\nb \\$X \\\\ \\\" \\t \\r\"\n")))
          .containsExactly(Map.entry("A", "a\\nb $X"), Map.entry("B", "a\nb $X \\ \" \t \r"));
    }

    @Test
    void parse_aCrlfFile_readsLineBreaksAsLf() {
      assertThat(asMap(Dotenv.parse("A=1\r\nB=\"x\r\ny\"\r\n")))
          .containsExactly(Map.entry("A", "1"), Map.entry("B", "x\ny"));
    }

    @Test
    void parse_noFinalNewlineAndEmptyValues_work() {
      assertThat(asMap(Dotenv.parse("A=\nB=''\nC=\"\"\nD=")))
          .containsExactly(
              Map.entry("A", ""), Map.entry("B", ""), Map.entry("C", ""), Map.entry("D", ""));
    }
  }

  @Nested
  @DisplayName("a line that does not parse is reported by number, never with its value")
  class Problems {
    @Test
    void parse_badLines_areReportedWithLineNumbers_withoutTheValue() {
      String text =
          String.join(
                  "\n",
                  "OK=1",
                  "no equals " + SENTINEL,
                  "A=\"" + SENTINEL + "\" trailing",
                  "B=\"" + SENTINEL + "\\q\"",
                  "OK=2",
                  "bad key=" + SENTINEL,
                  "C='" + SENTINEL)
              + "\n";
      Dotenv.Parsed p = Dotenv.parse(text);
      assertThat(p.entries()).extracting(Dotenv.Entry::key).containsExactly("OK");
      assertThat(p.problems()).extracting(Dotenv.Problem::line).containsExactly(2, 3, 4, 5, 6, 7);
      assertThat(p.problems())
          .extracting(Dotenv.Problem::message)
          .allSatisfy(m -> assertThat(m).doesNotContain(SENTINEL).doesNotContain("q\""));
      assertThat(p.problems().get(1).message())
          .isEqualTo("A: text after the closing quote (quote the whole value)");
      assertThat(p.problems().get(2).message())
          .startsWith("B: a backslash in double quotes must start");
      assertThat(p.problems().get(3).message()).isEqualTo("OK is already set on line 1");
      assertThat(p.problems().get(5).message())
          .isEqualTo("C: the single quote opened on this line is never closed");
    }

    @Test
    void parse_anUnclosedDoubleQuote_isReportedOnItsFirstLine_andStopsTheParse() {
      Dotenv.Parsed p = Dotenv.parse("A=1\nB=\"" + SENTINEL + "\nC=2\n");
      assertThat(p.problems())
          .containsExactly(
              new Dotenv.Problem(2, "B: the double quote opened on this line is never closed"));
      assertThat(p.entries()).extracting(Dotenv.Entry::key).containsExactly("A");
    }

    @Test
    void entry_toString_hidesTheValue() {
      List<Dotenv.Entry> entries = Dotenv.parse("A=" + SENTINEL + "\n").entries();
      assertThat(entries.get(0).toString()).doesNotContain(SENTINEL).contains("A");
    }
  }

  /**
   * The grammar's shared cases (docs/dotenv-vectors.json), which the dashboard's ui/dotenv.js
   * passes too.
   */
  @Nested
  @DisplayName("the shared vectors of docs/dotenv.md pass")
  class Vectors {
    static final Path FILE = Path.of("..", "docs", "dotenv-vectors.json");

    static JsonNode vectors(String section) throws IOException {
      JsonNode cases = new ObjectMapper().readTree(Files.readString(FILE)).get(section);
      assertThat(cases).as(section).isNotEmpty();
      return cases;
    }

    static List<JsonNode> exportCases() throws IOException {
      List<JsonNode> cases = new ArrayList<>();
      vectors("export").forEach(cases::add);
      return cases;
    }

    static List<JsonNode> parseCases() throws IOException {
      List<JsonNode> cases = new ArrayList<>();
      vectors("parse").forEach(cases::add);
      return cases;
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("exportCases")
    void format_eachVector_writesItsLine_andReadsBackTheValue(JsonNode c) {
      String key = c.get("key").asText();
      String value = c.get("value").asText();
      Map<String, String> one = new LinkedHashMap<>();
      one.put(key, value);
      String text = Dotenv.format(one);
      assertThat(text).as(key).isEqualTo(c.get("line").asText() + "\n");
      assertThat(asMap(Dotenv.parse(text))).as(key).containsExactly(Map.entry(key, value));
    }

    @Test
    void format_allVectorsInOneFile_readBackExactly() throws IOException {
      Map<String, String> all = new LinkedHashMap<>();
      StringBuilder lines = new StringBuilder();
      for (JsonNode c : exportCases()) {
        all.put(c.get("key").asText(), c.get("value").asText());
        lines.append(c.get("line").asText()).append('\n');
      }
      assertThat(Dotenv.format(all)).isEqualTo(lines.toString());
      assertThat(asMap(Dotenv.parse(lines.toString()))).containsExactlyEntriesOf(all);
    }

    /**
     * The CLI's form of a refusal: {@code KEY: error}, unless the error already starts with the
     * key.
     */
    static String message(JsonNode e) {
      String error = e.get("error").asText();
      if (!e.has("key") || error.startsWith(e.get("key").asText() + " ")) {
        return error;
      }
      return e.get("key").asText() + ": " + error;
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("parseCases")
    void parse_eachVector_givesItsEntriesAndErrors(JsonNode c) {
      Dotenv.Parsed p = Dotenv.parse(c.get("input").asText());
      List<String> entries = new ArrayList<>();
      c.get("entries")
          .forEach(
              e ->
                  entries.add(
                      e.get("line").asInt()
                          + " "
                          + e.get("key").asText()
                          + "="
                          + e.get("value").asText()));
      List<String> problems = new ArrayList<>();
      c.get("errors").forEach(e -> problems.add(e.get("line").asInt() + " " + message(e)));
      String name = c.get("name").asText();
      assertThat(p.entries())
          .as(name)
          .extracting(e -> e.line() + " " + e.key() + "=" + e.value())
          .containsExactlyElementsOf(entries);
      assertThat(p.problems())
          .as(name)
          .extracting(e -> e.line() + " " + e.message())
          .containsExactlyElementsOf(problems);
      assertThat(p.problems())
          .extracting(Dotenv.Problem::message)
          .allSatisfy(m -> assertThat(m).doesNotContain("S3NTINEL"));
    }
  }
}
