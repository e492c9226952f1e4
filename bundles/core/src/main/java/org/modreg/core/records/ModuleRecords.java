package org.modreg.core.records;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import org.modreg.api.AmbiguousModuleException;
import org.modreg.api.ModuleEvents;
import org.modreg.api.ModuleException;
import org.modreg.api.ModuleNotFoundException;
import org.modreg.api.ModuleState;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleContent;
import org.modreg.api.dto.ModuleError;
import org.modreg.api.dto.ServiceInfo;
import org.modreg.core.content.ContentStore;
import org.modreg.core.store.Database;
import org.modreg.core.util.Events;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.Version;

/**
 * The module records, one {@link ModuleRecord} per bundle, kept current by the framework's
 * bundle, service and framework events; what changes is published to the
 * {@linkplain RecordSubscriber subscribers} and written to the {@link Database}.
 *
 * <p>Until the saved records are restored (the {@link Reconciler}, off the activation) nothing is
 * written, so that nothing overwrites what the last run saved.
 */
public final class ModuleRecords {

    private static final System.Logger LOG = System.getLogger(ModuleRecords.class.getName());

    private final BundleContext context;
    private final Database db;
    private final IntSupplier errorHistorySize;
    private final Events events;
    private final ExecutorService background;
    private final ConcurrentSkipListMap<Long, ModuleRecord> records = new ConcurrentSkipListMap<>();
    /** Locations being installed through the registry: their content is known without reading them again. */
    private final Set<String> installing = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> restored = new CompletableFuture<>();
    private final List<RecordSubscriber> subscribers = new CopyOnWriteArrayList<>();
    private final Listener listener = new Listener();

    /**
     * @param errorHistorySize how many errors a record keeps
     * @param background       where files are read for a digest, off the framework's threads
     */
    public ModuleRecords(BundleContext context, Database db, IntSupplier errorHistorySize, Events events,
            ExecutorService background) {
        this.context = context;
        this.db = db;
        this.errorHistorySize = errorHistorySize;
        this.events = events;
        this.background = background;
    }

    /** Adds a subscriber; before {@link #open}, so that it sees every bundle. */
    public void subscribe(RecordSubscriber s) {
        subscribers.add(s);
    }

    /** Listens first, then reads what is there, so that nothing falls between the two. */
    public void open() {
        context.addBundleListener(listener);
        context.addServiceListener(listener);
        context.addFrameworkListener(listener);
        for (Bundle b : context.getBundles()) {
            track(b);
        }
    }

    public void close() {
        context.removeFrameworkListener(listener);
        context.removeServiceListener(listener);
        context.removeBundleListener(listener);
    }

    // ---------------------------------------------------------------- reads

    /** @return every module, by bundle id */
    public List<Module> list() {
        List<Module> all = new ArrayList<>(records.size());
        for (ModuleRecord r : records.values()) {
            Module m = r.module;
            if (m != null) { // null while a bundle event is building the first record
                all.add(m);
            }
        }
        return List.copyOf(all);
    }

    /** @return the record of a bundle; null if none */
    public ModuleRecord get(long bundleId) {
        return records.get(bundleId);
    }

    /** @return the module of a bundle */
    public Optional<Module> module(long bundleId) {
        ModuleRecord r = records.get(bundleId);
        return r == null ? Optional.empty() : Optional.ofNullable(r.module);
    }

    /** @return every record */
    public Collection<ModuleRecord> all() {
        return records.values();
    }

