package org.modreg.core.ops;

import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.modreg.api.dto.Module;
import org.modreg.core.records.ModuleRecord;
import org.modreg.core.records.ModuleRecords;
import org.modreg.core.records.RecordSubscriber;
import org.modreg.core.util.Threads;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;

/**
 * Watches starts the framework runs on its own threads (start levels at boot, restarts after a
 * refresh, a plain {@code Bundle.start}): one that hangs past the lifecycle timeout is
 * interrupted, as {@link FrameworkOps} interrupts its own, so that a blocking activator cannot
 * hold the framework's start for ever.
 */
public final class StartWatchdog implements RecordSubscriber {

    private static final System.Logger LOG = System.getLogger(StartWatchdog.class.getName());

    private final BundleContext context;
    private final ModuleRecords records;
    private final LongSupplier timeout;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(Threads.daemons("modreg-watchdog"));
    /** Bundle id -> the watch over its start; guarded by itself. */
    private final Map<Long, ScheduledFuture<?>> watched = new HashMap<>();
    /** Bundles whose start the watchdog interrupted, until the framework reports the failure. */
    private final Set<Long> interrupted = ConcurrentHashMap.newKeySet();

    /** @param timeout the lifecycle timeout, in milliseconds */
    public StartWatchdog(BundleContext context, ModuleRecords records, LongSupplier timeout) {
        this.context = context;
        this.records = records;
        this.timeout = timeout;
    }

    public void close() {
        timer.shutdownNow();
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        switch (event.getType()) {
            case BundleEvent.STARTING -> watchStart(event.getBundle());
            case BundleEvent.STARTED, BundleEvent.STOPPED, BundleEvent.UNINSTALLED -> unwatchStart(event.getBundle().getBundleId());
            default -> {
            }
        }
    }

    @Override
    public boolean explains(FrameworkEvent event) {
        // the framework reports the activator's InterruptedException as an error of its own: said already
        return interrupted.remove(event.getBundle().getBundleId());
    }

    /** A start began on a thread of the framework's (not one of {@link FrameworkOps}'s): watch it. */
    private void watchStart(Bundle b) {
        Thread starter = Thread.currentThread();
        if (FrameworkOps.ownThread(starter)) {
            return; // FrameworkOps waits for its own
        }
        long t = timeout.getAsLong();
        synchronized (watched) {
            ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
            self[0] = timer.schedule(() -> startHung(b, starter, t, self[0]), t, TimeUnit.MILLISECONDS);
            ScheduledFuture<?> before = watched.put(b.getBundleId(), self[0]);
            if (before != null) {
                before.cancel(false);
            }
        }
    }

    /** The start ended (started, or failed and stopped), or the bundle went: no more watching. */
    private void unwatchStart(long bundleId) {
        synchronized (watched) {
            ScheduledFuture<?> f = watched.remove(bundleId);
            if (f != null) {
                f.cancel(false);
            }
        }
    }

    private void startHung(Bundle b, Thread starter, long t, ScheduledFuture<?> self) {
        synchronized (watched) {
            // the start's own thread removes the watch when it ends: still here and still STARTING is a hang
            if (watched.get(b.getBundleId()) != self || b.getState() != Bundle.STARTING) {
                return;
            }
            watched.remove(b.getBundleId());
            ModuleRecord r = records.get(b.getBundleId());
            Module m = r == null ? null : r.module();
            String what = m == null ? "bundle " + b.getBundleId() : ModuleRecords.describe(m);
            records.fail(r, "start", what + ": start by the framework (" + starter.getName() + ") did not finish within " + t
                    + " ms and was interrupted (a blocking activator?)");
            interrupted.add(b.getBundleId());
            starter.interrupt();
        }
        noStartAtBoot(b.getBundleId());
    }

    /**
     * Clears the persistent start mark of a module whose start hung, once the start has unwound:
     * otherwise every later start of the container would wait the timeout for it again. Its
     * error history says why it is not running; {@code module:start} marks it again.
     */
    public void noStartAtBoot(long bundleId) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(1_000, timeout.getAsLong()));
        timer.execute(new Runnable() {
            @Override
            public void run() {
                Bundle b = context.getBundle(bundleId);
                if (b == null || b.getState() == Bundle.ACTIVE) {
                    return; // gone, or it finished starting after all
                }
                if (b.getState() == Bundle.STARTING && System.nanoTime() < until) {
                    timer.schedule(this, 50, TimeUnit.MILLISECONDS); // still unwinding
                    return;
                }
                try {
                    b.stop(); // not active: only clears the persistent start mark
                } catch (BundleException | IllegalStateException e) {
                    LOG.log(Level.WARNING, "the start mark of bundle {0} cannot be cleared: {1}", bundleId, e.getMessage());
                }
            }
        });
    }
}
