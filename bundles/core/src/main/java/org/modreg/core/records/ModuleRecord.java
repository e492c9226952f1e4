package org.modreg.core.records;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;

import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleContent;
import org.modreg.api.dto.ModuleError;
import org.modreg.core.audit.Origin;
import org.osgi.framework.Bundle;

/**
 * The record of one bundle. What the framework does not keep (digest, origin, error history,
 * whether an operation failed) is held here beside the {@link Module} snapshot the readers get.
 * Mutable parts are changed only through {@link #update}, under the record's monitor; the
 * snapshot is volatile and read without a lock.
 */
public final class ModuleRecord {

    final ModuleRecords table;
    public final long bundleId;
    volatile Module module;
    boolean failed;
    boolean stopped;
    ModuleContent content = ModuleContent.UNKNOWN;
    final ArrayDeque<ModuleError> errors = new ArrayDeque<>();
    /** Who installed it, and when; a bundle found installed by other means is the framework's. */
    String origin = Origin.FRAMEWORK;
    Instant installed = Instant.now();
    /** The record as last written to the database; null if none. */
    RecordStore.Saved persisted;

    ModuleRecord(ModuleRecords table, long bundleId) {
        this.table = table;
        this.bundleId = bundleId;
    }

    /** @return the module as it is now; null only while the first bundle event builds it */
    public Module module() {
        return module;
    }

    /** @return its content as known (digest, size, the stored copy) */
    public synchronized ModuleContent content() {
        return content;
    }

    /** @return who installed it */
    public synchronized String origin() {
        return origin;
    }

    /** @return when it was installed */
    public synchronized Instant installed() {
        return installed;
    }

    /** @return its error history, oldest first */
    public synchronized List<ModuleError> errors() {
        return List.copyOf(errors);
    }

    /** @return whether the last operation on it failed */
    public synchronized boolean failed() {
        return failed;
    }

    /** @return whether it is FAILED by the given operation (its last error's) */
    public synchronized boolean failedBy(String operation) {
        return failed && !errors.isEmpty() && errors.peekLast().operation().equals(operation);
    }

    /** @return whether its last error is a failed start (a start that hung lost its start mark, but was meant to run) */
    public boolean startFailed() {
        return failedBy("start");
    }

    /** Sets what a registry operation knows and the framework does not: its content. */
    public void content(ModuleContent c) {
        update(r -> r.content = c);
    }

    /** Sets what an install knows: its content, who installed it and when, and the errors it carries over. */
    public void installed(ModuleContent c, String origin, Instant when, List<ModuleError> history) {
        update(r -> {
            r.content = c;
            r.origin = origin;
            r.installed = when;
            r.errors.addAll(history);
        });
    }

    /** Marks it FAILED again (a framework event cleared it, but its failure stands). */
    public void failedAgain(Bundle b) {
        update(r -> {
            r.failed = true;
            r.recompute(b);
        });
    }

    /** Applies a change; the table persists, indexes and publishes the result. */
    void update(Consumer<ModuleRecord> change) {
        Module changed;
        synchronized (this) {
            change.accept(this);
            if (module == null) {
                return;
            }
            module = module.withContent(content);
            table.persist(this);
            table.applied(module); // under the monitor: the index sees one record's changes in order
            changed = module;
        }
        table.published(changed);
    }

    /** Reads headers, capabilities, requirements and services again (install, update, refresh). */
    void rebuild(Bundle b) {
        module = Records.build(b, Records.state(b.getState(), failed, stopped), List.copyOf(errors), content);
    }

    /** The state alone changed. */
    void recompute(Bundle b) {
        int fw = b == null ? Bundle.UNINSTALLED : b.getState();
        module = module.with(Records.state(fw, failed, stopped), List.copyOf(errors));
    }
}
