package org.modreg.core;

import java.time.Instant;
import java.util.function.Function;

import org.modreg.api.AmbiguousModuleException;
import org.modreg.api.DuplicateModuleException;
import org.modreg.api.InvalidModuleException;
import org.modreg.api.ModuleNotFoundException;
import org.modreg.api.UnresolvableModuleException;
import org.modreg.api.dto.AuditEntry;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleContent;
import org.modreg.core.audit.AuditLog;
import org.modreg.core.content.Admission;
import org.modreg.core.content.ValidatedJar;
import org.modreg.core.records.ModuleRecords;
import org.modreg.core.records.RecordStore;
import org.modreg.core.store.Database;
import org.modreg.core.update.Intake;
import org.modreg.core.update.RolledBackException;

/**
 * Where an operation meets the outside: its audit entry, with the caller's origin and the result,
 * and, for what changes a module's bytes, its row in the version history. Written once per
 * public operation, by the facade, after the flows have done their work.
 */
final class Edge {

    private final ModuleRecords records;
    private final AuditLog audit;
    private final Admission admission;
    private final Database db;

    Edge(ModuleRecords records, AuditLog audit, Admission admission, Database db) {
        this.records = records;
        this.audit = audit;
        this.admission = admission;
        this.db = db;
    }

    /** An operation being run: what was asked, by whom, and the module as far as it is known. */
    static final class Audited implements Intake.Observer {
        final Call call;
        final Operation operation;
        final String target;
        final Module before;
        String moduleId;
        String version;

        Audited(Call call, Operation operation, String target, Module before) {
            this.call = call;
            this.operation = operation;
            this.target = target;
            this.before = before;
            if (before != null) {
                moduleId = before.id();
                version = before.version().toString();
            }
        }

        /** The jar of an install or update was read: its id and version are known even if it is refused. */
        @Override
        public void validated(ValidatedJar jar) {
            moduleId = jar.id();
            version = jar.version().toString();
        }
    }

    /** @param ref the module operated on, if any: named in the entry even when the operation fails */
    Audited begin(Call call, Operation operation, String target, String ref) {
        return new Audited(call, operation, target, ref == null ? null : records.quietly(ref));
    }

    Audited begin(Call call, Operation operation, String target, Module before) {
        return new Audited(call, operation, target, before);
    }

    /** Runs an operation and writes its entry, whatever its end. */
    <T> T audited(Call call, Operation operation, String target, String ref, Function<Audited, T> action) {
        Audited op = begin(call, operation, target, ref);
        try {
            T result = action.apply(op);
            ended(op, result instanceof Module m ? m : null, null);
            return result;
        } catch (RuntimeException e) {
            ended(op, null, e);
            throw e;
        }
    }

    /** Writes the entry of an operation that ended with a module (or none), or an error. */
    void ended(Audited op, Module after, RuntimeException error) {
        Module m = after != null ? after : op.before;
        String id = after != null ? after.id() : op.moduleId;
        String version = after != null ? after.version().toString() : op.version;
        AuditEntry.Result result = result(error);
        String detail = null;
        if (error == null && op.before != null && after != null && !op.before.version().equals(after.version())) {
            detail = "from " + op.before.version();
        } else if (after != null && op.before != null && after.bundleId() != op.before.bundleId()) {
            detail = "bundle " + op.before.bundleId() + " replaced by bundle " + after.bundleId();
        }
        String message = error == null ? null
                : error instanceof UnresolvableModuleException u ? u.report().describe() : error.getMessage();
        audit.record(new AuditEntry(0, Instant.now(), op.operation.auditName(), id, version, m == null ? -1 : m.bundleId(),
                op.call.origin(), result, op.target, detail, message));
        String event = op.operation.versionEvent();
        if (result == AuditEntry.Result.OK && after != null && event != null) {
            ModuleContent c = after.content();
            RecordStore.VersionRow row = new RecordStore.VersionRow(after.id(), after.version().toString(),
                    c.isKnown() ? c.digest() : null, c.isKnown() ? c.size() : -1, Instant.now(), op.call.origin(), event);
            admission.known(row.moduleId(), row.version(), row.digest());
            db.write(conn -> RecordStore.version(conn, row));
        }
    }

    /** Refused: nothing changed, the request was wrong; failed: something was tried and did not work. */
    static AuditEntry.Result result(RuntimeException error) {
        if (error == null) {
            return AuditEntry.Result.OK;
        }
        if (error instanceof RolledBackException) {
            return AuditEntry.Result.ROLLED_BACK;
        }
        return error instanceof UnresolvableModuleException || error instanceof InvalidModuleException
                || error instanceof DuplicateModuleException || error instanceof ModuleNotFoundException
                || error instanceof AmbiguousModuleException ? AuditEntry.Result.REFUSED : AuditEntry.Result.FAILED;
    }
}
