package com.lanonasis.secrets;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The descriptive metadata a caller sets on a secret: a description, labels and an optional expiry.
 * Attributes are not secret (they appear in listings and logs); never put a value in them.
 *
 * <p>Limits: description up to 1,024 characters; up to 64 labels, keys matching {@code
 * [a-z0-9][a-z0-9._-]{0,62}}, values up to 256 characters; no control characters anywhere. A secret
 * past its expiry reads as not found (see {@link SecretStore#get(String)}).
 *
 * @param description free text, empty for none
 * @param labels key/value labels, copied and sorted
 * @param expiresAt when reads of the secret stop succeeding, if ever
 * @since 0.1
 */
public record SecretAttributes(
    String description, Map<String, String> labels, Optional<Instant> expiresAt) {
  public static final int MAX_DESCRIPTION = 1024;
  public static final int MAX_LABELS = 64;
  public static final int MAX_LABEL_VALUE = 256;

  private static final SecretAttributes NONE = new SecretAttributes("", Map.of(), Optional.empty());

  public SecretAttributes {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(expiresAt, "expiresAt");
    if (description.length() > MAX_DESCRIPTION) {
      throw new InvalidInputException(
          "description is "
              + description.length()
              + " characters; the limit is "
              + MAX_DESCRIPTION);
    }
    if (hasControl(description)) {
      throw new InvalidInputException("description contains a control character");
    }
    if (labels.size() > MAX_LABELS) {
      throw new InvalidInputException(labels.size() + " labels; the limit is " + MAX_LABELS);
    }
    TreeMap<String, String> copy = new TreeMap<>();
    for (Map.Entry<String, String> e : labels.entrySet()) {
      String key = Objects.requireNonNull(e.getKey(), "label key");
      String val = Objects.requireNonNull(e.getValue(), "label value");
      if (!validLabelKey(key)) {
        throw new InvalidInputException(
            "label key " + SecretName.quote(key) + " must match [a-z0-9][a-z0-9._-]{0,62}");
      }
      if (val.length() > MAX_LABEL_VALUE || hasControl(val)) {
        throw new InvalidInputException(
            "value of label '"
                + key
                + "' must be at most "
                + MAX_LABEL_VALUE
                + " characters with no control characters");
      }
      copy.put(key, val);
    }
    labels = java.util.Collections.unmodifiableMap(copy);
  }

  /** No description, no labels, no expiry. */
  public static SecretAttributes none() {
    return NONE;
  }

  public SecretAttributes withDescription(String newDescription) {
    return new SecretAttributes(newDescription, labels, expiresAt);
  }

  public SecretAttributes withLabels(Map<String, String> newLabels) {
    return new SecretAttributes(description, newLabels, expiresAt);
  }

  public SecretAttributes withExpiry(Instant when) {
    return new SecretAttributes(description, labels, Optional.of(when));
  }

  public SecretAttributes withoutExpiry() {
    return new SecretAttributes(description, labels, Optional.empty());
  }

  private static boolean validLabelKey(String key) {
    if (key.isEmpty() || key.length() > 63) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (!(alnum || (i > 0 && (c == '.' || c == '_' || c == '-')))) {
        return false;
      }
    }
    return true;
  }

  private static boolean hasControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }
}
