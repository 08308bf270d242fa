package com.lanonasis.secrets.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.lanonasis.secrets.apikey.ApiKeyTable;
import com.lanonasis.secrets.jdbc.JdbcDatabase;
import com.lanonasis.secrets.wire.ApiKeyFormat;
import com.lanonasis.secrets.wire.Role;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's tables on a store without a server, as the CLI uses them: migrated, a break-glass
 * key made and audited, the chain verified and checkpointed.
 */
class OperatorTablesTest {
  @TempDir Path dir;

  JdbcDatabase database() {
    return JdbcDatabase.builder().url("jdbc:sqlite:" + dir.resolve("secrets.db")).build();
  }

  @Nested
  @DisplayName("ServerTables")
  class Tables {
    @Test
    void migrate_onSqlite_createsTheKeyTableAndTheAuditLog_andIsRepeatable() {
      try (JdbcDatabase db = database()) {
        ServerTables.migrate(db, "");
        ServerTables.migrate(db, "");
        for (String table : ServerTables.tableNames()) {
          assertThat(db.hasTable(table)).as(table).isTrue();
        }
        assertThat(ServerTables.tableNames())
            .containsExactly("server_api_keys", "server_audit_log");
      }
    }
  }

  @Nested
  @DisplayName("ApiKeyTable")
  class Keys {
    @Test
    void create_returnsAKeyOfTheFormat_andStoresOnlyTheHashOfItsSecret() throws Exception {
      try (JdbcDatabase db = database()) {
        ServerTables.migrate(db, "");
        String key =
            new ApiKeyTable(db, Clock.systemUTC()).create("default", Role.READ_ONLY, "team/");
        assertThat(ApiKeyFormat.matches(key)).as("lns_<id>_<secret>").isTrue();
        String id = key.substring(4, 20);
        String secret = key.substring(21);
        byte[] stored =
            db.read(
                "read the key row",
                c -> {
                  try (PreparedStatement ps =
                      c.prepareStatement(
                          "SELECT tenant, role, name_prefix, secret_sha256 FROM server_api_keys WHERE id = ?")) {
                    ps.setString(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                      assertThat(rs.next()).isTrue();
                      assertThat(List.of(rs.getString(1), rs.getString(2), rs.getString(3)))
                          .containsExactly("default", "READ_ONLY", "team/");
                      return rs.getBytes(4);
                    }
                  }
                });
        assertThat(stored).isEqualTo(ApiKeyTable.secretHash(secret)).hasSize(32);
      }
    }

    @Test
    void create_withAPrefixThatIsNoName_isRefused_andWritesNothing() {
      try (JdbcDatabase db = database()) {
        ServerTables.migrate(db, "");
        assertThatThrownBy(
                () -> new ApiKeyTable(db, Clock.systemUTC()).create("default", Role.ADMIN, "../x"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("name prefix is not a valid secret name (or one followed by '/'): ../x");
        long rows =
            db.read(
                "count keys",
                c -> {
                  try (PreparedStatement ps =
                          c.prepareStatement("SELECT COUNT(*) FROM server_api_keys");
                      ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                  }
                });
        assertThat(rows).isZero();
      }
    }

    @Test
    void toString_namesTheTable_only() {
      try (JdbcDatabase db = database()) {
        assertThat(new ApiKeyTable(db, Clock.systemUTC()))
            .hasToString("ApiKeyTable[server_api_keys]");
      }
    }
  }

  @Nested
  @DisplayName("OperatorChanges")
  class Changes {
    @Test
    void record_onAStoreWithoutTables_createsThem_andChainsTheEntriesAsTheOperatorsTenant() {
      try (JdbcDatabase db = database()) {
        AuditEntry first =
            OperatorChanges.record(db, "key.breakglass", "keys/0123456789abcdef", "ok", "alice");
        AuditEntry second =
            OperatorChanges.record(db, "key.breakglass", "keys", "invalid", "x".repeat(100));
        assertThat(first.seq()).isEqualTo(1);
        assertThat(second.prevHash()).isEqualTo(first.hash());
        assertThat(second.tenant()).contains("default");
        assertThat(second.keyId()).isEmpty();
        assertThat(second.clientAddress()).contains("x".repeat(64));
        AuditVerification v = new AuditLog(db, Clock.systemUTC()).verify();
        assertThat(v.entries()).isEqualTo(2);
        assertThat(v.intact()).isTrue();
      }
    }

    @Test
    void record_withAnUnknownOutcome_isRefused() {
      try (JdbcDatabase db = database()) {
        assertThatThrownBy(
                () -> OperatorChanges.record(db, "key.breakglass", "keys", "fine", "alice"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("unknown audit outcome: fine");
      }
    }
  }

  @Nested
  @DisplayName("AuditCheckpointVerifier")
  class Checkpoints {
    @Test
    void verify_aCheckpointOfTheNewestEntry_holds_andFailsForAnotherKey() throws Exception {
      try (JdbcDatabase db = database()) {
        OperatorChanges.record(db, "key.rotate", "keys", "ok", "alice");
        AuditEntry newest = OperatorChanges.record(db, "key.shred", "tenants/t1", "ok", "alice");
        ObjectMapper json = new ObjectMapper();
        AuditCheckpoints signer = AuditCheckpoints.ephemeral(json);
        JsonNode checkpoint = json.valueToTree(signer.sign(newest).json());
        AuditLog log = new AuditLog(db, Clock.systemUTC());

        AuditCheckpointVerifier.Result ok =
            AuditCheckpointVerifier.verify(
                checkpoint,
                Optional.of(signer.publicKey()),
                log.read(0, 100, Optional.empty()).iterator());
        assertThat(ok.holds()).as(ok.explanation()).isTrue();
        assertThat(ok.entriesChecked()).isEqualTo(2);

        byte[] stranger = AuditCheckpoints.ephemeral(json).publicKey();
        AuditCheckpointVerifier.Result wrong =
            AuditCheckpointVerifier.verify(
                checkpoint, Optional.of(stranger), log.read(0, 100, Optional.empty()).iterator());
        assertThat(wrong.holds()).isFalse();
        assertThat(wrong.explanation()).contains("not by the key it must be signed with");
      }
    }
  }
}
