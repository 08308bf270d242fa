package com.lanonasis.secrets.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.lanonasis.secrets.ConfigurationException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signed checkpoints of the audit log — Certificate Transparency's signed tree heads, for a hash
 * chain: the server signs (chain, chain_seq, seq, hash, time) of the newest entry of its own chain
 * (see {@link AuditLog}) with an Ed25519 key that lives in a file of its own, not in the database,
 * and publishes the checkpoint outside the database (a line in the server's log, an append-only
 * file, {@code GET /api/v1/audit/checkpoint}). Whoever kept a checkpoint can later prove the log
 * still holds that entry and every one before it unchanged ({@code lanonasis audit verify
 * --checkpoint FILE}): deleting the newest entries, reusing their sequence numbers or rewriting any
 * earlier entry no longer goes unseen, even by someone who can write the database.
 *
 * <p>The signed message is {@code "lanonasis-audit-checkpoint-v2"} (ASCII) · length of chain (4
 * bytes) · chain (UTF-8) · chain_seq (8 bytes) · seq (8 bytes) · hash (32 bytes) · time in
 * microseconds since the epoch (8 bytes), integers big-endian. A checkpoint of the legacy chain
 * (one signed before chains existed, without {@code chain} in its JSON) is v1: {@code
 * "lanonasis-audit-checkpoint-v1"} · seq · hash · time, and still verifies against the legacy
 * chain. The key is a standard Ed25519 key: the key file holds it as PEM, PKCS#8 {@code PRIVATE
 * KEY} then X.509 {@code PUBLIC KEY} (readable by openssl), each checkpoint the public key's X.509
 * encoding; the key id is the first 8 bytes of SHA-256 over that encoding, in hex.
 *
 * <p>Thread-safe.
 */
public final class AuditCheckpoints {
  private static final Logger LOG = LoggerFactory.getLogger(AuditCheckpoints.class);
  private static final byte[] DOMAIN_V1 =
      "lanonasis-audit-checkpoint-v1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DOMAIN_V2 =
      "lanonasis-audit-checkpoint-v2".getBytes(StandardCharsets.US_ASCII);
  private static final String PRIVATE = "PRIVATE KEY";
  private static final String ROLLBACK_ACCEPTED = "rollbackAccepted";
  private static final String PUBLIC = "PUBLIC KEY";

  /**
   * A signed statement that the log's entry {@code seq}, at {@code chainSeq} of {@code chain}, has
   * {@code hash}. The legacy chain's (v1) has an empty chain and {@code chainSeq == seq}.
   */
  // Arrays, copied in and out; the log compares a checkpoint's hash with Arrays.equals, never
  // two checkpoints with equals.
  @SuppressWarnings("ArrayRecordComponent")
  public record Checkpoint(
      long seq,
      byte[] hash,
      Instant time,
      byte[] signature,
      byte[] publicKey,
      String chain,
      long chainSeq) {
    public Checkpoint {
      Objects.requireNonNull(chain, "chain");
      hash = hash.clone();
      signature = signature.clone();
      publicKey = publicKey.clone();
    }

    /** A v1 checkpoint, of the legacy chain. */
    public Checkpoint(long seq, byte[] hash, Instant time, byte[] signature, byte[] publicKey) {
      this(seq, hash, time, signature, publicKey, AuditLog.LEGACY_CHAIN, seq);
    }

    @Override
    public byte[] hash() {
      return hash.clone();
    }

    @Override
    public byte[] signature() {
      return signature.clone();
    }

    @Override
    public byte[] publicKey() {
      return publicKey.clone();
    }

    public String keyId() {
      return AuditCheckpoints.keyId(publicKey);
    }

    /** The checkpoint as the JSON object the API serves and the file holds. */
    public Map<String, Object> json() {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("seq", seq);
      if (!chain.isEmpty()) {
        out.put("chain", chain);
        out.put("chainSeq", chainSeq);
      }
      out.put("hash", HexFormat.of().formatHex(hash));
      out.put("time", time.toString());
      out.put("keyId", keyId());
      out.put("publicKey", Base64.getEncoder().encodeToString(publicKey));
      out.put("signature", Base64.getEncoder().encodeToString(signature));
      return out;
    }

    /** Reads one from its JSON; the signature is not checked here (see {@link #verify}). */
    public static Checkpoint fromJson(JsonNode n) {
      try {
        long seq = n.get("seq").asLong();
        JsonNode chain = n.get("chain");
        boolean legacy = chain == null || chain.isNull();
        if (!legacy && (!chain.isTextual() || chain.asText().isEmpty())) {
          throw new IllegalArgumentException("chain");
        }
        return new Checkpoint(
            seq,
            HexFormat.of().parseHex(n.get("hash").asText()),
            Instant.parse(n.get("time").asText()),
            Base64.getDecoder().decode(n.get("signature").asText()),
            Base64.getDecoder().decode(n.get("publicKey").asText()),
            legacy ? AuditLog.LEGACY_CHAIN : chain.asText(),
            legacy ? seq : n.get("chainSeq").asLong());
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "not a Lanonasis audit checkpoint (seq, chain, chainSeq, hash, time, signature, "
                + "publicKey)");
      }
    }

