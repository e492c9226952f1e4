package org.modreg.core.update;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.modreg.api.DuplicateModuleException;
import org.modreg.api.InvalidModuleException;
import org.modreg.api.LifecycleException;
import org.modreg.api.ModuleEvents;
import org.modreg.api.ModuleException;
import org.modreg.api.ModuleSource;
import org.modreg.api.ModuleState;
import org.modreg.api.UnresolvableModuleException;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleContent;
import org.modreg.core.ops.FrameworkOps;
import org.modreg.core.ops.ReplacementHooks;
import org.modreg.core.records.ModuleRecord;
import org.modreg.core.records.ModuleRecords;
import org.modreg.core.util.Events;
import org.modreg.core.wiring.WiringChecker;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.wiring.BundleRevision;

/**
 * Updates that keep a version running. A running module that is not a singleton gets its new
 * version installed and started beside it ({@link #begin}), and the old one is retired once the
 * new one is active ({@link #retire}); if the new one does not start, it is dropped and the old
 * one never stopped. Otherwise the module is updated in place ({@link #inPlace}), and its previous
 * bytes and state are put back if the new ones do not start.
 */
public final class SafeUpdate {

    private final BundleContext context;
    private final ModuleRecords records;
    private final Intake intake;
    private final FrameworkOps ops;
    private final ReplacementHooks hooks;
    private final Events events;

    public SafeUpdate(BundleContext context, ModuleRecords records, Intake intake, FrameworkOps ops, ReplacementHooks hooks,
            Events events) {
        this.context = context;
        this.records = records;
        this.intake = intake;
        this.ops = ops;
        this.hooks = hooks;
        this.events = events;
    }

    /** How a module is updated. */
    public enum Way {
        /** The new version installed and started beside the old one, which is retired once it runs. */
        BESIDE,
        /** The bundle updated in place, its old bytes put back if the new ones do not start. */
        IN_PLACE
    }

    /**
     * Beside only a module that runs, and that is not a singleton (two of those cannot resolve at
     * once); one with no revision (uninstalled meanwhile) is left to the in-place update to report.
     */
    public static Way way(boolean running, boolean hasRevision, boolean singleton) {
        return running && hasRevision && !singleton ? Way.BESIDE : Way.IN_PLACE;
    }

    /**
     * Whether a failed update in place has old bytes to put back: they are known and kept, and
     * they are not what the module has now (the update failed before the bytes changed).
     */
    public static boolean canPutBack(ModuleContent before, ModuleContent now) {
        return before.isKnown() && before.stored() != null && !before.digest().equals(now.digest());
    }

    /** A new version started beside the old one, which is still to be retired. */
    public record Replacement(ModuleRecord old, Bundle oldBundle, ModuleRecord fresh, Bundle newBundle) {
    }

    /**
     * The first half of a replacement: the new version installed and started beside the old one
     * (a {@link Replacement}), or, for a singleton or a module not running, the whole update in
     * place (the {@link Module}).
     */
    public Object begin(ModuleRecord old, ModuleSource source, Intake.Observer observer) {
        Bundle ob = records.bundle(old);
        BundleRevision rev = ob.adapt(BundleRevision.class);
        if (way(FrameworkOps.running(ob), rev != null, rev != null && WiringChecker.singleton(rev)) == Way.IN_PLACE) {
            return inPlace(old, source, false, observer);
        }
        Bundle taken = context.getBundle(source.location());
        if (taken != null) {
            throw new DuplicateModuleException(source.name() + ": the location " + source.location()
                    + " is bundle " + taken.getBundleId() + "'s; a replacement needs its own", taken.getBundleId());
        }
        Intake.Prepared p = intake.prepare(source, old, false, observer);
        String what = ModuleRecords.describe(old.module()) + " from " + source.name();
        ModuleRecord fresh;
        hooks.replacing(ob.getBundleId(), true);
        try {
            fresh = ops.install(source, p.stored(), what);
            fresh.installed(p.content(), old.origin(), old.installed(), old.errors());
        } finally {
            hooks.replacing(ob.getBundleId(), false);
        }
        Bundle nb = records.bundle(fresh);
        hooks.shadow(nb.getBundleId(), ob.getBundleId());
        try {
            ops.start(fresh);
        } catch (ModuleException e) {
            // the old version never stopped: dropping the new one is the whole rollback
            hooks.unshadow(nb.getBundleId());
            ops.timed("uninstall", null, "the new " + ModuleRecords.describe(fresh.module()), () -> {
                nb.uninstall();
                ops.refreshAndWait(List.of(nb));
                return null;
            });
            throw rolledBack(old, source, e);
        }
        return new Replacement(old, ob, fresh, nb);
    }

