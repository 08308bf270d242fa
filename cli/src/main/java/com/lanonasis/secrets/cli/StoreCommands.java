package com.lanonasis.secrets.cli;

import com.lanonasis.secrets.audit.AuditLog;
import com.lanonasis.secrets.audit.AuditVerification;
import com.lanonasis.secrets.audit.ServerTables;
import com.lanonasis.secrets.jdbc.JdbcDatabase;
import com.lanonasis.secrets.jdbc.JdbcRecordStore;
import com.lanonasis.secrets.jdbc.JdbcSecretStoreProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lanonasis migrate-store} and {@code lanonasis backup}: moving and copying a store's
 * database.
 */
final class StoreCommands {
  private StoreCommands() {}

  @Command(
      name = "migrate-store",
      mixinStandardHelpOptions = true,
      description = {
        "Copy a store to another database as it is stored: sealed values stay sealed (no keyset needed, nothing "
            + "is decrypted), and versions, deleted and destroyed secrets, tenant keysets, and a server's API keys "
            + "and audit log come along. The source is opened read-only and left as it was; the target must be "
            + "empty. The copy is one transaction: all or nothing.",
        "Stop the server that uses the source first.",
        "Example (an earlier version's default H2 store to today's SQLite default):",
        "  lanonasis migrate-store --from jdbc:h2:file:./data/secrets --to jdbc:sqlite:./data/secrets.db",
        "Database credentials of a server database: the URL's user parameter and LANONASIS_DB_USER / "
            + "LANONASIS_DB_PASSWORD."
      })
  static final class MigrateStore implements Callable<Integer> {
    @ParentCommand Lanonasis root;

    @Option(
        names = "--from",
        required = true,
        paramLabel = "JDBC-URL",
        description = "The store to copy.")
    String from;

    @Option(
        names = "--to",
        required = true,
        paramLabel = "JDBC-URL",
        description = "An empty store to copy into.")
    String to;

    @Override
    public Integer call() throws IOException {
      StoreUrlPassword.refuseOnCommandLine("--from", from);
      StoreUrlPassword.refuseOnCommandLine("--to", to);
      if (from.equals(to)) {
        throw new CliException(ExitCode.USAGE, "--from and --to name the same store");
      }
      Optional<Path> sourceFile = JdbcDatabase.fileOf(from);
      if (sourceFile.isPresent() && !Files.isRegularFile(sourceFile.get())) {
        throw new CliException(
            ExitCode.NOT_FOUND, "no store at " + sourceFile.get() + " (--from " + from + ")");
      }
      try (JdbcDatabase source = database(from, true);
          JdbcDatabase target = database(to, false)) {
        JdbcRecordStore sourceRecords =
            JdbcRecordStore.builder().database(source).validateSchemaOnly().build();
        List<String> tables = new ArrayList<>(sourceRecords.tableNames());
        boolean server = source.hasTable("server_audit_log");
        JdbcRecordStore.builder().database(target).build();
        if (server) {
          ServerTables.migrate(target, "");
          tables.addAll(ServerTables.tableNames());
        }
        Map<String, Long> copied = source.copyTo(target, tables);
        Optional<AuditVerification> audit =
            server
                ? Optional.of(new AuditLog(target, Clock.systemUTC()).verify())
                : Optional.empty();
        if (audit.isPresent() && !audit.get().intact()) {
          throw new CliException(
              ExitCode.ERROR,
              "copied, but the audit log's hash chain does not verify in the target "
                  + "(first broken entry "
                  + audit.get().firstBrokenSeq().orElse(0L)
                  + "); check the source with "
                  + "GET /api/v1/audit/verify");
        }
        print(copied, audit, source.describe(), target.describe());
      }
      return ExitCode.OK;
    }

