package com.lanonasis.secrets.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.lanonasis.secrets.ConfigurationException;
import com.lanonasis.secrets.DevelopmentKeyring;
import com.lanonasis.secrets.IntegrityException;
import com.lanonasis.secrets.InvalidSecretNameException;
import com.lanonasis.secrets.KeyringSources;
import com.lanonasis.secrets.KeysetDestroyedException;
import com.lanonasis.secrets.ListOptions;
import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.PutOptions;
import com.lanonasis.secrets.Secret;
import com.lanonasis.secrets.SecretAttributes;
import com.lanonasis.secrets.SecretDeletedException;
import com.lanonasis.secrets.SecretNotFoundException;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.SecretTooLargeException;
import com.lanonasis.secrets.SecretValue;
import com.lanonasis.secrets.StoreClosedException;
import com.lanonasis.secrets.TenantKeyManager;
import com.lanonasis.secrets.VersionConflictException;
import com.lanonasis.secrets.spi.SealedRecord;
import com.lanonasis.secrets.spi.StoredRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Plants a sentinel as a secret value, runs the main flows and error paths with every log line
 * captured at TRACE, and checks the sentinel surfaces in no log line, exception message (whole
 * cause chain) or {@code toString}.
 */
@DisplayName("no secret value leaks into logs, messages or toString")
class SentinelLeakTest {
  private static final String SENTINEL = "S3NTINEL-leak-7d2e91";
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final List<String> seen = new ArrayList<>();
  @TempDir Path dir;
  private Logger root;
  private Level oldLevel;

  @BeforeEach
  void captureLogs() {
    root =
        ((LoggerContext) LoggerFactory.getILoggerFactory())
            .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    oldLevel = root.getLevel();
    root.setLevel(Level.TRACE);
    logs.start();
    root.addAppender(logs);
  }

  @AfterEach
  void release() {
    root.detachAppender(logs);
    root.setLevel(oldLevel);
  }

  @Test
  @DisplayName("main flows and error paths with the read cache on and off")
  void flows_neverShowTheValue() {
    TamperingRecordStore records = new TamperingRecordStore();
    // A development keyring logs a warning on every load: proof that this test's capture sees the
    // library's log lines, so that "no log line shows the value" is not vacuously true.
    MasterKeyring keyring = DevelopmentKeyring.loadOrCreate(dir.resolve("dev-keyset.json"));
    SecretStore plain = SecretStores.builder().recordStore(records).keyring(keyring).open();
    SecretStore cached =
        SecretStores.builder()
            .recordStore(records)
            .keyring(keyring)
            .cache(Duration.ofMinutes(1), 10)
            .tenant("cached")
            .open();
    for (SecretStore store : List.of(plain, cached)) {
      note(store);
      note(
          store.put(
              "leak/db",
              SecretValue.ofUtf8(SENTINEL),
              PutOptions.upsert()
                  .withAttributes(SecretAttributes.none().withDescription("db password"))));
      try (Secret s = store.get("leak/db")) {
        note(s);
        note(s.value());
      }
      note(store.get("leak/db", 1));
      note(store.list(ListOptions.prefix("leak/")));
      note(store.metadata("leak/db"));
      note(store.versions("leak/db"));
      attempt(
          VersionConflictException.class,
          () -> store.put("leak/db", SecretValue.ofUtf8(SENTINEL), PutOptions.ifVersion(7)));
      attempt(
          VersionConflictException.class,
          () -> store.put("leak/db", SecretValue.ofUtf8(SENTINEL), PutOptions.ifVersion(0)));
      attempt(
          InvalidSecretNameException.class,
          () -> store.put("bad name " + "x", SecretValue.ofUtf8(SENTINEL)));
      attempt(
          SecretTooLargeException.class,
          () -> store.put("big", SecretValue.ofUtf8(SENTINEL.repeat(4000))));
      attempt(SecretNotFoundException.class, () -> store.get("leak/db", 5));
      store.delete("leak/db");
      attempt(
          SecretDeletedException.class, () -> store.put("leak/db", SecretValue.ofUtf8(SENTINEL)));
      attempt(SecretNotFoundException.class, () -> store.get("leak/db"));
      store.restore("leak/db");
      store.put("leak/db", SecretValue.ofUtf8(SENTINEL + "-2"));
      store.destroy("leak/db", 1);
      attempt(SecretNotFoundException.class, () -> store.get("leak/db", 1));
    }
    // Integrity failures: the error must not quote plaintext or ciphertext.
    records.onRead =
        sr -> {
          byte[] ct = sr.record().ciphertext();
          ct[ct.length - 1] ^= 1;
          SealedRecord r = sr.record();
          note(r);
          return new StoredRecord(
              new SealedRecord(r.name(), r.version(), r.keyId(), ct, r.createdAt()),
              sr.expiresAt(),
              sr.keysetGeneration());
        };
    attempt(IntegrityException.class, () -> plain.get("leak/db"));
    attempt(
        IntegrityException.class,
        () ->
            SecretStores.builder()
                .recordStore(records)
                .keyring(MasterKeyring.generate())
                .open()
                .get("leak/db"));
    records.onRead = sr -> sr;
    // Crypto-shredding and a keyring that no longer fits.
    new TenantKeyManager(records, keyring).destroyDataKeyset("default");
    attempt(
        KeysetDestroyedException.class,
        () -> SecretStores.builder().recordStore(records).keyring(keyring).open().get("leak/db"));
    note(keyring);
    note(records.inner.tenantKeyset("cached").orElseThrow());
    plain.close();
    cached.close();
    attempt(StoreClosedException.class, () -> plain.get("leak/db"));

    assertThat(logs.list)
        .extracting(ILoggingEvent::getLoggerName)
        .contains(DevelopmentKeyring.class.getName());
    for (ILoggingEvent e : logs.list) {
      seen.add(e.getFormattedMessage());
      if (e.getThrowableProxy() != null) {
        seen.add(e.getThrowableProxy().getMessage());
      }
    }
    assertThat(seen).hasSizeGreaterThan(20);
    assertThat(seen).allSatisfy(text -> assertThat(text).doesNotContain(SENTINEL));
  }

  @Test
  @DisplayName("a keyset given inline through the environment is never echoed back")
  void badInlineKeyset_notEchoed() {
    attempt(
        ConfigurationException.class,
        () ->
            SecretStores.builder()
                .recordStore(new MemoryRecordStore())
                .environment(
                    Map.of(KeyringSources.ENV_KEYSET, "{\"primaryKeyId\": \"" + SENTINEL + "\"}"))
                .open());
    attempt(
        ConfigurationException.class,
        () -> SecretStores.builder().uri("memory:?password=" + SENTINEL).open());
    assertThat(seen)
        .hasSize(4)
        .allSatisfy(text -> assertThat(text).contains("ConfigurationException"));
    assertThat(seen).allSatisfy(text -> assertThat(text).doesNotContain(SENTINEL));
  }

  private void note(Object o) {
    seen.add(String.valueOf(o));
  }

  /**
   * Runs an error path, which must fail with {@code expected}: a path that stops failing, or fails
   * otherwise, no longer tests what it is here for. Records every message of the cause chain.
   */
  private void attempt(Class<? extends RuntimeException> expected, ThrowingCallable path) {
    Throwable thrown = catchThrowable(path);
    assertThat(thrown).as("the error path's failure").isInstanceOf(expected);
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      seen.add(t.getClass().getName() + ": " + t.getMessage());
      seen.add(t.toString());
    }
  }
}
