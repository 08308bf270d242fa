package com.lanonasis.secrets.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a master keyset file says about itself before anything is decrypted: a development
 * (cleartext Tink JSON) keyset, a passphrase-protected one (format, PBKDF2 iterations) or a
 * KMS-encrypted one (the key-encryption key's URI). Read for {@code key info} and to choose what
 * {@code key protect} does; the header is not trusted for anything else: opening the file is the
 * library's ({@link com.lanonasis.secrets.MasterKeyring}), which authenticates it. Unknown formats
 * are never quoted (they are file content).
 */
record KeysetFileHeader(Protection protection, String format, OptionalInt iterations, Optional<String> kekUri) {
  static final String PASSPHRASE_V2 = "lanonasis-passphrase-keyset/v2";
  static final String PASSPHRASE_V1 = "lanonasis-passphrase-keyset/v1";
  static final String KMS_V1 = "lanonasis-kms-keyset/v1";

  enum Protection {
    /** Cleartext on disk: whoever reads the file opens every secret. */
    DEVELOPMENT,
    PASSPHRASE,
    KMS
  }

  static KeysetFileHeader read(Path file) {
    JsonNode node;
    try {
      node = SecretCommands.JSON.readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new CliException(ExitCode.NOT_FOUND, "no keyset file " + file + " (give --keyset FILE)");
    } catch (IOException e) {
      throw new CliException(ExitCode.INVALID, file + " is not a keyset file (not JSON)");
    }
    if (node == null || !node.isObject()) {
      throw new CliException(ExitCode.INVALID, file + " is not a keyset file (not a JSON object)");
    }
    if (!node.has("format")) {
      if (!node.has("primaryKeyId") || !node.path("key").isArray()) {
        throw new CliException(ExitCode.INVALID, file + " is not a keyset file (neither a Tink JSON keyset nor a "
            + "protected one)");
      }
      return new KeysetFileHeader(Protection.DEVELOPMENT, "cleartext Tink JSON keyset", OptionalInt.empty(),
          Optional.empty());
    }
    String format = node.path("format").asText("");
    switch (format) {
      case PASSPHRASE_V2:
      case PASSPHRASE_V1:
        JsonNode it = node.get("iterations");
        return new KeysetFileHeader(Protection.PASSPHRASE, format,
            it != null && it.isInt() ? OptionalInt.of(it.intValue()) : OptionalInt.empty(), Optional.empty());
      case KMS_V1:
        JsonNode uri = node.get("kekUri");
        return new KeysetFileHeader(Protection.KMS, format, OptionalInt.empty(),
            uri != null && uri.isTextual() ? Optional.of(uri.textValue()) : Optional.empty());
      default:
        throw new CliException(ExitCode.INVALID, file + " is a keyset file of an unknown format");
    }
  }

  /** The scheme of the KMS key's URI ({@code aws-kms}, {@code gcp-kms}, ...), not the rest of it. */
  Optional<String> kekScheme() {
    return kekUri.map(u -> {
      try {
        String scheme = new URI(u).getScheme();
        return scheme == null ? "unknown" : scheme;
      } catch (URISyntaxException e) {
        int colon = u.indexOf(':');
        return colon > 0 ? u.substring(0, colon) : "unknown";
      }
    });
  }
}
