package org.modreg.core.lifecycle;

import org.modreg.api.dto.ModuleMark;
import org.modreg.core.store.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The SQL of lifecycle marks: one per module id at most. */
public final class MarkStore {

    private MarkStore() {
    }

    public static Map<String, ModuleMark> load(Connection c) throws SQLException {
        Map<String, ModuleMark> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT module_id, mark, reason, replacement, at_millis, origin FROM module_mark ORDER BY module_id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), new ModuleMark(rs.getString(1), ModuleMark.Kind.valueOf(rs.getString(2)), rs.getString(3), rs.getString(4),
                        Instant.ofEpochMilli(rs.getLong(5)), rs.getString(6)));
            }
        }
        return out;
    }

    public static void put(Connection c, ModuleMark m) throws SQLException {
        remove(c, m.moduleId());
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO module_mark (module_id, mark, reason, replacement, at_millis, "
                + "origin) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, m.moduleId());
            ps.setString(2, m.kind().name());
            ps.setString(3, Sql.clip(m.reason(), 4000));
            ps.setString(4, m.replacement());
            ps.setLong(5, m.time().toEpochMilli());
            ps.setString(6, m.origin());
            ps.executeUpdate();
        }
    }

    public static void remove(Connection c, String moduleId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM module_mark WHERE module_id = ?")) {
            ps.setString(1, moduleId);
            ps.executeUpdate();
        }
    }
}
