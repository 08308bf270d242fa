package com.lanonasis.secrets.examples;

import com.lanonasis.secrets.Secret;
import com.lanonasis.secrets.SecretStore;
import java.util.Objects;

/**
 * An application class that needs a secret: it takes a {@link SecretStore}, never a URI, so
 * production hands it a JDBC- or server-backed store and tests hand it {@code memory:}.
 */
public final class PaymentClient {
  static final String TOKEN = "payments/provider/api-token";
  private final SecretStore secrets;

  public PaymentClient(SecretStore secrets) {
    this.secrets = Objects.requireNonNull(secrets, "secrets");
  }

  /** Builds the Authorization header for the payment provider from the current token. */
  public String authorizationHeader() {
    try (Secret token = secrets.get(TOKEN)) {
      return "Bearer " + token.value().asUtf8();
    }
  }
}
