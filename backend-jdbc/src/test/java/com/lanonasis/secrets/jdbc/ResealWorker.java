package com.lanonasis.secrets.jdbc;

import com.lanonasis.secrets.KeyringFile;
import com.lanonasis.secrets.MasterKeyring;
import com.lanonasis.secrets.TenantKeyManager;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The child process of {@link ResealCrashTest}: re-seals a tenant in small batches and prints
 * {@code BATCH <resealed so far>} after each, so the parent can kill it with SIGKILL in the middle.
 *
 * <p>Arguments: store URL, cleartext keyset file, tenant, batch size.
 */
public final class ResealWorker {
  private ResealWorker() {}

  public static void main(String[] args) {
    MasterKeyring keyring = KeyringFile.openCleartext(Path.of(args[1]));
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try (JdbcRecordStore records =
        JdbcRecordStore.builder().url(args[0]).validateSchemaOnly().build()) {
      new TenantKeyManager(records, keyring)
          .reseal(args[2], Integer.parseInt(args[3]), p -> out.println("BATCH " + p.resealed()));
      out.println("DONE");
    }
  }
}
