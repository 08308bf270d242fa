/**
 * Contract suites for backends: {@link com.lanonasis.secrets.testkit.SecretStoreContract} for any
 * {@link com.lanonasis.secrets.SecretStore} (local or remote) and {@link
 * com.lanonasis.secrets.testkit.RecordStoreContract} for the {@link
 * com.lanonasis.secrets.spi.RecordStore} SPI. Extend them in a backend's tests; they ship in the
 * {@code secrets-testkit} artifact so third-party backends can be held to the same contract.
 */
package com.lanonasis.secrets.testkit;
