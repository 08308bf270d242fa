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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A tenant's store as one API key may see it: the one place where a key's role and name prefix are
 * applied, for every surface (the REST secret routes, the bulk import and export, the MCP tools). A
 * name outside the prefix is "not found" (its existence is not told), a change with a read-only key
 * is refused ({@link AccessDeniedException}, 403), and listing covers only the prefix, whatever
 * cursor a client sends. A change is refused for a read-only key before the name's visibility is
 * looked at, so a read-only key gets the same answer inside and outside its prefix. Closing it
 * leaves the shared tenant store open.
 */
final class KeyScopedStore implements SecretStore {
  static final String READ_ONLY = "this API key is read-only";

  private final SecretStore tenantStore;
  private final ApiKey key;

  KeyScopedStore(SecretStore tenantStore, ApiKey key) {
    this.tenantStore = Objects.requireNonNull(tenantStore, "tenantStore");
    this.key = Objects.requireNonNull(key, "key");
  }

  /** Whether the key may see {@code name} (see {@link ApiKey#allows}). */
  boolean sees(String name) {
    return key.allows(name);
  }

  /**
   * Refuses a read-only key at once: for a surface that checks before it reads the request body, so
   * that a read-only key is told so whatever it sent. Every change below checks it again.
   */
  void requireWritable() {
    if (!key.role().canWrite()) {
      throw new AccessDeniedException(READ_ONLY);
    }
  }

  private String visible(String name) {
    if (!sees(name)) {
      throw new SecretNotFoundException(name, "no secret named " + name);
    }
    return name;
  }

  private String writable(String name) {
    requireWritable();
    return visible(name);
  }

  @Override
  public String tenant() {
    return tenantStore.tenant();
  }

  @Override
  public VersionInfo put(String name, SecretValue value, PutOptions options) {
    return tenantStore.put(writable(name), value, options);
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
    return scopedList(
        tenantStore, key.namePrefix(), options.prefix(), options.limit(), options.cursor());
  }

  /**
   * The names under {@code requested} this key may see whose name contains {@code needle} (ASCII
   * case-insensitively), at most {@code limit}: the store's pages are read in name order until
   * {@code limit} match or {@link #CONTAINS_SCAN} names were looked at; the cursor then points
   * after the last name looked at, so the next request carries on from there.
   */
  Page<SecretMetadata> listContaining(
      String requested, String needle, int limit, Optional<String> cursor) {
    return containing(tenantStore, key.namePrefix(), requested, needle, limit, cursor);
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
    return tenantStore.updateAttributes(writable(name), attributes);
  }

  @Override
  public void delete(String name) {
    tenantStore.delete(writable(name));
  }

  @Override
  public void restore(String name) {
    tenantStore.restore(writable(name));
  }

  @Override
  public void destroy(String name) {
    tenantStore.destroy(writable(name));
  }

  @Override
  public void destroy(String name, long version) {
    tenantStore.destroy(writable(name), version);
  }

  @Override
  public void close() {
    // The tenant store is the server's, shared by every request.
  }

  @Override
  public String toString() {
    return "KeyScopedStore[" + tenantStore.tenant() + ", key " + key.id() + "]";
  }

  /**
   * One page of the names under {@code requested} that a key scoped to {@code scope} may see (see
   * {@link ApiKey#allows}): the store is only ever asked for a prefix inside the scope, so neither
   * a page nor its cursor can hold a name outside it, whatever cursor the client sends.
   */
  private static Page<SecretMetadata> scopedList(
      SecretStore store, String scope, String requested, int limit, Optional<String> cursor) {
    Page<SecretMetadata> none = new Page<>(List.of(), Optional.empty());
    if (scope.isEmpty() || scope.endsWith("/")) {
      String prefix =
          requested.startsWith(scope) ? requested : scope.startsWith(requested) ? scope : null;
      return prefix == null ? none : store.list(options(prefix, limit, cursor));
    }
    // A scope without a trailing '/' covers the name itself and the names under it, but not
    // "prod2/x" or "production": the name first (it sorts before "prod/..."), then "prod/...".
    String under = scope + "/";
    if (requested.startsWith(under)) {
      return store.list(options(requested, limit, cursor));
    }
    if (!under.startsWith(requested)) {
      return none;
    }
    if (cursor.isPresent() || requested.equals(under)) {
      return store.list(options(under, limit, cursor));
    }
    Page<SecretMetadata> first = store.list(options(scope, 1, Optional.empty()));
    boolean exists = !first.items().isEmpty() && first.items().get(0).name().value().equals(scope);
    if (!exists) {
      return store.list(options(under, limit, Optional.empty()));
    }
    if (limit == 1) {
      // The store's cursor after the name itself is after it under "prod/" too ("prod" <
      // "prod/...").
      return new Page<>(first.items(), first.nextCursor());
    }
    Page<SecretMetadata> rest = store.list(options(under, limit - 1, Optional.empty()));
    List<SecretMetadata> items = new ArrayList<>(first.items());
    items.addAll(rest.items());
    return new Page<>(items, rest.nextCursor());
  }

  /**
   * Names scanned for {@code contains} per request at most: a page may end with fewer matches and a
   * cursor.
   */
  static final int CONTAINS_SCAN = 10_000;

  /**
   * The names under {@code requested} the key may see whose name contains {@code needle} (ASCII
   * case-insensitively), at most {@code limit}: the store's pages are read in name order until
   * {@code limit} match or {@link #CONTAINS_SCAN} names were looked at; the cursor then points
   * after the last name looked at, so the next request carries on from there.
   */
  private static Page<SecretMetadata> containing(
      SecretStore store,
      String scope,
      String requested,
      String needle,
      int limit,
      Optional<String> cursor) {
    String lower = needle.toLowerCase(Locale.ROOT);
    List<SecretMetadata> matched = new ArrayList<>();
    int scanned = 0;
    Optional<String> at = cursor;
    while (true) {
      Page<SecretMetadata> page = scopedList(store, scope, requested, ListOptions.MAX_LIMIT, at);
      List<SecretMetadata> items = page.items();
      for (int i = 0; i < items.size(); i++) {
        SecretMetadata m = items.get(i);
        scanned++;
        if (m.name().value().toLowerCase(Locale.ROOT).contains(lower)) {
          matched.add(m);
        }
        boolean last = i == items.size() - 1;
        if (matched.size() == limit || scanned >= CONTAINS_SCAN) {
          Optional<String> next =
              last ? page.nextCursor() : Optional.of(ListOptions.cursorAfter(m.name()));
          return new Page<>(List.copyOf(matched), next);
        }
      }
      if (page.nextCursor().isEmpty()) {
        return new Page<>(List.copyOf(matched), Optional.empty());
      }
      at = page.nextCursor();
    }
  }

  private static ListOptions options(String prefix, int limit, Optional<String> cursor) {
    ListOptions options = new ListOptions(prefix, limit, Optional.empty());
    return cursor.isPresent() ? options.after(cursor.get()) : options;
  }
}
