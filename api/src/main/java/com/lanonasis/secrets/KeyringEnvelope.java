package com.lanonasis.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * The JSON envelope of the protected keyring formats ({@code format}, then the format's own
 * members) and the reading of a file's header: the one place the keyring formats touch Jackson.
 * Messages name the file and the member, never a member's value (it is file content).
 */
final class KeyringEnvelope {
  /** The one key derivation the passphrase formats use. */
  static final String KDF = "PBKDF2WithHmacSHA256";

  private static final ObjectMapper JSON = new ObjectMapper();

  private KeyringEnvelope() {}

  static KeyringFile inspect(Path file) {
    JsonNode node = read(file);
    return header(file, node, formatOf(node));
  }

  /** The file's content as JSON. */
  static JsonNode read(Path file) {
    String text = readText(file);
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new ConfigurationException("keyset file " + file + " is not JSON");
    }
  }

  /**
   * The file's {@code format} member, or "" when it has none (a cleartext Tink keyset has none).
   */
  static String formatOf(JsonNode node) {
    return node != null && node.hasNonNull("format") ? node.get("format").asText() : "";
  }

  /** {@code node}, after checking that its format is one of {@code accepted}. */
  static JsonNode require(Path file, JsonNode node, List<String> accepted) {
    if (!accepted.contains(formatOf(node))) {
      throw new ConfigurationException(
          "keyset file " + file + " is not a " + String.join(" or ", accepted) + " file");
    }
    return node;
  }

  /** What the header of a file of {@code format} says, its members checked (but not its floor). */
  static KeyringFile header(Path file, JsonNode node, String format) {
    if (format.isEmpty()) {
      return new KeyringFile.Cleartext();
    }
    if (format.equals(KeyringFile.Kms.FORMAT)) {
      return new KeyringFile.Kms(text(node, "kekUri", file));
    }
    for (KeyringFile.Passphrase.Version version : KeyringFile.Passphrase.Version.values()) {
      if (version.format().equals(format)) {
        return passphraseHeader(file, node, version);
      }
    }
    throw new ConfigurationException("keyset file " + file + " is of an unknown format");
  }

  private static KeyringFile.Passphrase passphraseHeader(
      Path file, JsonNode node, KeyringFile.Passphrase.Version v) {
    String kdf = text(node, "kdf", file);
    if (!KDF.equals(kdf)) {
      throw new ConfigurationException(
          "keyset file " + file + " uses unsupported KDF " + SecretName.quote(kdf));
    }
    JsonNode iterations = node.get("iterations");
    if (iterations == null
        || !iterations.isInt()
        || iterations.intValue() > KeyringFile.Passphrase.MAX_PBKDF2_ITERATIONS) {
      throw new ConfigurationException(
          "keyset file "
              + file
              + " has a missing or out-of-range 'iterations' ("
              + v.floor()
              + ".."
              + KeyringFile.Passphrase.MAX_PBKDF2_ITERATIONS
              + ")");
    }
    return new KeyringFile.Passphrase(v, iterations.intValue());
  }

  static String text(JsonNode node, String field, Path file) {
    JsonNode n = node.get(field);
    if (n == null || !n.isTextual()) {
      throw new ConfigurationException("keyset file " + file + " has no '" + field + "'");
    }
    return n.asText();
  }

  static byte[] base64(JsonNode node, String field, Path file) {
    try {
      return Base64.getDecoder().decode(text(node, field, file));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("keyset file " + file + " has a malformed '" + field + "'");
    }
  }

  static String readText(Path file) {
    Objects.requireNonNull(file, "file");
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigurationException("keyset file not found: " + file);
    } catch (IOException e) {
      throw new ConfigurationException(
          "could not read keyset file " + file + ": " + e.getClass().getSimpleName());
    }
  }

  /**
   * A new envelope of {@code format}; the caller adds its members in the order they are written.
   */
  static ObjectNode envelope(String format) {
    return JSON.createObjectNode().put("format", format);
  }

  /** Writes {@code envelope}, pretty-printed, to a new 0600 file. */
  static void writeNew(Path file, ObjectNode envelope) {
    try {
      writeNew(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(envelope));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes {@code content} to a new 0600 file, then wipes {@code content}. */
  static void writeNew(Path file, byte[] content) {
    try {
      KeysetFiles.writeNew(file, content);
    } catch (FileAlreadyExistsException e) {
      throw new ConfigurationException("refusing to overwrite existing keyset file " + file);
    } catch (IOException e) {
      throw new ConfigurationException(
          "could not write keyset file " + file + ": " + e.getClass().getSimpleName(), e);
    } finally {
      Arrays.fill(content, (byte) 0);
    }
  }
}
