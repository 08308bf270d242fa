package com.lanonasis.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The api module's dependency rules, checked on the compiled classes with the JDK's own {@code
 * jdeps -verbose:class} (nested classes count as their top-level class). The packages root and
 * {@code spi} necessarily use each other (the facade opens providers; the SPI speaks in value
 * types), so the rule is the strongest one that can hold: no cycle of classes crosses a package
 * boundary, and the SPI and the internals never reach back into the facade.
 */
@DisplayName("the api module's classes depend on each other in one direction across packages")
class PackageCycleTest {
  private static final String ROOT = "com.lanonasis.secrets";
  private static final Pattern EDGE =
      Pattern.compile(
          "^\\s+("
              + Pattern.quote(ROOT)
              + "[\\w.$]*)\\s+->\\s+("
              + Pattern.quote(ROOT)
              + "[\\w.$]*)\\s");

  @Test
  @DisplayName("every cycle of classes lies inside one package")
  void classCycles_stayInsideOnePackage() throws Exception {
    Map<String, Set<String>> graph = classGraph();
    assertThat(graph)
        .as("jdeps saw the module")
        .containsKeys(
            ROOT + ".SecretStores",
            ROOT + ".spi.StoreRequest",
            ROOT + ".internal.CachingSecretStore");
    assertThat(crossPackageCycles(graph))
        .as("strongly connected classes spanning packages")
        .isEmpty();
  }

  @Test
  @DisplayName(
      "the SPI never reaches the facade, the crypto core or the internals; the internals never the facade")
  void spiAndInternal_neverReachBack() throws Exception {
    Map<String, Set<String>> graph = classGraph();
    List<String> wrong = new ArrayList<>();
    graph.forEach(
        (from, tos) -> {
          for (String to : tos) {
            boolean spiBack =
                packageOf(from).equals(ROOT + ".spi")
                    && (to.equals(ROOT + ".SecretStores")
                        || to.equals(ROOT + ".EncryptedSecretStore")
                        || to.equals(ROOT + ".TenantKeyring")
                        || to.equals(ROOT + ".MasterKeyring")
                        || packageOf(to).equals(ROOT + ".internal"));
            boolean internalBack =
                packageOf(from).equals(ROOT + ".internal")
                    && (to.equals(ROOT + ".SecretStores")
                        || to.equals(ROOT + ".EncryptedSecretStore")
                        || packageOf(to).equals(ROOT + ".spi"));
            if (spiBack || internalBack) {
              wrong.add(from + " -> " + to);
            }
          }
        });
    assertThat(wrong).isEmpty();
  }

  @Test
  @DisplayName(
      "the check itself: a cycle through two packages is found, one inside a package is not")
  void crossPackageCycles_syntheticGraphs_foundOnlyAcrossPackages() {
    Map<String, Set<String>> across =
        Map.of("a.X", Set.of("b.Y"), "b.Y", Set.of("b.Z"), "b.Z", Set.of("a.X"));
    assertThat(crossPackageCycles(across)).containsExactly(List.of("a.X", "b.Y", "b.Z"));
    Map<String, Set<String>> inside =
        Map.of("a.X", Set.of("a.W", "b.Y"), "a.W", Set.of("a.X"), "b.Y", Set.of());
    assertThat(crossPackageCycles(inside)).isEmpty();
  }

  /**
   * Each strongly connected set of classes (Tarjan) that holds classes of more than one package.
   */
  static List<List<String>> crossPackageCycles(Map<String, Set<String>> graph) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new java.util.HashSet<>();
    List<List<String>> out = new ArrayList<>();
    int[] counter = {0};
    for (String v : new TreeSet<>(graph.keySet())) {
      if (!index.containsKey(v)) {
        strongConnect(v, graph, index, low, stack, onStack, counter, out);
      }
    }
    return out;
  }

  private static void strongConnect(
      String v,
      Map<String, Set<String>> graph,
      Map<String, Integer> index,
      Map<String, Integer> low,
      Deque<String> stack,
      Set<String> onStack,
      int[] counter,
      List<List<String>> out) {
    index.put(v, counter[0]);
    low.put(v, counter[0]++);
    stack.push(v);
    onStack.add(v);
    for (String w : new TreeSet<>(graph.getOrDefault(v, Set.of()))) {
      if (!index.containsKey(w)) {
        strongConnect(w, graph, index, low, stack, onStack, counter, out);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      TreeSet<String> component = new TreeSet<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        component.add(w);
      } while (!w.equals(v));
      if (component.stream().map(PackageCycleTest::packageOf).distinct().count() > 1) {
        out.add(List.copyOf(component));
      }
    }
  }

  private static String packageOf(String className) {
    return className.substring(0, className.lastIndexOf('.'));
  }

  /**
   * Class → classes of this module it uses, from {@code jdeps -verbose:class} on target/classes.
   */
  private static Map<String, Set<String>> classGraph()
      throws IOException, InterruptedException, URISyntaxException {
    Path classes =
        Path.of(SecretStores.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path jdeps = Path.of(System.getProperty("java.home"), "bin", "jdeps");
    assertThat(Files.isExecutable(jdeps)).as("the JDK's jdeps at " + jdeps).isTrue();
    Process p =
        new ProcessBuilder(jdeps.toString(), "-verbose:class", "-filter:none", classes.toString())
            .redirectErrorStream(true)
            .start();
    String output;
    try (InputStream in = p.getInputStream()) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      in.transferTo(buf);
      output = buf.toString(StandardCharsets.UTF_8);
    }
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("jdeps finished").isTrue();
    assertThat(p.exitValue()).as("jdeps exit status; output:\n" + output).isZero();
    Map<String, Set<String>> graph = new TreeMap<>();
    for (String line : output.split("\n")) {
      Matcher m = EDGE.matcher(line);
      if (m.find()) {
        String from = topLevel(m.group(1));
        String to = topLevel(m.group(2));
        graph.computeIfAbsent(from, k -> new TreeSet<>());
        graph.computeIfAbsent(to, k -> new TreeSet<>());
        if (!from.equals(to)) {
          graph.get(from).add(to);
        }
      }
    }
    return graph;
  }

  private static String topLevel(String className) {
    int dollar = className.indexOf('$');
    return dollar < 0 ? className : className.substring(0, dollar);
  }
}