    /**
     * The record a reference names: a bundle id, a module id, or {@code id/version}.
     *
     * @throws ModuleNotFoundException   if none
     * @throws AmbiguousModuleException  if a module id names several versions
     */
    public ModuleRecord resolve(String ref) {
        String r = ref == null ? "" : ref.trim();
        if (!r.isEmpty() && r.chars().allMatch(Character::isDigit)) {
            ModuleRecord e = records.get(Long.parseLong(r));
            if (e == null) {
                throw new ModuleNotFoundException(ref);
            }
            return e;
        }
        int slash = r.indexOf('/');
        String id = slash < 0 ? r : r.substring(0, slash);
        Version version = null;
        if (slash >= 0) {
            try {
                version = Version.parseVersion(r.substring(slash + 1));
            } catch (IllegalArgumentException e) {
                throw new ModuleException("\"" + ref + "\": invalid version: " + e.getMessage());
            }
        }
        List<ModuleRecord> found = new ArrayList<>();
        for (ModuleRecord e : records.values()) {
            Module m = e.module;
            if (m != null && m.id().equals(id) && (version == null || m.version().equals(version))) {
                found.add(e);
            }
        }
        if (found.isEmpty()) {
            throw new ModuleNotFoundException(ref);
        }
        if (found.size() > 1) {
            throw new AmbiguousModuleException(ref, found.stream().map(e -> e.module.ref()).toList());
        }
        return found.get(0);
    }

    /** @return the module a reference names now, or null */
    public Module quietly(String ref) {
        try {
            return resolve(ref).module;
        } catch (ModuleException e) {
            return null;
        }
    }

    /** @return the bundle of a record */
    public Bundle bundle(ModuleRecord r) {
        Bundle b = context.getBundle(r.bundleId);
        if (b == null) {
            throw new ModuleNotFoundException(Long.toString(r.bundleId));
        }
        return b;
    }

    // ---------------------------------------------------------------- restoring

    /** @return whether the saved records are restored; until then digests and error histories may be missing */
    public boolean restored() {
        return restored.isDone();
    }

