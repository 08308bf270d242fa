package com.lanonasis.secrets.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lanonasis.secrets.SecretNotFoundException;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretStores;
import com.lanonasis.secrets.SecretValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How an application tests code that reads secrets: the production store is replaced by {@code
 * memory:}, which has the same API, encryption and errors, and starts empty each time.
 */
class PaymentClientTest {
  private final SecretStore secrets = SecretStores.open("memory:");
  private final PaymentClient client = new PaymentClient(secrets);

  @AfterEach
  void close() {
    secrets.close();
  }

  @Test
  void authorizationHeader_tokenPresent_usesLatestVersion() {
    secrets.put(PaymentClient.TOKEN, SecretValue.ofUtf8("old-token"));
    secrets.put(PaymentClient.TOKEN, SecretValue.ofUtf8("new-token"));
    assertThat(client.authorizationHeader()).isEqualTo("Bearer new-token");
  }

  @Test
  void authorizationHeader_tokenMissing_failsWithTypedError() {
    assertThatThrownBy(client::authorizationHeader)
        .isInstanceOf(SecretNotFoundException.class)
        .hasMessageContaining(PaymentClient.TOKEN);
  }
}
