package org.modreg.core.records;

import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.modreg.api.ModuleRegistry;
import org.modreg.api.dto.AuditEntry;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleContent;
import org.modreg.core.audit.AuditLog;
import org.modreg.core.audit.Origin;
import org.modreg.core.store.Database;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * At start, the saved records against the bundles the framework has: every bundle gets back what
 * its saved record knows of it, and what changed while the container was down goes to the audit
 * trail: bundles gone, bundles that are not what their record says (updated by other means, or a
 * framework cache wiped), bundles installed by other means. A first start (an empty database)
 * only records.
 */
public final class Reconciler {

    private static final System.Logger LOG = System.getLogger(Reconciler.class.getName());

    private final BundleContext context;
    private final ModuleRecords records;
    private final Database db;
    private final AuditLog audit;

    public Reconciler(BundleContext context, ModuleRecords records, Database db, AuditLog audit) {
        this.context = context;
        this.records = records;
        this.db = db;
        this.audit = audit;
    }

    /**
     * Reads the saved records and reconciles them; the records are restored afterwards whatever
     * happened, so that nobody waits for ever.
     *
     * @param legacy the records of the version before the database, read if the database has none
     */
    public void run(Supplier<Map<Long, ModuleContent>> legacy) {
        try {
            Map<Long, RecordStore.Saved> saved = new HashMap<>(db.read(RecordStore::load));
            if (saved.isEmpty()) {
                // the index of the version before the database: imported once, then renamed
                legacy.get().forEach((id, content) -> saved.put(id, new RecordStore.Saved(id, null, null, null, content,
                        Origin.FRAMEWORK, null, List.of())));
            }
            reconcile(saved);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "the saved module records cannot be read: " + e.getMessage(), e);
        } finally {
            records.restoredNow();
        }
    }

    private void reconcile(Map<Long, RecordStore.Saved> saved) {
        boolean first = saved.isEmpty();
        Map<Long, RecordStore.Saved> left = new LinkedHashMap<>(saved);
        for (Bundle b : context.getBundles()) {
            RecordStore.Saved s = left.remove(b.getBundleId());
            ModuleRecord r = records.get(b.getBundleId());
            if (r == null || r.module == null) {
                continue; // uninstalled meanwhile
            }
            Verdict v = verdict(s, b.getSymbolicName(), b.getVersion().toString(), b.getLocation(), b.getLastModified());
            boolean same = v == Verdict.SAME || v == Verdict.CHANGED;
            if (same || v == Verdict.LEGACY) {
                records.restore(r, s, same, v == Verdict.CHANGED, b);
            }
            Module m = r.module;
            if (v == Verdict.OTHER) {
                reconciled(m, Level.INFO, "was " + s.moduleId() + " " + s.version() + " from " + s.location()
                        + " when the container stopped; now " + m.id() + " " + m.version() + " from " + m.location());
            } else if (s == null && !first && Origin.FRAMEWORK.equals(r.origin())) { // not installed through modreg since
                String boot = context.getProperty(ModuleRegistry.BOOT_PROPERTY);
                if (boot != null && m.location().startsWith(boot)) { // a boot bundle new in this distribution
                    reconciled(m, Level.DEBUG, "installed by the launcher, from its boot bundles (" + m.location() + ")");
                } else {
                    reconciled(m, Level.INFO, "installed while the container was down, not through modreg (" + m.location() + ")");
                }
            }
        }
        for (RecordStore.Saved s : left.values()) {
            db.write(c -> RecordStore.remove(c, s.bundleId()));
            if (s.moduleId() != null) {
                audit.record(new AuditEntry(0, Instant.now(), "reconcile", s.moduleId(), s.version(), s.bundleId(),
                        Origin.FRAMEWORK, AuditEntry.Result.OK, s.location(), "gone while the container was down", null));
            }
        }
    }

    /** What a saved record says of the bundle the framework has under its id. */
    public enum Verdict {
        /** No saved record: new since, or a first start. */
        NONE,
        /** The record of the version before the database: its content only. */
        LEGACY,
        /** The same module, version and location: what the record knows is restored. */
        SAME,
        /**
         * The same, but a bundle described from its file and updated since by other means (a boot
         * bundle the launcher updated in place): described again, its record dating from that update.
         */
        CHANGED,
        /** Another module, version or location than the record says (a framework cache wiped, ...). */
        OTHER
    }

    /** @return what the saved record {@code s} (null: none) says of the bundle described by the rest */
    public static Verdict verdict(RecordStore.Saved s, String id, String version, String location, long lastModified) {
        if (s == null) {
            return Verdict.NONE;
        }
        if (s.moduleId() == null) {
            return Verdict.LEGACY;
        }
        if (!s.moduleId().equals(id) || !s.version().equals(version) || !s.location().equals(location)) {
            return Verdict.OTHER;
        }
        boolean changed = s.content().isKnown() && s.content().stored() == null && lastModified > s.installed().toEpochMilli();
        return changed ? Verdict.CHANGED : Verdict.SAME;
    }

    private void reconciled(Module m, Level level, String what) {
        LOG.log(level, "{0}: {1}", ModuleRecords.describe(m), what);
        audit.record(new AuditEntry(0, Instant.now(), "reconcile", m.id(), m.version().toString(), m.bundleId(), Origin.FRAMEWORK,
                AuditEntry.Result.OK, m.location(), what, null));
    }
}