    private JdbcDatabase database(String url, boolean readOnly) {
      JdbcDatabase.Builder b = JdbcDatabase.builder().url(url).maximumPoolSize(2);
      if (JdbcDatabase.fileOf(url).isEmpty()) {
        // A server database: credentials as everywhere else in the CLI, from the environment.
        Optional.ofNullable(root.env.get(JdbcSecretStoreProvider.ENV_DB_USER))
            .filter(u -> !url.contains("user="))
            .ifPresent(b::username);
        Optional.ofNullable(root.env.get(JdbcSecretStoreProvider.ENV_DB_PASSWORD))
            .ifPresent(p -> b.password(p.toCharArray()));
      }
      return readOnly ? b.readOnly().build() : b.build();
    }

    private void print(
        Map<String, Long> copied, Optional<AuditVerification> audit, String from, String to)
        throws IOException {
      if (root.json) {
        var node = SecretCommands.JSON.createObjectNode().put("from", from).put("to", to);
        var rows = node.putObject("rows");
        copied.forEach(rows::put);
        audit.ifPresent(a -> node.put("auditEntries", a.entries()).put("auditIntact", a.intact()));
        root.out.println(SecretCommands.JSON.writeValueAsString(node));
        return;
      }
      root.out.println("copied " + from + " to " + to + ":");
      copied.forEach((table, n) -> root.out.println("  " + table + ": " + n + " rows"));
      audit.ifPresent(
          a -> root.out.println("audit log: " + a.entries() + " entries, hash chain intact"));
      root.out.println(
          "The source is unchanged; keep it until the new store has served you for a while.");
    }
  }

  @Command(
      name = "backup",
      mixinStandardHelpOptions = true,
      description = {
        "Write a consistent copy of an embedded store (--store) to a new file, while the server keeps running "
            + "(SQLite: VACUUM INTO, a SQLite database; H2: BACKUP TO, a zip, with the server stopped since H2 "
            + "allows one process). The file is created 0600 and flushed to the disk.",
        "Restore a SQLite backup into a new, empty store (move the damaged one away first, with its -wal and -shm "
            + "files):",
        "  lanonasis migrate-store --from jdbc:sqlite:BACKUP-FILE --to jdbc:sqlite:./data/secrets.db",
        "PostgreSQL and MariaDB: use pg_dump or mariadb-dump."
      })
  static final class Backup implements Callable<Integer> {
    @ParentCommand Lanonasis root;

    @Option(
        names = "--to",
        required = true,
        paramLabel = "FILE",
        description = "The backup file (must not exist).")
    Path to;

    @Override
    public Integer call() throws IOException {
      Target target = root.target();
      if (target.remote()) {
        throw new CliException(
            ExitCode.USAGE,
            "backup copies an embedded store's file: give --store, not a server "
                + "URL (a server's own store is backed up where it runs)");
      }
      Optional<Path> file = JdbcDatabase.fileOf(target.store());
      if (file.isEmpty()) {
        throw new CliException(
            ExitCode.USAGE,
            "backup is for the embedded stores (jdbc:sqlite:FILE, jdbc:h2:file:NAME); "
                + "back up PostgreSQL with pg_dump and MariaDB with mariadb-dump");
      }
      if (!Files.isRegularFile(file.get())) {
        throw new CliException(ExitCode.NOT_FOUND, "no store at " + file.get());
      }
      if (Files.exists(to)) {
        throw new CliException(
            ExitCode.USAGE, "the backup file " + to + " exists already; choose a new name");
      }
      try (JdbcDatabase db =
          JdbcDatabase.builder().url(target.store()).maximumPoolSize(1).build()) {
        db.backupTo(to);
        long size = Files.size(to);
        if (root.json) {
          root.out.println(
              SecretCommands.JSON.writeValueAsString(
                  SecretCommands.JSON
                      .createObjectNode()
                      .put("store", db.describe())
                      .put("backup", to.toString())
                      .put("bytes", size)));
        } else {
          root.out.println("backed up " + db.describe() + " to " + to + " (" + size + " bytes)");
        }
      }
      return ExitCode.OK;
    }
  }
}
