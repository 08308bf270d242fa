package com.lanonasis.secrets.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.lanonasis.secrets.ListOptions;
import com.lanonasis.secrets.Page;
import com.lanonasis.secrets.PutOptions;
import com.lanonasis.secrets.Secret;
import com.lanonasis.secrets.SecretMetadata;
import com.lanonasis.secrets.SecretName;
import com.lanonasis.secrets.SecretNotFoundException;
import com.lanonasis.secrets.SecretStore;
import com.lanonasis.secrets.SecretValue;
import com.lanonasis.secrets.SecretsException;
import com.lanonasis.secrets.VersionConflictException;
import com.lanonasis.secrets.VersionInfo;
import com.lanonasis.secrets.wire.ApiKeyFormat;
import io.javalin.http.Context;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Many secrets in one request, for the dashboard's {@code .env} import and export: {@code POST
 * /api/v1/secrets:import} and {@code POST /api/v1/secrets:export}, each one audited entry ({@code
 * import}, {@code export}) whose subject is the names' common prefix; an import adds one {@code
 * import.write} entry per name it wrote.
 *
 * <p>An import is all or nothing as far as a store without multi-name transactions allows: every
 * entry is checked first (name, the key's prefix, duplicates, the version the preview saw), and if
 * any fails nothing is written; then each is written with check-and-set against that version, and
 * if one fails there (someone wrote meanwhile) the versions this request wrote are destroyed again
 * and the answer says so. A dry run answers the checks alone: the preview.
 */
final class BulkRoutes {
  static final String IMPORT = SecretRoutes.BASE + ":import";
  static final String EXPORT = SecretRoutes.BASE + ":export";
  static final int MAX_ENTRIES = 500;
  static final int MAX_EXPORT = 1000;

  /** The audit action of each name an import wrote, besides the request's own {@code import}. */
  static final String WRITE_ACTION = "import.write";

  /** The body of an import (the OpenAPI document's {@code ImportRequest}). */
  record ImportRequest(List<ImportEntry> entries, Boolean dryRun) {}

  /**
   * One line of an import as sent; {@code expectedVersion} is the preview's {@code currentVersion}.
   */
  record ImportEntry(String key, String value, Long expectedVersion) {
    @Override
    public String toString() {
      return "ImportEntry[" + key + ", value redacted]";
    }
  }

  /**
   * The body of an export, optional: the names under {@code prefix} (all the key may see when
   * absent).
   */
  record ExportRequest(String prefix) {}

  private final ObjectMapper json;
  private final Function<String, SecretStore> stores;

  BulkRoutes(ObjectMapper json, Function<String, SecretStore> stores) {
    this.json = json;
    this.stores = stores;
  }

  /** One line of an import, as read and checked. */
  private static final class Entry {
    final String name;
    final String value;
    final Long expected;
    long current;
    @Nullable String error;
    boolean conflict;
    long written;

    Entry(String name, String value, Long expected) {
      this.name = name;
      this.value = value;
      this.expected = expected;
    }

    Map<String, Object> json(boolean dryRun) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("key", name);
      out.put("currentVersion", current);
      if (dryRun || written == 0) {
        out.put("action", current == 0 ? "create" : "update");
      } else {
        out.put("version", written);
      }
      if (error != null) {
        out.put("error", error);
      }
      return out;
    }
  }

  Reply importSecrets(Call call) {
    ApiKey key = call.principal();
    KeyScopedStore store = new KeyScopedStore(stores.apply(key.tenant()), key);
    store.requireWritable();
    ImportRequest body = Requests.body(call.http(), json, ImportRequest.class, "entries, dryRun");
    boolean dryRun = Boolean.TRUE.equals(body.dryRun());
    List<ImportEntry> raw = body.entries();
    if (raw == null || raw.isEmpty() || raw.size() > MAX_ENTRIES) {
      throw Problem.badRequest(
          "'entries' must be an array of 1 to " + MAX_ENTRIES + " {key, value, expectedVersion}");
    }
    List<Entry> entries = new ArrayList<>();
    for (ImportEntry n : raw) {
      entries.add(entry(n, dryRun));
    }
    call.about(commonPrefix(entries.stream().map(e -> e.name).toList()));
    Set<String> seen = new HashSet<>();
    for (Entry e : entries) {
      if (!SecretName.isValid(e.name) || ApiKeyFormat.contains(e.name)) {
        e.error = "not a valid secret name: segments of [A-Za-z0-9._-] joined by '/'";
      } else if (!store.sees(e.name)) {
        e.error = "outside this key's prefix";
      } else if (!seen.add(e.name)) {
        e.error = "appears twice";
      } else {
        e.current = currentVersion(store, e.name);
        if (e.expected != null && e.expected != e.current) {
          e.error = "changed since the preview: it is at version " + e.current;
          e.conflict = true;
        }
      }
    }
    boolean failed = entries.stream().anyMatch(e -> e.error != null);
    if (dryRun) {
      return Reply.json(200, result(entries, true, !failed));
    }
    if (failed) {
      boolean onlyConflicts = entries.stream().allMatch(e -> e.error == null || e.conflict);
      throw (onlyConflicts
              ? new Problem(
                      409, "Conflict", "secrets changed since the preview; nothing was written")
                  .code("import_conflict")
              : Problem.badRequest("some entries cannot be imported; nothing was written")
                  .code(Problem.INVALID_INPUT))
          .with("items", items(entries, false));
    }
    List<Entry> done = new ArrayList<>();
    for (Entry e : entries) {
      try (SecretValue v = SecretValue.ofUtf8(e.value)) {
        VersionInfo w = store.put(e.name, v, PutOptions.ifVersion(e.expected));
        e.written = w.version();
        done.add(e);
      } catch (SecretsException failure) {
        e.error =
            failure instanceof VersionConflictException c
                ? "changed while importing: it is at version " + c.currentVersion()
                : refusal(failure.kind());
        List<String> notUndone = rollBack(store, done);
        // Written, then destroyed again: each name is on record all the same.
        done.forEach(d -> call.also(WRITE_ACTION, d.name, "conflict"));
        throw new Problem(
                409,
                "Conflict",
                "an entry could not be written; the "
                    + done.size()
                    + " written before it were destroyed again"
                    + (notUndone.isEmpty() ? "" : ", except " + notUndone))
            .code("import_conflict")
            .with("items", items(entries, false));
      }
    }
    // Each written name audited on its own: the request's subject (their common prefix) may be
    // empty.
    done.forEach(d -> call.also(WRITE_ACTION, d.name, "ok"));
    return Reply.json(200, result(entries, false, true));
  }

  Reply export(Call call) {
    Context ctx = call.http();
    ApiKey key = call.principal();
    String prefix = "";
    if (ctx.bodyAsBytes().length > 0) {
      ExportRequest body = Requests.body(ctx, json, ExportRequest.class, "prefix");
      prefix = Optional.ofNullable(body.prefix()).orElse("");
    }
    if (prefix.length() > SecretName.MAX_LENGTH || !prefix.matches("[A-Za-z0-9._/-]*")) {
      throw Problem.badRequest(
          "prefix must be at most " + SecretName.MAX_LENGTH + " characters of [A-Za-z0-9._/-]");
    }
    call.about(prefix);
    KeyScopedStore store = new KeyScopedStore(stores.apply(key.tenant()), key);
    List<SecretMetadata> names = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      ListOptions options = new ListOptions(prefix, ListOptions.MAX_LIMIT, Optional.empty());
      Page<SecretMetadata> page =
          store.list(cursor.isPresent() ? options.after(cursor.get()) : options);
      names.addAll(page.items());
      cursor = page.nextCursor();
      if (names.size() > MAX_EXPORT) {
        throw Problem.badRequest(
            "more than " + MAX_EXPORT + " secrets under this prefix; export a narrower one");
      }
    } while (cursor.isPresent());
    List<Map<String, Object>> items = new ArrayList<>();
    for (SecretMetadata m : names) {
      try (Secret s = store.get(m.name().value())) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("key", s.name().value());
        byte[] bytes = s.value().bytes();
        try {
          item.put(
              "value",
              StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException notText) {
          item.put("valueBase64", bytes.clone());
        } finally {
          Arrays.fill(bytes, (byte) 0);
        }
        item.put("version", s.version());
        items.add(item);
      } catch (SecretNotFoundException gone) {
        // expired, deleted or destroyed between the listing and the read: not exported
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("prefix", prefix);
    out.put("items", items);
    return Reply.json(200, out).header("Cache-Control", "no-store");
  }

  private static Entry entry(ImportEntry n, boolean dryRun) {
    if (n == null) {
      throw Problem.badRequest("every entry must be an object {key, value, expectedVersion}");
    }
    String name = n.key();
    String value = n.value();
    if (name == null || value == null) {
      throw Problem.badRequest(
          "'" + (name == null ? "key" : "value") + "' is required in every entry");
    }
    Long expected = n.expectedVersion();
    if (expected != null) {
      if (expected < 0) {
        throw Problem.badRequest(
            "'expectedVersion' must be an integer >= 0 (0: must not exist yet)");
      }
    } else if (!dryRun) {
      throw Problem.badRequest(
          "every entry of an import needs 'expectedVersion': the currentVersion its preview showed");
    }
    return new Entry(name, value, expected);
  }

  private static long currentVersion(SecretStore store, String name) {
    try {
      return store.metadata(name).currentVersion();
    } catch (SecretNotFoundException e) {
      return 0;
    }
  }

  /**
   * Destroys the versions this request wrote, newest first; answers the names it could not undo.
   */
  /** Why one entry of an import was not written, by its failure's kind (docs/errors.md). */
  private static String refusal(SecretsException.Kind kind) {
    return switch (kind) {
      // The other conflict a write meets (a version conflict carries its version, above).
      case CONFLICT -> "deleted; restore it first";
      case NOT_FOUND -> "not found";
      case GONE -> "its tenant's keys are destroyed";
      case INVALID -> "refused as invalid";
      case DENIED, UNAUTHENTICATED -> "not allowed for this key";
      case UNAVAILABLE -> "the store is unavailable; try again";
      case INTEGRITY -> "the store reported an integrity fault";
      case CONFIGURATION -> "the store is misconfigured";
    };
  }

  private static List<String> rollBack(SecretStore store, List<Entry> done) {
    List<String> failed = new ArrayList<>();
    for (int i = done.size() - 1; i >= 0; i--) {
      Entry e = done.get(i);
      try {
        store.destroy(e.name, e.written);
      } catch (SecretsException x) {
        failed.add(e.name);
      }
    }
    return failed;
  }

  private static Map<String, Object> result(List<Entry> entries, boolean dryRun, boolean ok) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("dryRun", dryRun);
    out.put("ok", ok);
    out.put("items", items(entries, dryRun));
    return out;
  }

  private static List<Map<String, Object>> items(List<Entry> entries, boolean dryRun) {
    return entries.stream().map(e -> e.json(dryRun)).toList();
  }

  /** The longest common run of whole segments, for the audit entry's subject ("" if none). */
  static String commonPrefix(List<String> names) {
    if (names.isEmpty()) {
      return "";
    }
    String p = names.get(0);
    for (String n : names) {
      int i = 0;
      while (i < p.length() && i < n.length() && p.charAt(i) == n.charAt(i)) {
        i++;
      }
      p = p.substring(0, i);
    }
    int slash = p.lastIndexOf('/');
    String whole = names.size() == 1 ? p : slash < 0 ? "" : p.substring(0, slash + 1);
    return whole.length() > SecretName.MAX_LENGTH ? "" : Authenticator.redact(whole);
  }
}
