package org.modreg.core.store;

import org.modreg.core.audit.AuditStore;
import org.modreg.core.lifecycle.MarkStore;
import org.modreg.api.dto.ModuleMark;
import org.modreg.core.records.RecordStore;
import org.modreg.core.stats.StatsStore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modreg.api.dto.AuditEntry;
import org.modreg.api.dto.AuditEntry.Result;
import org.modreg.api.dto.ModuleContent;
import org.modreg.api.dto.ModuleError;

/** The schema, its migration and the SQL of records, statistics and the audit trail, on a real H2 file. */
public class DatabaseSqlTest {

    @TempDir
    Path dir;
    private Connection c;

    @BeforeEach
    void open() throws SQLException {
        c = connect();
    }

    private Connection connect() throws SQLException {
        Connection conn = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("t") + ";WRITE_DELAY=0", "sa", "");
        conn.setAutoCommit(false);
        return conn;
    }

    @AfterEach
    void close() throws SQLException {
        c.close();
    }

    @Test
    void theSchemaIsCreatedOnceAndItsVersionRecorded() throws SQLException {
        assertEquals(List.of(1, 2), Migrations.migrate(c));
        assertEquals(Migrations.latest(), Migrations.current(c));
        assertEquals(List.of(), Migrations.migrate(c));
        c.close();
        c = connect();
        assertEquals(List.of(), Migrations.migrate(c), "a reopened database is current");
    }

    @Test
    void aMigrationCutShortIsRunAgain() throws SQLException {
        Migrations.migrate(c);
        try (Statement s = c.createStatement()) {
            // as after a crash between H2's auto-committed DDL and the version row
            s.execute("DELETE FROM modreg_schema");
            s.execute("DROP TABLE audit");
        }
        c.commit();
        assertEquals(List.of(1, 2), Migrations.migrate(c));
        AuditStore.insert(c, entry("m", Instant.now()));
        assertEquals(1, AuditStore.query(c, null, null, 0).size());
    }

    @Test
    void aSchemaNewerThanTheCodeIsRefused() throws SQLException {
        Migrations.migrate(c);
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO modreg_schema VALUES (99, 'from the future', 0)");
        }
        c.commit();
        SQLException e = assertThrows(SQLException.class, () -> Migrations.migrate(c));
        assertTrue(e.getMessage().contains("schema is version 99, newer than this modreg knows (2)"), e.getMessage());
    }

    @Test
    void aVersionOneDatabaseIsMigratedToTheLatestAndKeepsItsData() throws Exception {
        // as a database written by the version of modreg with schema 1 only
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE modreg_schema (version INT NOT NULL PRIMARY KEY, description VARCHAR(255) NOT NULL, "
                    + "applied_at BIGINT NOT NULL)");
        }
        c.commit();
        for (String sql : Migrations.statements(new String(getClass().getResourceAsStream(
                "/org/modreg/core/store/db/V1__records_statistics_history_audit.sql").readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))) {
            try (Statement s = c.createStatement()) {
                s.execute(sql);
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO modreg_schema VALUES (1, 'records statistics history audit', 0)");
        }
        AuditStore.insert(c, entry("kept", Instant.now()));
        c.commit();
        assertEquals(List.of(2), Migrations.migrate(c));
        assertEquals(1, AuditStore.query(c, "kept", null, 0).size());
        MarkStore.put(c, new ModuleMark("m", ModuleMark.Kind.DEPRECATED, "old", "n", Instant.ofEpochMilli(5), "shell"));
        assertEquals(List.of(new ModuleMark("m", ModuleMark.Kind.DEPRECATED, "old", "n", Instant.ofEpochMilli(5), "shell")),
                List.copyOf(MarkStore.load(c).values()));
    }

    @Test
    void scriptsSplitAtTheSemicolonsThatEndALine() {
        assertEquals(List.of("CREATE TABLE a (\nx INT)", "CREATE INDEX i ON a (x)"),
                Migrations.statements("-- a comment;\nCREATE TABLE a (\nx INT);\n\nCREATE INDEX i ON a (x);\n"));
    }

    @Test
    void recordsAndErrorHistoriesAreWrittenReplacedAndRemoved() throws SQLException {
        Migrations.migrate(c);
        Instant t = Instant.ofEpochMilli(1_700_000_000_000L);
        ModuleContent content = new ModuleContent("ab12", 10, 7, "/store/ab12.jar");
        RecordStore.put(c, new RecordStore.Saved(5, "m", "1.0.0", "file:/m.jar", content, "shell", t, List.of()));
        RecordStore.put(c, new RecordStore.Saved(6, "n", "2.0.0", "file:/n.jar", ModuleContent.UNKNOWN, "framework", t,
                List.of()));
        // an update of bundle 5 replaces its row
        RecordStore.put(c, new RecordStore.Saved(5, "m", "1.1.0", "file:/m.jar", content, "deploy", t, List.of()));
        List<ModuleError> errors = List.of(new ModuleError(t, "start", "boom"), new ModuleError(t.plusSeconds(1), "stop", "bang"));
        RecordStore.errors(c, 5, errors);
        c.commit();

        Map<Long, RecordStore.Saved> saved = RecordStore.load(c);
        assertEquals(new RecordStore.Saved(5, "m", "1.1.0", "file:/m.jar", content, "deploy", t, errors), saved.get(5L));
        assertFalse(saved.get(6L).content().isKnown());

        RecordStore.errors(c, 5, errors.subList(1, 2));
        assertEquals(errors.subList(1, 2), RecordStore.load(c).get(5L).errors());
        RecordStore.remove(c, 5);
        assertEquals(java.util.Set.of(6L), RecordStore.load(c).keySet());
    }

    @Test
    void theVersionHistoryKeepsEveryRowInOrder() throws SQLException {
        Migrations.migrate(c);
        Instant t = Instant.ofEpochMilli(1_700_000_000_000L);
        RecordStore.version(c, new RecordStore.VersionRow("m", "1.0.0", "aa", 1, t, "shell", "installed"));
        RecordStore.version(c, new RecordStore.VersionRow("x", "1.0.0", "bb", 1, t, "shell", "installed"));
        RecordStore.version(c, new RecordStore.VersionRow("m", "1.1.0", "cc", 2, t, "deploy", "updated"));
        assertEquals(List.of("1.0.0 installed shell", "1.1.0 updated deploy"), RecordStore.versions(c, "m").stream()
                .map(v -> v.version() + " " + v.event() + " " + v.origin()).toList());
    }

    @Test
    void statisticsRoundTrip() throws SQLException {
        Migrations.migrate(c);
        Instant t = Instant.ofEpochMilli(1_700_000_000_000L);
        StatsStore.saveFigures(c, new StatsStore.Row("m", t, null, 1, 2, 1, 5_000, 9_000, 14_000, 2, t, 7, Map.of(), Map.of()));
        StatsStore.saveLookups(c, "m", "C", Map.of("a", 3L, "b", 4L));
        StatsStore.saveLookups(c, "m", "S", Map.of("S", 7L));
        // a later flush: new figures, one consumer's count changed, a new service
        StatsStore.saveFigures(c, new StatsStore.Row("m", t, t, 2, 3, 1, 6_000, 9_000, 20_000, 3, t, 9, Map.of(), Map.of()));
        StatsStore.saveLookups(c, "m", "C", Map.of("a", 5L));
        StatsStore.saveLookups(c, "m", "S", Map.of("T", 2L));
        c.commit();
        assertEquals(Map.of("m", new StatsStore.Row("m", t, t, 2, 3, 1, 6_000, 9_000, 20_000, 3, t, 9,
                Map.of("a", 5L, "b", 4L), Map.of("S", 7L, "T", 2L))), StatsStore.load(c));
    }

    @Test
    void theAuditTrailFiltersByModuleAndTimeAndKeepsTheNewest() throws SQLException {
        Migrations.migrate(c);
        Instant t = Instant.ofEpochMilli(1_700_000_000_000L);
        for (int i = 0; i < 5; i++) {
            AuditStore.insert(c, entry(i % 2 == 0 ? "even" : "odd", t.plusSeconds(i)));
        }
        AuditStore.insert(c, new AuditEntry(0, t.plusSeconds(9), "install", null, null, -1, "deploy", Result.REFUSED,
                "bad.jar", null, "bad.jar: not a zip"));
        c.commit();
        List<AuditEntry> all = AuditStore.query(c, null, null, 0);
        assertEquals(6, all.size());
        assertTrue(all.get(0).sequence() < all.get(5).sequence(), "oldest first");
        assertEquals(-1, all.get(5).bundleId());
        assertEquals("bad.jar: not a zip", all.get(5).error());
        assertEquals(List.of(t, t.plusSeconds(2), t.plusSeconds(4)),
                AuditStore.query(c, "even", null, 0).stream().map(AuditEntry::time).toList());
        assertEquals(List.of(t.plusSeconds(2), t.plusSeconds(4)),
                AuditStore.query(c, "even", t.plusSeconds(1), 0).stream().map(AuditEntry::time).toList());
        assertEquals(List.of(t.plusSeconds(4), t.plusSeconds(9)),
                AuditStore.query(c, null, null, 2).stream().map(AuditEntry::time).toList(), "the newest two");
    }

    private static AuditEntry entry(String module, Instant at) {
        return new AuditEntry(0, at, "start", module, "1.0.0", 3, "shell", Result.OK, module, null, null);
    }
}
