package org.modreg.core.store;

import org.modreg.core.audit.AuditStore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modreg.api.dto.AuditEntry;
import org.modreg.api.dto.AuditEntry.Result;

/** The database component over H2's own DataSourceFactory: writes, flushes, reopening, a file it cannot open. */
public class DatabaseTest {

    @TempDir
    Path dir;

    private JdbcDatabase open(String url) throws SQLException {
        return TestDatabases.open(url);
    }

    private static AuditEntry entry(String module) {
        return new AuditEntry(0, Instant.now(), "install", module, "1.0.0", 1, "shell", Result.OK, module + ".jar", null, null);
    }

    @Test
    void writesAreCommittedByTheWriterAndSurviveAReopen() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("db") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
        JdbcDatabase db = open(url);
        assertTrue(db.created(), "a new file gets the schema");
        db.write(c -> AuditStore.insert(c, entry("a")));
        db.write(c -> AuditStore.insert(c, entry("b")));
        // the writer commits on its own, within the flush interval
        long end = System.nanoTime() + 5_000_000_000L;
        while (db.read(c -> AuditStore.query(c, null, null, 0)).size() < 2 && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertEquals(2, db.read(c -> AuditStore.query(c, null, null, 0)).size());
        db.write(c -> AuditStore.insert(c, entry("c")));
        db.deactivate(); // flushes what is queued

        JdbcDatabase again = open(url);
        assertEquals(List.of("a", "b", "c"), again.read(c -> AuditStore.query(c, null, null, 0)).stream()
                .map(AuditEntry::moduleId).toList());
        assertTrue(!again.created(), "an existing schema is kept");
        again.deactivate();
    }

    @Test
    void aDatabaseThatCannotBeOpenedIsAClearErrorAndWritesAreDropped() throws Exception {
        // written by a newer modreg: a schema version this code does not know
        String url = "jdbc:h2:file:" + dir.resolve("newer") + ";DB_CLOSE_ON_EXIT=FALSE";
        try (var c = java.sql.DriverManager.getConnection(url, "sa", ""); var s = c.createStatement()) {
            s.execute("CREATE TABLE modreg_schema (version INT NOT NULL PRIMARY KEY, description VARCHAR(255) NOT NULL, "
                    + "applied_at BIGINT NOT NULL)");
            s.execute("INSERT INTO modreg_schema VALUES (99, 'from the future', 0)");
            s.execute("SHUTDOWN");
        }
        JdbcDatabase db = open(url);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> db.read(c -> 1));
        assertTrue(e.getMessage().startsWith("modreg runs without its database: the database schema is version 99, "
                + "newer than this modreg knows"), e.getMessage());
        db.write(c -> {
            throw new AssertionError("a write to a database that is not open must not run");
        });
        db.flush(); // no error: nothing to do
        db.deactivate();
    }
}