    /** Waits (at most a minute) until the saved records are restored. */
    public void awaitRestored() {
        try {
            restored.get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the module records were not restored within 60 s", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the module records are restored", e);
        }
    }

    /** The saved records are read: records are written from now on, and what they did not know is described. */
    void restoredNow() {
        restored.complete(null);
        for (ModuleRecord r : records.values()) {
            synchronized (r) {
                if (r.module != null) {
                    persist(r);
                }
            }
            Bundle b = context.getBundle(r.bundleId);
            if (b != null && !r.module.content().isKnown() && !installing.contains(b.getLocation())) {
                describeLater(b);
            }
        }
    }

    /** Restores what the saved record knows of a bundle the framework still has (reconcile). */
    void restore(ModuleRecord r, RecordStore.Saved s, boolean same, boolean changed, Bundle b) {
        r.update(e -> {
            if (s.content().isKnown() && !changed) {
                e.content = s.content();
            }
            if (same) { // what the framework does not keep: who installed it, when, and what went wrong
                e.origin = s.origin();
                e.installed = changed ? Instant.ofEpochMilli(b.getLastModified()) : s.installed();
                // the saved history first, then what failed in this run before the records were read
                List<ModuleError> since = new ArrayList<>(e.errors);
                e.errors.clear();
                e.errors.addAll(s.errors());
                e.errors.addAll(since);
                trim(e);
                e.persisted = s;
                e.recompute(context.getBundle(b.getBundleId()));
            }
        });
    }

    // ---------------------------------------------------------------- changes

    /**
     * Runs an install of a location through the registry: while it runs, the new record does not
     * go and read the file for its digest, which the caller knows.
     */
    public <T> T installing(String location, Supplier<T> install) {
        installing.add(location);
        try {
            return install.get();
        } finally {
            installing.remove(location);
        }
    }

    /** @return the record of a bundle, built now if the bundle event has not come yet */
    public ModuleRecord track(Bundle b) {
        ModuleRecord r = records.computeIfAbsent(b.getBundleId(), id -> new ModuleRecord(this, id));
        r.update(e -> e.rebuild(b));
        if (!r.module.content().isKnown() && !installing.contains(b.getLocation())) {
            describeLater(b);
        }
        return r;
    }

    /** A failure: added to the error history, the module FAILED, and an event. */
    public void fail(ModuleRecord r, String operation, String message) {
        error(r, operation, message, true);
    }

    /** Adds to a module's error history; marks it FAILED, or not (a rolled back update leaves it running). */
    public void error(ModuleRecord r, String operation, String message, boolean failed) {
        if (r == null) {
            return;
        }
        Bundle b = context.getBundle(r.bundleId);
        r.update(e -> {
            e.failed |= failed;
            e.errors.addLast(new ModuleError(Instant.now(), operation, message));
            trim(e);
            e.recompute(b);
        });
        if (failed) {
            events.module(ModuleEvents.TOPIC_FAILED, r.module, Map.of(ModuleEvents.OPERATION, operation, ModuleEvents.ERROR, message));
        }
    }

    private void trim(ModuleRecord e) {
        while (e.errors.size() > Math.max(1, errorHistorySize.getAsInt())) {
            e.errors.removeFirst();
        }
    }

    /** Writes a record, and its errors, if they changed since they were last written; under the record's monitor. */
    void persist(ModuleRecord r) {
        if (!restored.isDone()) {
            return; // the saved record is not read yet: writing now would overwrite it
        }
        Module m = r.module;
        long id = r.bundleId;
        if (m.state() == ModuleState.UNINSTALLED) {
            if (r.persisted != null) {
                db.write(c -> RecordStore.remove(c, id));
                r.persisted = null;
            }
            return;
        }
        RecordStore.Saved now = new RecordStore.Saved(id, m.id(), m.version().toString(), m.location(), r.content,
                r.origin, r.installed, List.copyOf(r.errors));
        RecordStore.Saved before = r.persisted;
        if (before == null || !now.equals(new RecordStore.Saved(before.bundleId(), before.moduleId(), before.version(),
                before.location(), before.content(), before.origin(), before.installed(), now.errors()))) {
            db.write(c -> RecordStore.put(c, now));
        }
        if (before == null ? !now.errors().isEmpty() : !before.errors().equals(now.errors())) {
            db.write(c -> RecordStore.errors(c, id, now.errors()));
        }
        r.persisted = now;
    }

    /** A record changed: its subscribers are told, under the record's monitor. */
    void applied(Module m) {
        for (RecordSubscriber s : subscribers) {
            s.recordChanged(m);
        }
    }

    /** A record changed: the index's listeners are told, outside the record's monitor. */
    void published(Module m) {
        events.module(ModuleEvents.TOPIC_INDEX_UPDATED, m, Map.of());
    }

    /**
     * Digest of bundles installed by other means, from their file location, off the caller's thread.
     * Not before the saved records are restored: they know the digests of all but new or changed
     * bundles, and hashing every boot bundle again (7 MB) took a core for ~0.15 s of each start.
     */
    private void describeLater(Bundle b) {
        if (!restored.isDone()) {
            return; // restoredNow() describes what the records did not know
        }
        Path file = fileOf(b.getLocation());
        if (file == null) {
            return;
        }
        background.execute(() -> {
            try {
                ModuleContent c = ContentStore.describe(file);
                ModuleRecord e = records.get(b.getBundleId());
                if (e != null) {
                    e.content(c);
                }
            } catch (IOException | RuntimeException ex) {
                LOG.log(Level.DEBUG, "no digest for {0}: {1}", b.getLocation(), ex.toString());
            }
        });
    }

    private static Path fileOf(String location) {
        String loc = location.startsWith("reference:") ? location.substring("reference:".length()) : location;
        if (!loc.startsWith("file:")) {
            return null;
        }
        try {
            Path p = Path.of(URI.create(loc));
            return Files.isRegularFile(p) ? p : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** @return a module as the messages name it: id, version and bundle id */
    public static String describe(Module m) {
        return m.id() + " " + m.version() + " (bundle " + m.bundleId() + ")";
    }

    private final class Listener implements SynchronousBundleListener, ServiceListener, FrameworkListener {

        @Override
        public void bundleChanged(BundleEvent event) {
            for (RecordSubscriber s : subscribers) {
                s.bundleChanged(event);
            }
            Bundle b = event.getBundle();
            ModuleRecord r = records.computeIfAbsent(b.getBundleId(), id -> new ModuleRecord(ModuleRecords.this, id));
            String topic = null;
            switch (event.getType()) {
                case BundleEvent.INSTALLED -> {
                    r.update(e -> e.rebuild(b));
                    if (!installing.contains(b.getLocation())) {
                        describeLater(b);
                    }
                    topic = ModuleEvents.TOPIC_INSTALLED;
                }
                case BundleEvent.UPDATED -> {
                    r.update(e -> {
                        e.failed = false;
                        e.rebuild(b);
                    });
                    topic = ModuleEvents.TOPIC_UPDATED;
                }
                case BundleEvent.RESOLVED -> {
                    r.update(e -> {
                        e.failed = false;
                        e.rebuild(b);
                    });
                    topic = ModuleEvents.TOPIC_RESOLVED;
                }
                case BundleEvent.UNRESOLVED -> {
                    r.update(e -> e.rebuild(b));
                    topic = ModuleEvents.TOPIC_UNRESOLVED;
                }
                case BundleEvent.STARTING -> r.update(e -> e.recompute(b));
                case BundleEvent.STARTED -> {
                    r.update(e -> {
                        e.failed = false;
                        e.stopped = false;
                        e.recompute(b);
                    });
                    topic = ModuleEvents.TOPIC_STARTED;
                }
                case BundleEvent.STOPPED -> {
                    r.update(e -> {
                        e.stopped = true;
                        e.recompute(b);
                    });
                    topic = ModuleEvents.TOPIC_STOPPED;
                }
                case BundleEvent.UNINSTALLED -> {
                    r.update(e -> e.recompute(null));
                    records.remove(b.getBundleId());
                    topic = ModuleEvents.TOPIC_UNINSTALLED;
                }
                default -> r.update(e -> e.recompute(b));
            }
            if (r.module == null) {
                r.update(e -> e.rebuild(b));
            }
            if (topic != null) {
                events.module(topic, r.module, Map.of());
            }
        }

        @Override
        public void serviceChanged(ServiceEvent event) {
            Bundle owner = event.getServiceReference().getBundle();
            ModuleRecord r = owner == null ? null : records.get(owner.getBundleId());
            if (r == null || r.module == null) {
                return;
            }
            long id = (Long) event.getServiceReference().getProperty(Constants.SERVICE_ID);
            r.update(e -> {
                List<ServiceInfo> services = new ArrayList<>();
                for (ServiceInfo s : e.module.services()) {
                    if (s.serviceId() != id) {
                        services.add(s);
                    }
                }
                if (event.getType() != ServiceEvent.UNREGISTERING) {
                    services.add(Records.service(event.getServiceReference()));
                }
                e.module = e.module.withServices(services);
            });
        }

        @Override
        public void frameworkEvent(FrameworkEvent event) {
            // failures the framework met on its own: a start at a start-level change, a restart after a refresh
            if (event.getType() != FrameworkEvent.ERROR || event.getBundle() == null || event.getBundle().getBundleId() == 0) {
                return;
            }
            for (RecordSubscriber s : subscribers) {
                if (s.explains(event)) {
                    return;
                }
            }
            ModuleRecord r = records.get(event.getBundle().getBundleId());
            if (r != null) {
                Throwable t = event.getThrowable();
                String operation = t instanceof BundleException be && be.getType() == BundleException.RESOLVE_ERROR
                        ? "resolve" : "start";
                fail(r, operation, describe(r.module) + ": " + operation + " failed: "
                        + (t == null ? "unknown error" : Failures.reason(t)));
            }
        }
    }
}
