package org.modreg.core.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Brings the database schema to the version this code needs, one numbered script at a time.
 *
 * <p>A small versioned migration rather than Flyway: Flyway's current releases are not OSGi
 * bundles and scan class paths, which a bundle does not have. The applied versions are rows of
 * {@code modreg_schema}; each script ({@code db/V<n>__<what>.sql} beside this class) runs once,
 * in order, and its row is written in the same transaction as its last statement. A database
 * written by a newer modreg (a version above the newest script) is refused rather than guessed at.
 */
public final class Migrations {

    /** The scripts, in order; the n-th is version n. Add new ones at the end, never edit a shipped one. */
    public static final List<String> SCRIPTS = List.of("V1__records_statistics_history_audit.sql", "V2__lifecycle_marks.sql");

    private Migrations() {
    }

    /** @return the newest schema version this code knows */
    public static int latest() {
        return SCRIPTS.size();
    }

    /**
     * Applies the missing scripts.
     *
     * @param c a connection, in manual-commit mode
     * @return the versions applied now (empty if the schema was current)
     * @throws SQLException if a script fails (its transaction is rolled back) or the schema is newer than this code
     */
    public static List<Integer> migrate(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS modreg_schema (version INT NOT NULL PRIMARY KEY, "
                    + "description VARCHAR(255) NOT NULL, applied_at BIGINT NOT NULL)");
        }
        c.commit();
        int current = current(c);
        if (current > latest()) {
            throw new SQLException("the database schema is version " + current + ", newer than this modreg knows ("
                    + latest() + "); it was written by a newer modreg. Use that one, or another data directory");
        }
        List<Integer> applied = new ArrayList<>();
        for (int v = current + 1; v <= latest(); v++) {
            String script = SCRIPTS.get(v - 1);
            try {
                for (String sql : statements(read(script))) {
                    try (Statement s = c.createStatement()) {
                        s.execute(sql);
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO modreg_schema (version, description, applied_at) VALUES (?, ?, ?)")) {
                    ps.setInt(1, v);
                    ps.setString(2, description(script));
                    ps.setLong(3, System.currentTimeMillis());
                    ps.executeUpdate();
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw new SQLException("schema migration " + script + " failed: " + e.getMessage(), e.getSQLState(), e);
            }
            applied.add(v);
        }
        return applied;
    }

    /** @return the schema version of a database; 0 if none was applied */
    public static int current(Connection c) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(version) FROM modreg_schema")) {
            return rs.next() ? rs.getInt(1) : 0;
        } catch (SQLException e) {
            throw new SQLException("cannot read the schema version of " + md.getURL() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Splits a script into statements: at each {@code ;} that ends a line. Lines starting with
     * {@code --} are comments.
     */
    public static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        for (String line : script.split("\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("--")) {
                continue;
            }
            if (t.endsWith(";")) {
                sb.append(t, 0, t.length() - 1);
                out.add(sb.toString().strip());
                sb.setLength(0);
            } else {
                sb.append(t).append('\n');
            }
        }
        if (!sb.toString().isBlank()) {
            out.add(sb.toString().strip());
        }
        return out;
    }

    private static String description(String script) {
        int sep = script.indexOf("__");
        return script.substring(sep + 2, script.length() - ".sql".length()).replace('_', ' ');
    }

    private static String read(String script) throws SQLException {
        try (InputStream in = Migrations.class.getResourceAsStream("db/" + script)) {
            if (in == null) {
                throw new SQLException("the schema script db/" + script + " is missing from the bundle");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SQLException("cannot read the schema script " + script + ": " + e, e);
        }
    }
}
