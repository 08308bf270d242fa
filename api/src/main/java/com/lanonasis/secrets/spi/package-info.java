/**
 * What backend authors implement: {@link com.lanonasis.secrets.spi.SecretStoreProvider} (discovered
 * with {@link java.util.ServiceLoader} by URI scheme) and, for local storage, {@link
 * com.lanonasis.secrets.spi.RecordStore}, which stores only sealed records and wrapped keysets. The
 * {@code secrets-testkit} artifact holds the contract suites to test an implementation with.
 */
package com.lanonasis.secrets.spi;