    /** Whether the signature is the public key's over this checkpoint. */
    public boolean verify() {
      try {
        PublicKey key =
            KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(publicKey));
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(key);
        s.update(message(chain, chainSeq, seq, hash, time));
        return s.verify(signature);
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        return false;
      }
    }
  }

  private final PrivateKey signingKey;
  private final byte[] publicKey;
  private final Optional<Path> file;
  private final ObjectMapper json;
  private long lastSeq = -1;

  private AuditCheckpoints(KeyPair keys, Optional<Path> file, ObjectMapper json) {
    this.signingKey = keys.getPrivate();
    this.publicKey = keys.getPublic().getEncoded();
    this.file = file;
    this.json = json;
  }

  /**
   * Loads the signing key from {@code keyFile}, or creates it there (mode 0600) on first use, and
   * appends checkpoints to {@code checkpointFile} when given.
   */
  public static AuditCheckpoints open(
      Path keyFile, Optional<Path> checkpointFile, ObjectMapper json) {
    Objects.requireNonNull(keyFile, "keyFile");
    KeyPair keys = Files.exists(keyFile) ? load(keyFile) : create(keyFile);
    AuditCheckpoints c = new AuditCheckpoints(keys, checkpointFile, json);
    LOG.info("audit checkpoints signed with Ed25519 key {} ({})", c.keyId(), keyFile);
    return c;
  }

  /** With a key made for this process only: for tests and servers that keep no files. */
  public static AuditCheckpoints ephemeral(ObjectMapper json) {
    return new AuditCheckpoints(generate(), Optional.empty(), json);
  }

  public String keyId() {
    return keyId(publicKey);
  }

  /**
   * The newest checkpoint in {@code file}, the last line that reads as one: a line torn by a crash
   * during its append is passed over. Empty when the file does not exist or holds none.
   *
   * @throws ConfigurationException when the file exists but cannot be read
   */
  public static Optional<Checkpoint> newestIn(Path file, ObjectMapper json) {
    List<String> lines = lines(file);
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      try {
        return Optional.of(Checkpoint.fromJson(json.readTree(lines.get(i))));
      } catch (IOException | IllegalArgumentException torn) {
        // not a whole checkpoint: the one before it is the newest
      }
    }
    return Optional.empty();
  }

  /**
   * The newest checkpoint of each chain in {@code file} (the last line of each that reads as one),
   * in the order their chains first appear, since the last one signed when a rolled-back store was
   * accepted ({@link #signAcceptedRollback}). Empty when the file does not exist or holds none.
   *
   * @throws ConfigurationException when the file exists but cannot be read
   */
  public static Map<String, Checkpoint> newestPerChainIn(Path file, ObjectMapper json) {
    Map<String, Checkpoint> out = new LinkedHashMap<>();
    for (String line : lines(file)) {
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonNode n = json.readTree(line);
        Checkpoint c = Checkpoint.fromJson(n);
        if (n.path(ROLLBACK_ACCEPTED).asBoolean(false)) {
          // Signed on a store restored on purpose: what was checkpointed before is gone from it.
          out.clear();
        }
        out.put(c.chain(), c);
      } catch (IOException | IllegalArgumentException torn) {
        // not a whole checkpoint
      }
    }
    return out;
  }

  public byte[] publicKey() {
    return publicKey.clone();
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new ConfigurationException(
          "cannot read the audit checkpoint file "
              + file
              + " ("
              + e.getClass().getSimpleName()
              + ")",
          e);
    }
  }

  /**
   * Signs the entry as the newest one of its chain, publishes the checkpoint (log line, file) and
   * returns it.
   */
  public synchronized Checkpoint sign(AuditEntry entry) {
    return sign(entry, false);
  }

  /**
   * As {@link #sign(AuditEntry)}, for the entry that records the acceptance of a rolled-back store:
   * its line in the checkpoint file says so, and the checkpoints before it no longer count ({@link
   * #newestPerChainIn}) — they were signed on entries the restored store does not hold.
   */
  public synchronized Checkpoint signAcceptedRollback(AuditEntry entry) {
    return sign(entry, true);
  }

  private Checkpoint sign(AuditEntry entry, boolean rollbackAccepted) {
    Instant time = Instant.now().truncatedTo(ChronoUnit.MICROS);
    byte[] hash = entry.hash();
    byte[] signature;
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(signingKey);
      s.update(message(entry.chain(), entry.chainSeq(), entry.seq(), hash, time));
      signature = s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot sign with Ed25519", e);
    }
    Checkpoint c =
        new Checkpoint(
            entry.seq(), hash, time, signature, publicKey, entry.chain(), entry.chainSeq());
    publish(c, rollbackAccepted);
    return c;
  }

  /**
   * Signs the newest entry of this writer's chain ({@link AuditLog#head()}) if it grew since the
   * last checkpoint; what the periodic task calls.
   */
  public synchronized Optional<Checkpoint> signIfGrown(Optional<AuditEntry> head) {
    if (head.isEmpty() || head.get().seq() == lastSeq) {
      return Optional.empty();
    }
    return Optional.of(sign(head.get()));
  }

  private void publish(Checkpoint c, boolean rollbackAccepted) {
    lastSeq = c.seq();
    String line;
    try {
      Map<String, Object> fields = c.json();
      if (rollbackAccepted) {
        fields.put(ROLLBACK_ACCEPTED, true);
      }
      line = json.writeValueAsString(fields);
    } catch (IOException e) {
      throw new IllegalStateException("a checkpoint could not be written as JSON", e);
    }
    LOG.info("audit checkpoint {}", line);
    if (file.isPresent()) {
      try {
        createPrivately(file.get());
        Files.writeString(
            file.get(),
            line + "\n",
            StandardCharsets.UTF_8,
            StandardOpenOption.APPEND,
            StandardOpenOption.SYNC);
      } catch (IOException e) {
        LOG.error(
            "audit checkpoint not appended to {} ({}); it is in this log line only",
            file.get(),
            e.getClass().getSimpleName());
      }
    }
  }

  static byte[] message(String chain, long chainSeq, long seq, byte[] hash, Instant time) {
    long micros = ChronoUnit.MICROS.between(Instant.EPOCH, time);
    if (chain.isEmpty()) {
      return ByteBuffer.allocate(DOMAIN_V1.length + 8 + hash.length + 8)
          .put(DOMAIN_V1)
          .putLong(seq)
          .put(hash)
          .putLong(micros)
          .array();
    }
    byte[] chainBytes = chain.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(DOMAIN_V2.length + 4 + chainBytes.length + 16 + hash.length + 8)
        .put(DOMAIN_V2)
        .putInt(chainBytes.length)
        .put(chainBytes)
        .putLong(chainSeq)
        .putLong(seq)
        .put(hash)
        .putLong(micros)
        .array();
  }

  public static String keyId(byte[] publicKey) {
    try {
      return HexFormat.of()
          .formatHex(Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(publicKey), 8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no Ed25519", e);
    }
  }

  private static KeyPair create(Path keyFile) {
    KeyPair keys = generate();
    String pem =
        pem(PRIVATE, keys.getPrivate().getEncoded()) + pem(PUBLIC, keys.getPublic().getEncoded());
    try {
      createPrivately(keyFile);
      Files.writeString(
          keyFile,
          pem,
          StandardCharsets.US_ASCII,
          StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.SYNC);
    } catch (IOException e) {
      throw new ConfigurationException("cannot create the audit signing key file " + keyFile, e);
    }
    LOG.warn(
        "created the audit signing key {}: whoever holds it can sign checkpoints, so keep it (and its "
            + "backups) where the database's users cannot read it",
        keyFile);
    return keys;
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static byte[] unpem(String text, String type, Path keyFile) {
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    if (from < 0 || to < from) {
      throw new ConfigurationException(
          "the audit signing key file " + keyFile + " has no PEM " + type);
    }
    return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
  }

  private static KeyPair load(Path keyFile) {
    try {
      String text = Files.readString(keyFile, StandardCharsets.US_ASCII);
      KeyFactory kf = KeyFactory.getInstance("Ed25519");
      PrivateKey priv = kf.generatePrivate(new PKCS8EncodedKeySpec(unpem(text, PRIVATE, keyFile)));
      PublicKey pub = kf.generatePublic(new X509EncodedKeySpec(unpem(text, PUBLIC, keyFile)));
      // The two halves must belong together, or every checkpoint would fail to verify.
      byte[] probe = "lanonasis-audit-key-probe".getBytes(StandardCharsets.US_ASCII);
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(priv);
      s.update(probe);
      byte[] sig = s.sign();
      s.initVerify(pub);
      s.update(probe);
      if (!s.verify(sig)) {
        throw new ConfigurationException(
            "the audit signing key file "
                + keyFile
                + " holds a public key that is not "
                + "its private key's");
      }
      return new KeyPair(pub, priv);
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw new ConfigurationException(
          "cannot read the audit signing key file "
              + keyFile
              + " ("
              + e.getClass().getSimpleName()
              + ")",
          e);
    }
  }

  private static void createPrivately(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null && !Files.isDirectory(dir)) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException e) {
      // appended to, or rewritten by its owner
    }
  }
}
