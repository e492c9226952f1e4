package org.modreg.core.audit;

import org.modreg.core.store.Database;

import java.time.Instant;
import java.util.List;

import org.modreg.api.ModuleAudit;
import org.modreg.api.dto.AuditEntry;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The {@link ModuleAudit} service: reads the trail the registry writes to the {@link Database}. */
@Component(service = ModuleAudit.class)
public final class AuditTrail implements ModuleAudit {

    private final Database db;

    @Activate
    public AuditTrail(@Reference Database db) {
        this.db = db;
    }

    @Override
    public List<AuditEntry> trail(String moduleId, Instant since, int limit) {
        db.flush(); // every operation that ended before this call
        return db.read(c -> AuditStore.query(c, moduleId, since, limit));
    }

    @Override
    public void record(String origin, String operation, AuditEntry.Result result, String target, String error) {
        AuditEntry entry = new AuditEntry(0, Instant.now(), java.util.Objects.requireNonNull(operation, "operation"), null,
                null, -1, Origin.checked(origin), java.util.Objects.requireNonNull(result, "result"), target, null, error);
        db.write(c -> AuditStore.insert(c, entry));
    }
}
