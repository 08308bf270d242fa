package com.lanonasis.secrets;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * The content of a secret: bytes, with UTF-8 string conveniences.
 *
 * <p>Unlike the other value types this is not a record, because a record would print and compare
 * its content. A {@code SecretValue}:
 *
 * <ul>
 *   <li>copies its bytes in and out, so no caller can change it behind the store's back;
 *   <li>prints as {@code SecretValue[redacted]} and puts no content into any exception;
 *   <li>compares in constant time ({@link MessageDigest#isEqual}); its hash code depends only on
 *       the length;
 *   <li>can be wiped: {@link #wipe()} zeroes the bytes, after which every read throws {@link
 *       IllegalStateException}.
 * </ul>
 *
 * <pre>{@code
 * try (SecretValue v = store.get("db/password").value()) {
 *   connect(v.bytes());
 * } // wiped here
 * }</pre>
 *
 * <p>Thread-safety: reads are safe from several threads; {@link #wipe()} racing with a read may let
 * that read see zeroes.
 *
 * @since 0.1
 */
public final class SecretValue implements AutoCloseable {
  private final byte[] bytes;
  private volatile boolean wiped;

  private SecretValue(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A value holding a copy of {@code bytes}. */
  public static SecretValue of(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    return new SecretValue(bytes.clone());
  }

  /** A value holding the UTF-8 encoding of {@code text}. */
  public static SecretValue ofUtf8(String text) {
    Objects.requireNonNull(text, "text");
    return new SecretValue(text.getBytes(StandardCharsets.UTF_8));
  }

  /** A value holding the UTF-8 encoding of {@code chars}, without making an intermediate String. */
  public static SecretValue ofUtf8(char[] chars) {
    Objects.requireNonNull(chars, "chars");
    try {
      ByteBuffer encoded =
          StandardCharsets.UTF_8
              .newEncoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .encode(CharBuffer.wrap(chars));
      byte[] out = new byte[encoded.remaining()];
      encoded.get(out);
      wipeBackingArray(encoded);
      return new SecretValue(out);
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("chars are not valid UTF-16 (unpaired surrogate)");
    }
  }

  /**
   * Takes ownership of {@code bytes} without copying. For the library's own decrypt path, where the
   * array is fresh and referenced nowhere else.
   */
  static SecretValue adopt(byte[] bytes) {
    return new SecretValue(bytes);
  }

  /** The backing array itself, for the library's encrypt path only: never handed to callers. */
  byte[] unsafeBytes() {
    checkNotWiped();
    return bytes;
  }

  /** A fresh copy of the bytes; the caller may wipe it. */
  public byte[] bytes() {
    checkNotWiped();
    return bytes.clone();
  }

  /**
   * The value decoded as UTF-8 (malformed sequences become U+FFFD). Creates a String: see class
   * docs.
   */
  public String asUtf8() {
    checkNotWiped();
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** The number of bytes. Still answers after {@link #wipe()}. */
  public int length() {
    return bytes.length;
  }

  /** A copy that the caller can wipe independently of this one. */
  public SecretValue copy() {
    checkNotWiped();
    return new SecretValue(bytes.clone());
  }

  /** Zeroes the bytes. Idempotent. */
  public void wipe() {
    wiped = true;
    Arrays.fill(bytes, (byte) 0);
  }

  public boolean isWiped() {
    return wiped;
  }

  /** Same as {@link #wipe()}, for try-with-resources. */
  @Override
  public void close() {
    wipe();
  }

  private void checkNotWiped() {
    if (wiped) {
      throw new IllegalStateException("secret value was wiped");
    }
  }

  /** Constant-time comparison of the content (the length is not hidden). */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SecretValue other)) {
      return false;
    }
    return !wiped && !other.wiped && MessageDigest.isEqual(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return bytes.length;
  }

  @Override
  public String toString() {
    return "SecretValue[redacted]";
  }

  // array() is the whole backing array whatever the buffer's offset: all of it is wiped, which is
  // the point.
  @SuppressWarnings("ByteBufferBackingArray")
  private static void wipeBackingArray(ByteBuffer encoded) {
    if (encoded.hasArray()) {
      Arrays.fill(encoded.array(), (byte) 0);
    }
  }
}