    /**
     * The second half: the old versions uninstalled, and what was wired to them refreshed onto the
     * new ones, all in one refresh.
     */
    public List<Module> retire(List<Replacement> replacements) {
        List<Bundle> olds = replacements.stream().map(Replacement::oldBundle).toList();
        String what = replacements.size() == 1 ? ModuleRecords.describe(replacements.get(0).old().module()) + " (replaced)"
                : replacements.size() + " replaced modules";
        try {
            ops.timed("uninstall", replacements.size() == 1 ? replacements.get(0).old() : null, what, () -> {
                for (Bundle b : olds) {
                    b.uninstall();
                }
                ops.refreshAndWait(olds);
                return null;
            });
        } finally {
            replacements.forEach(r -> hooks.unshadow(r.newBundle().getBundleId()));
        }
        List<Module> done = new ArrayList<>();
        for (Replacement r : replacements) {
            // the module was updated, whatever its bundle id now
            events.module(ModuleEvents.TOPIC_UPDATED, r.fresh().module(), Map.of());
            done.add(r.fresh().module());
        }
        return done;
    }

    /**
     * An update in place; if the new bytes do not start, the old ones are put back as they were:
     * running if they ran, and FAILED, not started again, if their own start had failed (the
     * framework still means to run those, but a start now would only fail again and hide why the
     * update failed).
     */
    public Module inPlace(ModuleRecord r, ModuleSource source, boolean force, Intake.Observer observer) {
        ModuleContent before = r.content();
        Bundle b = records.bundle(r);
        boolean wasRunning = FrameworkOps.running(b);
        boolean wasFailed = r.failed();
        try {
            return update(r, b, source, force, observer);
        } catch (UnresolvableModuleException | InvalidModuleException | DuplicateModuleException e) {
            throw e; // refused before anything changed
        } catch (ModuleException e) {
            ModuleContent now = r.content();
            if (!canPutBack(before, now)) {
                throw e; // the bytes did not change, or the old ones are not known: nothing to put back
            }
            ops.timed("rollback", r, ModuleRecords.describe(r.module()), () -> {
                if (FrameworkOps.running(b)) {
                    b.stop(Bundle.STOP_TRANSIENT);
                }
                try (var in = Files.newInputStream(Path.of(before.stored()))) {
                    b.update(in);
                }
                r.content(before);
                ops.refreshAndWait(List.of(b));
                ops.resolve(List.of(b));
                return null;
            });
            if (wasRunning) {
                ops.start(r);
            } else if (wasFailed) {
                r.failedAgain(b); // the framework's UPDATED event cleared it
            }
            throw rolledBack(r, source, e);
        }
    }

    private Module update(ModuleRecord r, Bundle b, ModuleSource source, boolean force, Intake.Observer observer) {
        Module old = r.module();
        Intake.Prepared p = intake.prepare(source, r, force, observer);
        // a module whose start failed was meant to run too (a start that hung lost its start mark)
        boolean wasActive = FrameworkOps.meantToRun(b) || r.startFailed();
        String what = ModuleRecords.describe(old) + " from " + source.name();
        ops.timed("update", r, what, () -> {
            // stop transiently and start explicitly afterwards, so a failing start is an exception here
            // rather than a framework event the caller never sees
            if (wasActive) {
                b.stop(Bundle.STOP_TRANSIENT);
            }
            try (var in = Files.newInputStream(p.stored())) {
                b.update(in);
            } catch (BundleException | IllegalArgumentException e) {
                throw FrameworkOps.manifestError(source, e);
            }
            r.content(p.content());
            ops.refreshAndWait(List.of(b));
            // resolve now, so the record says at once whether the new revision resolves
            ops.resolve(List.of(b));
            return null;
        });
        intake.forced(r, "update", p.report());
        if (wasActive) {
            ops.start(r);
        }
        return r.module();
    }

    private RolledBackException rolledBack(ModuleRecord r, ModuleSource source, ModuleException e) {
        String reason = e instanceof LifecycleException le ? le.reason() : e.getMessage();
        ModuleState now = r.module().state();
        String msg = ModuleRecords.describe(r.module()) + ": the update from " + source.name() + " was rolled back ("
                + reason + "); the previous version " + (now == ModuleState.ACTIVE ? "runs" : "is back, " + now);
        records.error(r, "update", msg, false);
        events.module(ModuleEvents.TOPIC_ROLLED_BACK, r.module(), Map.of(ModuleEvents.OPERATION, "update", ModuleEvents.ERROR, msg,
                ModuleEvents.FILE, source.name()));
        return new RolledBackException(msg, reason, e);
    }
}
