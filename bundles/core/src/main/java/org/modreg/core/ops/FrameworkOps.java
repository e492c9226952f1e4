package org.modreg.core.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.LongSupplier;

import org.modreg.api.InvalidModuleException;
import org.modreg.api.LifecycleException;
import org.modreg.api.ModuleException;
import org.modreg.api.ModuleSource;
import org.modreg.api.ModuleTimeoutException;
import org.modreg.api.dto.Module;
import org.modreg.core.records.Failures;
import org.modreg.core.records.ModuleRecord;
import org.modreg.core.records.ModuleRecords;
import org.modreg.core.util.Threads;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The framework's operations, each run on a lifecycle thread and awaited at most the lifecycle
 * timeout, so that a hanging activator costs a thread, never the caller or the container. A
 * failure or a timeout becomes the module's state and error history, an event, and the exception
 * thrown.
 */
public final class FrameworkOps {

    private static final String LIFECYCLE_THREAD = "modreg-lifecycle-";

    private final BundleContext context;
    private final ModuleRecords records;
    private final StartWatchdog watchdog;
    private final LongSupplier timeout;
    private final Function<Module, StartPolicy.Refusal> whyNotStart;
    private final ExecutorService lifecycle;

    /**
     * @param timeout     the lifecycle timeout, in milliseconds
     * @param whyNotStart why a module may not start now (an archived one), or null if it may
     */
    public FrameworkOps(BundleContext context, ModuleRecords records, StartWatchdog watchdog, LongSupplier timeout,
            Function<Module, StartPolicy.Refusal> whyNotStart) {
        this.context = context;
        this.records = records;
        this.watchdog = watchdog;
        this.timeout = timeout;
        this.whyNotStart = whyNotStart;
        AtomicInteger n = new AtomicInteger();
        this.lifecycle = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> Threads.daemon(r, LIFECYCLE_THREAD + n.incrementAndGet()));
    }

    public void close() {
        lifecycle.shutdownNow();
    }


    /** @return whether a thread is one of these operations' own (the watchdog leaves those alone) */
    static boolean ownThread(Thread t) {
        return t.getName().startsWith(LIFECYCLE_THREAD);
    }

    /** Installs stored bytes at a source's location; the record is built before this returns. */
    public ModuleRecord install(ModuleSource source, Path stored, String what) {
        return records.installing(source.location(), () -> {
            Bundle bundle = timed("install", null, what, () -> {
                try (var in = Files.newInputStream(stored)) {
                    return context.installBundle(source.location(), in);
                } catch (BundleException | IllegalArgumentException e) {
                    throw manifestError(source, e);
                }
            });
            return records.track(bundle);
        });
    }

    /** Starts a module, unless it may not start now. */
    public Module start(ModuleRecord r) {
        StartPolicy.Refusal no = whyNotStart.apply(r.module());
        if (no != null) {
            throw new LifecycleException("start", ModuleRecords.describe(r.module()) + " cannot start: " + no.reason()
                    + "; " + no.hint(), no.reason(), null);
        }
        Bundle b = records.bundle(r);
        timed("start", r, ModuleRecords.describe(r.module()), () -> {
            b.start();
            return null;
        });
        return r.module();
    }

    public Module stop(ModuleRecord r) {
        Bundle b = records.bundle(r);
        timed("stop", r, ModuleRecords.describe(r.module()), () -> {
            b.stop();
            return null;
        });
        return r.module();
    }

    public Module uninstall(ModuleRecord r) {
        Bundle b = records.bundle(r);
        timed("uninstall", r, ModuleRecords.describe(r.module()), () -> {
            b.uninstall();
            refreshAndWait(List.of(b));
            return null;
        });
        return r.module();
    }

    /** Resolves bundles together: one run of the resolver. @return whether all resolved */
    public boolean resolve(Collection<Bundle> bundles) {
        return bundles.isEmpty() || wiring().resolveBundles(bundles);
    }

    public FrameworkWiring wiring() {
        return context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
    }

    /** Refreshes bundles (null: those pending removal) and waits until the framework says it is done. */
    public void refreshAndWait(Collection<Bundle> bundles) throws InterruptedException, BundleException {
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Throwable> error = new AtomicReference<>();
        wiring().refreshBundles(bundles, event -> {
            if (event.getType() == FrameworkEvent.ERROR) {
                error.compareAndSet(null, event.getThrowable());
            }
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                done.countDown();
            }
        });
        // bounded by the caller's timeout, which interrupts this wait
        done.await();
        if (error.get() instanceof BundleException be) {
            throw be;
        }
    }

    /**
     * The framework is the last word on manifests: what its parser refuses (a {@code MANIFEST_ERROR},
     * or the {@link IllegalArgumentException} Felix lets through for a bad version) is an invalid
     * module, not a lifecycle failure.
     */
    public static Exception manifestError(ModuleSource source, Exception e) {
        // Felix wraps a parser's IllegalArgumentException in "Could not create bundle object."
        Throwable parse = e instanceof IllegalArgumentException ? e : e.getCause();
        if (parse instanceof IllegalArgumentException) {
            return new InvalidModuleException(source.name(), "invalid manifest, the framework cannot parse it ("
                    + parse.getClass().getSimpleName() + ": " + parse.getMessage() + ")", e);
        }
        if (((BundleException) e).getType() == BundleException.MANIFEST_ERROR) {
            return new InvalidModuleException(source.name(), "invalid manifest: " + e.getMessage(), e);
        }
        return e;
    }

    /** Active, starting, or marked to start. */
    public static boolean meantToRun(Bundle b) {
        if ((b.getState() & (Bundle.ACTIVE | Bundle.STARTING)) != 0) {
            return true;
        }
        BundleStartLevel sl = b.adapt(BundleStartLevel.class);
        return sl != null && sl.isPersistentlyStarted();
    }

    /** @return whether a bundle is active or starting */
    public static boolean running(Bundle b) {
        return (b.getState() & (Bundle.ACTIVE | Bundle.STARTING)) != 0;
    }

    /**
     * Runs a framework operation on a lifecycle thread and waits at most the configured timeout.
     *
     * @param r    the module's record, which takes the failure; null if none yet
     * @param what the module or file, as the message names it
     */
    public <T> T timed(String operation, ModuleRecord r, String what, Callable<T> action) {
        long t = timeout.getAsLong();
        Future<T> future = lifecycle.submit(action);
        try {
            return future.get(t, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            String reason = "did not finish within " + t + " ms and was interrupted (a blocking activator?)";
            String msg = what + ": " + operation + " " + reason;
            records.fail(r, operation, msg);
            if (operation.equals("start") && r != null) {
                watchdog.noStartAtBoot(r.bundleId);
            }
            throw new ModuleTimeoutException(operation, msg, reason);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ModuleException me) {
                throw me;
            }
            String reason = Failures.reason(cause);
            String msg = what + ": " + operation + " failed: " + reason;
            records.fail(r, operation, msg);
            throw new LifecycleException(operation, msg, reason, cause);
        } catch (InterruptedException e) {
            // the caller gave up (Ctrl-C in the shell): the operation is stopped too, and ends as a failure
            Thread.currentThread().interrupt();
            String msg = what + ": " + operation + " interrupted: its caller was interrupted while it ran";
            if (future.cancel(true)) {
                records.fail(r, operation, msg);
                if (operation.equals("start") && r != null) {
                    watchdog.noStartAtBoot(r.bundleId);
                }
            }
            throw new LifecycleException(operation, msg, e);
        }
    }
}
