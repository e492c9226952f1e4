package org.modreg.core.audit;

import org.modreg.core.store.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.modreg.api.dto.AuditEntry;

/** The SQL of the audit trail. */
public final class AuditStore {

    private AuditStore() {
    }

    /** Appends an entry; its sequence number is the database's. */
    public static void insert(Connection c, AuditEntry e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit (at_millis, operation, module_id, version, "
                + "bundle_id, origin, result, target, detail, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, e.time().toEpochMilli());
            ps.setString(2, e.operation());
            ps.setString(3, e.moduleId());
            ps.setString(4, e.version());
            if (e.bundleId() >= 0) {
                ps.setLong(5, e.bundleId());
            } else {
                ps.setNull(5, Types.BIGINT);
            }
            ps.setString(6, e.origin());
            ps.setString(7, e.result().name());
            ps.setString(8, Sql.clip(e.target(), 4000));
            ps.setString(9, Sql.clip(e.detail(), 4000));
            ps.setString(10, Sql.clip(e.error(), 8000));
            ps.executeUpdate();
        }
    }

    /** @return the operation of the newest entry about a bundle, null if there is none */
    public static String lastOperation(Connection c, long bundleId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT operation FROM audit WHERE bundle_id = ? ORDER BY id DESC")) {
            ps.setLong(1, bundleId);
            ps.setMaxRows(1);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /**
     * @return the newest {@code limit} entries matching (all if limit &lt;= 0), oldest first
     */
    public static List<AuditEntry> query(Connection c, String moduleId, Instant since, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT id, at_millis, operation, module_id, version, bundle_id, origin, "
                + "result, target, detail, error FROM audit WHERE 1 = 1");
        if (moduleId != null) {
            sql.append(" AND module_id = ?");
        }
        if (since != null) {
            sql.append(" AND at_millis >= ?");
        }
        sql.append(" ORDER BY id DESC");
        List<AuditEntry> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            if (moduleId != null) {
                ps.setString(i++, moduleId);
            }
            if (since != null) {
                ps.setLong(i, since.toEpochMilli());
            }
            if (limit > 0) {
                ps.setMaxRows(limit); // portable, unlike LIMIT / FETCH FIRST spellings
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long bundle = rs.getLong(6);
                    if (rs.wasNull()) {
                        bundle = -1;
                    }
                    out.add(new AuditEntry(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3),
                            rs.getString(4), rs.getString(5), bundle, rs.getString(7),
                            AuditEntry.Result.valueOf(rs.getString(8)), rs.getString(9), rs.getString(10), rs.getString(11)));
                }
            }
        }
        Collections.reverse(out);
        return out;
    }
}
