package org.modreg.core.stats;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** The SQL of the statistics: one row per module id, and its look-ups by consumer and by service. */
public final class StatsStore {

    private StatsStore() {
    }

    /** The persisted figures of one module id; start durations in nanoseconds, -1 if none. */
    public record Row(String moduleId, Instant installed, Instant updated, long updates, long starts, long failures, long lastStart,
            long maxStart, long totalStart, long timedStarts, Instant lastUsed, long lookups, Map<String, Long> byConsumer,
            Map<String, Long> byService) {

        public Row {
            byConsumer = Map.copyOf(byConsumer);
            byService = Map.copyOf(byService);
        }

    }

    /** @return every module's figures, by module id */
    public static Map<String, Row> load(Connection c) throws SQLException {
        Map<String, Map<String, Long>> consumers = new HashMap<>();
        Map<String, Map<String, Long>> services = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT module_id, kind, name, lookups FROM module_lookups");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                (rs.getString(2).equals("C") ? consumers : services).computeIfAbsent(rs.getString(1), k -> new HashMap<>())
                        .put(rs.getString(3), rs.getLong(4));
            }
        }
        Map<String, Row> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT module_id, installed_at, updated_at, updates, starts, "
                + "start_failures, last_start_nanos, max_start_nanos, total_start_nanos, timed_starts, last_used, lookups "
                + "FROM module_stats");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String id = rs.getString(1);
                out.put(id, new Row(id, instant(rs, 2), instant(rs, 3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
                        rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), instant(rs, 11), rs.getLong(12),
                        consumers.getOrDefault(id, Map.of()), services.getOrDefault(id, Map.of())));
            }
        }
        return out;
    }

    /** Writes (inserts or replaces) a module's figures; its look-up maps are written by {@link #saveLookups}. */
    public static void saveFigures(Connection c, Row now) throws SQLException {
        String set = "installed_at = ?, updated_at = ?, updates = ?, starts = ?, start_failures = ?, last_start_nanos = ?, "
                + "max_start_nanos = ?, total_start_nanos = ?, timed_starts = ?, last_used = ?, lookups = ?";
        int n;
        try (PreparedStatement ps = c.prepareStatement("UPDATE module_stats SET " + set + " WHERE module_id = ?")) {
            figures(ps, now);
            ps.setString(12, now.moduleId());
            n = ps.executeUpdate();
        }
        if (n == 0) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO module_stats (installed_at, updated_at, updates, "
                    + "starts, start_failures, last_start_nanos, max_start_nanos, total_start_nanos, timed_starts, "
                    + "last_used, lookups, module_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                figures(ps, now);
                ps.setString(12, now.moduleId());
                ps.executeUpdate();
            }
        }
    }

    /** Removes a module's figures and look-up counts: it is uninstalled. */
    public static void remove(Connection c, String id) throws SQLException {
        for (String table : new String[] { "module_lookups", "module_stats" }) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE module_id = ?")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
        }
    }

    /**
     * Writes (inserts or replaces) look-up counts of a module.
     *
     * @param kind {@code C}: by consumer; {@code S}: by service interface
     */
    public static void saveLookups(Connection c, String id, String kind, Map<String, Long> counts) throws SQLException {
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            int n;
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE module_lookups SET lookups = ? WHERE module_id = ? AND kind = ? AND name = ?")) {
                ps.setLong(1, e.getValue());
                ps.setString(2, id);
                ps.setString(3, kind);
                ps.setString(4, e.getKey());
                n = ps.executeUpdate();
            }
            if (n == 0) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO module_lookups (module_id, kind, name, lookups) VALUES (?, ?, ?, ?)")) {
                    ps.setString(1, id);
                    ps.setString(2, kind);
                    ps.setString(3, e.getKey());
                    ps.setLong(4, e.getValue());
                    ps.executeUpdate();
                }
            }
        }
    }

    private static void figures(PreparedStatement ps, Row r) throws SQLException {
        millis(ps, 1, r.installed());
        millis(ps, 2, r.updated());
        ps.setLong(3, r.updates());
        ps.setLong(4, r.starts());
        ps.setLong(5, r.failures());
        ps.setLong(6, r.lastStart());
        ps.setLong(7, r.maxStart());
        ps.setLong(8, r.totalStart());
        ps.setLong(9, r.timedStarts());
        millis(ps, 10, r.lastUsed());
        ps.setLong(11, r.lookups());
    }

    private static Instant instant(ResultSet rs, int col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static void millis(PreparedStatement ps, int i, Instant t) throws SQLException {
        if (t == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, t.toEpochMilli());
        }
    }
}
