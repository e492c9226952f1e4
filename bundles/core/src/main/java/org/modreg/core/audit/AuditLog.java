package org.modreg.core.audit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.modreg.api.dto.AuditEntry;
import org.modreg.api.dto.Metrics;
import org.modreg.core.store.Database;

/**
 * Writes the audit trail, and counts the operations ended by operation, door and result for the
 * metrics (few keys: no module in them).
 */
public final class AuditLog {

    private final Database db;
    private final Map<List<String>, LongAdder> operations = new ConcurrentHashMap<>();

    public AuditLog(Database db) {
        this.db = db;
    }

    /** Writes an entry (on the database's writer thread, soon) and counts it. */
    public void record(AuditEntry entry) {
        operations.computeIfAbsent(List.of(entry.operation(), Origin.door(entry.origin()), entry.result().name()),
                k -> new LongAdder()).increment();
        db.write(c -> AuditStore.insert(c, entry));
    }

    /** @return the operations ended so far, by operation, door and result */
    public List<Metrics.OperationCount> operationCounts() {
        List<Metrics.OperationCount> out = new ArrayList<>();
        operations.forEach((k, n) -> out.add(new Metrics.OperationCount(k.get(0), k.get(1), k.get(2), n.sum())));
        out.sort(Comparator.comparing(Metrics.OperationCount::operation).thenComparing(Metrics.OperationCount::door)
                .thenComparing(Metrics.OperationCount::result));
        return out;
    }

    /** @return the last operation audited on a bundle, or null; written entries only, so it flushes first */
    public String lastOperation(long bundleId) {
        db.flush();
        return db.read(c -> AuditStore.lastOperation(c, bundleId));
    }
}
