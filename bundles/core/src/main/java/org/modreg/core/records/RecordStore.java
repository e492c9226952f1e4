package org.modreg.core.records;

import org.modreg.core.store.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.modreg.api.dto.ModuleContent;
import org.modreg.api.dto.ModuleError;

/**
 * The SQL of module records, their error histories and the version history. Plain statements
 * (update, then insert if nothing was updated) rather than a vendor's MERGE, so that another
 * database can follow H2.
 */
public final class RecordStore {

    private RecordStore() {
    }

    /** What the database remembers of one bundle. */
    public record Saved(long bundleId, String moduleId, String version, String location, ModuleContent content, String origin,
            Instant installed, List<ModuleError> errors) {
    }

    /** A row of the version history. */
    public record VersionRow(String moduleId, String version, String digest, long size, Instant time, String origin, String event) {
    }

    /** @return every saved record, by bundle id, with its error history */
    public static Map<Long, Saved> load(Connection c) throws SQLException {
        Map<Long, List<ModuleError>> errors = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT bundle_id, at_millis, operation, message FROM module_error ORDER BY bundle_id, id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                errors.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                        .add(new ModuleError(Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), rs.getString(4)));
            }
        }
        Map<Long, Saved> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT bundle_id, module_id, version, location, digest, size, "
                + "compressed_size, stored, origin, installed_at FROM module_record ORDER BY bundle_id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long id = rs.getLong(1);
                String digest = rs.getString(5);
                ModuleContent content = digest == null ? ModuleContent.UNKNOWN
                        : new ModuleContent(digest, rs.getLong(6), rs.getLong(7), rs.getString(8));
                out.put(id, new Saved(id, rs.getString(2), rs.getString(3), rs.getString(4), content, rs.getString(9),
                        Instant.ofEpochMilli(rs.getLong(10)), errors.getOrDefault(id, List.of())));
            }
        }
        return out;
    }

    /** Writes (inserts or replaces) the record of a bundle, not its errors. */
    public static void put(Connection c, Saved s) throws SQLException {
        ModuleContent k = s.content();
        boolean known = k != null && k.isKnown();
        try (PreparedStatement ps = c.prepareStatement("UPDATE module_record SET module_id = ?, version = ?, location = ?, "
                + "digest = ?, size = ?, compressed_size = ?, stored = ?, origin = ?, installed_at = ? WHERE bundle_id = ?")) {
            recordValues(ps, s, known);
            ps.setLong(10, s.bundleId());
            if (ps.executeUpdate() > 0) {
                return;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO module_record (module_id, version, location, digest, "
                + "size, compressed_size, stored, origin, installed_at, bundle_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            recordValues(ps, s, known);
            ps.setLong(10, s.bundleId());
            ps.executeUpdate();
        }
    }

    private static void recordValues(PreparedStatement ps, Saved s, boolean known) throws SQLException {
        ps.setString(1, s.moduleId());
        ps.setString(2, s.version());
        ps.setString(3, s.location());
        if (known) {
            ps.setString(4, s.content().digest());
        } else {
            ps.setNull(4, Types.VARCHAR);
        }
        ps.setLong(5, known ? s.content().size() : -1);
        ps.setLong(6, known ? s.content().compressedSize() : -1);
        ps.setString(7, known ? s.content().stored() : null);
        ps.setString(8, s.origin());
        ps.setLong(9, s.installed().toEpochMilli());
    }

    /** Replaces a bundle's error history. */
    public static void errors(Connection c, long bundleId, List<ModuleError> errors) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM module_error WHERE bundle_id = ?")) {
            ps.setLong(1, bundleId);
            ps.executeUpdate();
        }
        if (errors.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO module_error (bundle_id, at_millis, operation, message) VALUES (?, ?, ?, ?)")) {
            for (ModuleError e : errors) {
                ps.setLong(1, bundleId);
                ps.setLong(2, e.time().toEpochMilli());
                ps.setString(3, e.operation());
                ps.setString(4, Sql.clip(e.message(), 8000));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Removes a bundle's record and error history (it was uninstalled). */
    public static void remove(Connection c, long bundleId) throws SQLException {
        for (String table : new String[] { "module_error", "module_record" }) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE bundle_id = ?")) {
                ps.setLong(1, bundleId);
                ps.executeUpdate();
            }
        }
    }

    /** Adds a row to the version history. */
    public static void version(Connection c, VersionRow v) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO module_version (module_id, version, digest, size, "
                + "at_millis, origin, event) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, v.moduleId());
            ps.setString(2, v.version());
            ps.setString(3, v.digest());
            ps.setLong(4, v.size());
            ps.setLong(5, v.time().toEpochMilli());
            ps.setString(6, v.origin());
            ps.setString(7, v.event());
            ps.executeUpdate();
        }
    }

    /** @return a module's version history, oldest first */
    public static List<VersionRow> versions(Connection c, String moduleId) throws SQLException {
        List<VersionRow> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT module_id, version, digest, size, at_millis, origin, event "
                + "FROM module_version WHERE module_id = ? ORDER BY id")) {
            ps.setString(1, moduleId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new VersionRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                            Instant.ofEpochMilli(rs.getLong(5)), rs.getString(6), rs.getString(7)));
                }
            }
        }
        return out;
    }

    /** @return every module's version rows, oldest first */
    public static List<VersionRow> allVersions(Connection c) throws SQLException {
        List<VersionRow> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT module_id, version, digest, size, at_millis, origin, event "
                + "FROM module_version ORDER BY id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new VersionRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        Instant.ofEpochMilli(rs.getLong(5)), rs.getString(6), rs.getString(7)));
            }
        }
        return out;
    }
}
