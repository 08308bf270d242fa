package com.lanonasis.secrets.cli;

import com.lanonasis.secrets.TenantKeyManager.KeysetStatus;
import com.lanonasis.secrets.TenantKeyManager.MasterKeyUsage;
import com.lanonasis.secrets.TenantKeyManager.ResealReport;
import com.lanonasis.secrets.http.KeysetAdminClient;
import java.util.List;
import java.util.function.Consumer;

/**
 * The data keysets of a server's tenants, through the SDK's {@link KeysetAdminClient}: the same
 * URL, TLS and redirect rules as every other remote command, and an operator key (an unscoped ADMIN
 * key of tenant {@code default}).
 */
final class RemoteKeysets implements Keysets {
  private final KeysetAdminClient client;

  RemoteKeysets(KeysetAdminClient client) {
    this.client = client;
  }

  @Override
  public KeysetStatus status(String tenant) {
    return client.status(tenant);
  }

  @Override
  public List<KeysetStatus> list() {
    return client.list();
  }

  @Override
  public MasterKeyUsage masterKeys() {
    return client.masterKeys();
  }

  @Override
  public int rotate(String tenant) {
    return primary(client.rotate(tenant));
  }

  @Override
  public boolean destroy(String tenant) {
    return client.destroy(tenant);
  }

  @Override
  public int reprovision(String tenant) {
    return primary(client.reprovision(tenant));
  }

  /** Request after request, each a bounded slice on the server; progress after each. */
  @Override
  public ResealReport reseal(String tenant, int batchSize, Consumer<ResealReport> progress) {
    return client.reseal(tenant, batchSize, progress);
  }

  @Override
  public ResealReport planReseal(String tenant, int batchSize, Consumer<ResealReport> progress) {
    return client.planReseal(tenant, batchSize, progress);
  }

  @Override
  public void retire(String tenant, int keyId) {
    client.retire(tenant, keyId);
  }

  @Override
  public void close() {
    client.close();
  }

  private static int primary(KeysetStatus s) {
    if (s.keys().isEmpty()) {
      throw new CliException(
          ExitCode.ERROR, "the server answered with no data key for tenant '" + s.tenant() + "'");
    }
    return s.keys().get(0).id();
  }
}
