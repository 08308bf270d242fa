package com.lanonasis.secrets;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.proto.EncryptedKeyset;
import com.lanonasis.secrets.spi.WrappedKeyset;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/** Building, rotating, wrapping and opening tenant data keysets: the one place that knows how. */
final class DataKeysets {
  private DataKeysets() {}

  /**
   * A new keyset of one AES-256-GCM key (Tink's {@code AES256_GCM} template, TINK output prefix).
   */
  static KeysetHandle fresh() {
    try {
      return KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink could not create a data keyset", e);
    }
  }

  /**
   * {@code old} plus a new AES-256-GCM key made primary; every old key still opens what it sealed.
   */
  static KeysetHandle withNewPrimary(KeysetHandle old) {
    try {
      return KeysetHandle.newBuilder(old)
          .addEntry(
              KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                  .withRandomId()
                  .makePrimary())
          .build();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink could not rotate a data keyset", e);
    }
  }

  /** {@code old} without the key {@code keyId}, which must not be the primary. */
  static KeysetHandle without(KeysetHandle old, int keyId) {
    KeysetHandle.Builder b = KeysetHandle.newBuilder(old); // same order as old's entries
    for (int i = 0; i < old.size(); i++) {
      if (old.getAt(i).getId() == keyId) {
        b.deleteAt(i);
        break;
      }
    }
    try {
      return b.build();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink could not remove a key from a data keyset", e);
    }
  }

  /** Key ids, primary first. */
  static List<Integer> keyIds(KeysetHandle h) {
    List<Integer> ids = new ArrayList<>();
    ids.add(h.getPrimary().getId());
    for (int i = 0; i < h.size(); i++) {
      if (!h.getAt(i).isPrimary()) {
        ids.add(h.getAt(i).getId());
      }
    }
    return List.copyOf(ids);
  }

  /**
   * {@code h} wrapped under the master keyring's primary, as a live keyset of {@code generation}.
   */
  static WrappedKeyset wrap(
      MasterKeyring master,
      String tenant,
      KeysetHandle h,
      long generation,
      long primarySealed,
      Instant primarySince) {
    try {
      return new WrappedKeyset(master.wrap(h, tenant), generation, primarySealed, primarySince);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Tink could not wrap a data keyset", e);
    }
  }

  /**
   * Opens a live wrapped keyset; a keyset the master keyring cannot open is an integrity failure.
   */
  static KeysetHandle unwrap(MasterKeyring master, String tenant, WrappedKeyset w) {
    if (w.isDestroyed()) {
      throw new KeysetDestroyedException(tenant);
    }
    try {
      return master.unwrap(w.ciphertext(), tenant);
    } catch (GeneralSecurityException e) {
      throw new IntegrityException(
          "the master keyring cannot open the data keyset of tenant '"
              + tenant
              + "': a different master keyring is configured, or the stored keyset was altered",
          e);
    }
  }

  /**
   * The id of the master key a wrapped keyset names as the one that wrapped it: Tink's output
   * prefix of the AEAD ciphertext (a version byte, then the key id). Read without any key, so that
   * a keyring that opens nothing can still say which key it lacks; empty when the ciphertext has no
   * such prefix.
   */
  static OptionalInt wrappingKeyId(byte[] wrapped) {
    try {
      byte[] ct = EncryptedKeyset.parseFrom(wrapped).getEncryptedKeyset().toByteArray();
      return ct.length > 5 && ct[0] == 1
          ? OptionalInt.of(ByteBuffer.wrap(ct, 1, 4).getInt())
          : OptionalInt.empty();
    } catch (IOException e) {
      return OptionalInt.empty();
    }
  }
}
