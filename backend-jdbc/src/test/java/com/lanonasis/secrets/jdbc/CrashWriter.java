package com.lanonasis.secrets.jdbc;

import com.lanonasis.secrets.KeyringFile;
import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.PutOptions;
import com.lanonasis.secrets.Secret;
import com.lanonasis.secrets.SecretNotFoundException;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.SecretValue;
import com.lanonasis.secrets.VersionConflictException;
import com.lanonasis.secrets.VersionInfo;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The child process of {@link CrashDurabilityTest}: writes check-and-set versions through {@code
 * SecretStores.open} and prints one line per acknowledged write, only after {@code put} returned:
 * {@code ACK <name> <version> <value> END}. The parent kills it with SIGKILL at a moment of its
 * choosing, so a line without {@code END} is a write whose acknowledgement was cut off.
 *
 * <p>Arguments: store URL, keyset file, mode ({@code own}: writer i on name {@code <prefix>/n<i>};
 * {@code shared}: every writer on {@code <prefix>/hot}, retrying on conflict), writers, prefix,
 * puts per writer (a bound; the parent usually kills it long before).
 */
public final class CrashWriter {
  private CrashWriter() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    MasterKeyring keyring = KeyringFile.openCleartext(Path.of(args[1]));
    boolean shared = args[2].equals("shared");
    int writers = Integer.parseInt(args[3]);
    String prefix = args[4];
    int puts = Integer.parseInt(args[5]);
    PrintStream out = new PrintStream(System.out, false, "UTF-8");
    SecureRandom random = new SecureRandom();
    try (SecretStore store = SecretStores.builder().uri(url).keyring(keyring).open()) {
      out.println("READY");
      out.flush();
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        String name = shared ? prefix + "/hot" : prefix + "/n" + w;
        Thread t =
            new Thread(
                () -> {
                  for (int i = 0; i < puts; i++) {
                    long current = currentVersion(store, name);
                    byte[] nonce = new byte[6];
                    random.nextBytes(nonce);
                    String value =
                        name.replace('/', '.')
                            + "-after"
                            + current
                            + "-"
                            + HexFormat.of().formatHex(nonce);
                    try {
                      VersionInfo v =
                          store.put(name, SecretValue.ofUtf8(value), PutOptions.ifVersion(current));
                      synchronized (out) {
                        out.println("ACK " + name + " " + v.version() + " " + value + " END");
                        out.flush();
                      }
                    } catch (VersionConflictException lost) {
                      i--; // another writer took this version: read the new one and try again
                    }
                  }
                },
                "writer-" + w);
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) {
        t.join();
      }
      out.println("DONE");
      out.flush();
    }
  }

  private static long currentVersion(SecretStore store, String name) {
    try (Secret s = store.get(name)) {
      return s.version();
    } catch (SecretNotFoundException e) {
      return 0;
    }
  }
}
