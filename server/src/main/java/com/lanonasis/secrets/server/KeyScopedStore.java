package com.lanonasis.secrets.server;

import com.lanonasis.secrets.AccessDeniedException;
import com.lanonasis.secrets.ListOptions;
import com.lanonasis.secrets.Page;
import com.lanonasis.secrets.PutOptions;
import com.lanonasis.secrets.Secret;
import com.lanonasis.secrets.SecretAttributes;
import com.lanonasis.secrets.SecretMetadata;
import com.lanonasis.secrets.SecretNotFoundException;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretValue;
import com.lanonasis.secrets.VersionInfo;
import java.util.List;

/**
 * A tenant's store as one API key may see it, for the surfaces that hand a {@link SecretStore} to
 * other code (the MCP tools): the key's name prefix and role hold as on the REST API. A name
 * outside the prefix is "not found" (its existence is not told), a write with a read-only key is
 * refused, and listing covers only the prefix ({@link SecretRoutes#scopedList}). Deleting,
 * restoring, destroying and changing attributes are not offered here: the MCP tools do not use them.
 * Closing it leaves the shared tenant store open.
 */
final class KeyScopedStore implements SecretStore {
  private final SecretStore tenantStore;
  private final ApiKey key;

  KeyScopedStore(SecretStore tenantStore, ApiKey key) {
    this.tenantStore = tenantStore;
    this.key = key;
  }

  private String visible(String name) {
    if (!key.allows(name)) {
      throw new SecretNotFoundException(name, "no secret named " + name);
    }
    return name;
  }

  private void writable() {
    if (!key.role().canWrite()) {
      throw new AccessDeniedException("this API key is read-only");
    }
  }

  @Override
  public String tenant() {
    return tenantStore.tenant();
  }

  @Override
  public VersionInfo put(String name, SecretValue value, PutOptions options) {
    writable();
    return tenantStore.put(visible(name), value, options);
  }

  @Override
  public Secret get(String name) {
    return tenantStore.get(visible(name));
  }

  @Override
  public Secret get(String name, long version) {
    return tenantStore.get(visible(name), version);
  }

  @Override
  public Page<SecretMetadata> list(ListOptions options) {
    return SecretRoutes.scopedList(tenantStore, key.namePrefix(), options.prefix(), options.limit(), options.cursor());
  }

  @Override
  public SecretMetadata metadata(String name) {
    return tenantStore.metadata(visible(name));
  }

  @Override
  public List<VersionInfo> versions(String name) {
    return tenantStore.versions(visible(name));
  }

  @Override
  public SecretMetadata updateAttributes(String name, SecretAttributes attributes) {
    throw notOffered();
  }

  @Override
  public void delete(String name) {
    throw notOffered();
  }

  @Override
  public void restore(String name) {
    throw notOffered();
  }

  @Override
  public void destroy(String name) {
    throw notOffered();
  }

  @Override
  public void destroy(String name, long version) {
    throw notOffered();
  }

  private static AccessDeniedException notOffered() {
    return new AccessDeniedException("not offered here; use the REST API");
  }

  @Override
  public void close() {
    // The tenant store is the server's, shared by every request.
  }

  @Override
  public String toString() {
    return "KeyScopedStore[" + tenantStore.tenant() + ", key " + key.id() + "]";
  }
}
