package com.lanonasis.secrets;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque cursor of a listing page: the last name of the page, versioned and base64url. Kept
 * apart from the store that issues it so that {@link ListOptions} (a value) does not depend on the
 * store's implementation.
 */
final class ListCursor {
  private static final String CURSOR_PREFIX = "c1:";

  private ListCursor() {}

  static String encode(SecretName last) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((CURSOR_PREFIX + last.value()).getBytes(StandardCharsets.US_ASCII));
  }

  static SecretName decode(String cursor) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
      if (raw.startsWith(CURSOR_PREFIX)
          && SecretName.isValid(raw.substring(CURSOR_PREFIX.length()))) {
        return new SecretName(raw.substring(CURSOR_PREFIX.length()));
      }
    } catch (IllegalArgumentException e) {
      // fall through
    }
    throw new InvalidInputException("cursor is not one this store issued");
  }
}
