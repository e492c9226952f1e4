package org.modreg.core;

import org.modreg.core.audit.AuditStore;
import org.modreg.core.audit.Origin;
import org.modreg.core.content.ContentStore;
import org.modreg.core.content.JarValidator;
import org.modreg.core.content.ValidatedJar;
import org.modreg.core.deploy.DeploySupport;
import org.modreg.core.deploy.Deployer;
import org.modreg.core.index.ModuleIndex;
import org.modreg.core.lifecycle.Lifecycle;
import org.modreg.core.lifecycle.MarkStore;
import org.modreg.core.records.Failures;
import org.modreg.core.records.RecordStore;
import org.modreg.core.records.Records;
import org.modreg.core.store.Database;
import org.modreg.core.update.RolledBackException;
import org.modreg.core.util.Histogram;
import org.modreg.core.util.Threads;
import org.modreg.core.wiring.ApiDiff;
import org.modreg.core.wiring.DependencyGraphs;
import org.modreg.core.wiring.WiringChecker;
import org.modreg.core.wiring.WiringView;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.modreg.api.AmbiguousModuleException;
import org.modreg.api.DuplicateModuleException;
import org.modreg.api.InstallOption;
import org.modreg.api.InvalidModuleException;
import org.modreg.api.LifecycleException;
import org.modreg.api.ModuleEvents;
import org.modreg.api.ModuleException;
import org.modreg.api.InvalidQueryException;
import org.modreg.api.ModuleNotFoundException;
import org.modreg.api.ModuleQuery;
import org.modreg.api.ModuleRegistry;
import org.modreg.api.ModuleSource;
import org.modreg.api.ModuleState;
import org.modreg.api.ModuleTimeoutException;
import org.modreg.api.ModuleWiring;
import org.modreg.api.UnresolvableModuleException;
import org.modreg.api.dto.AuditEntry;
import org.modreg.api.dto.CheckReport;
import org.modreg.api.dto.Dependency;
import org.modreg.api.dto.DependencyGraph;
import org.modreg.api.dto.WireInfo;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleContent;
import org.modreg.api.dto.ModuleError;
import org.modreg.api.dto.ModuleMatch;
import org.modreg.api.dto.ServiceMatch;
import org.modreg.api.dto.ServiceInfo;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.BundleReference;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.resolver.Resolver;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.hooks.bundle.CollisionHook;
import org.osgi.framework.hooks.resolver.ResolverHook;
import org.osgi.framework.hooks.resolver.ResolverHookFactory;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.resource.Resource;

/**
 * The {@link ModuleRegistry} over the framework this bundle runs in.
 *
 * <p>Records live in memory, one {@link Entry} per bundle, and change only when a bundle,
 * service or framework event says so. Lifecycle operations run on a pool of daemon threads and
 * are awaited with the configured timeout, so that a hanging activator costs a thread, never
 * the caller or the container.
 *
 * <p>It also implements {@link ModuleWiring}: an install or update is checked by the
 * {@link WiringChecker} before anything is touched, so both need one view of the modules. The
 * services are views of it: {@link RegistryView} ({@link ModuleRegistry}, one per calling bundle)
 * and {@link WiringView} ({@link ModuleWiring}); this component is registered under its own class
 * for the components of this bundle.
 *
 * <p>What the framework does not remember of a bundle (digest, origin, error history) is kept in
 * the {@link Database}: each change of a record is written there, and at start the saved records
 * are reconciled with the bundles the framework has. Every mutating operation goes to the audit
 * trail, with its {@link Origin} and result.
 */
@Component(service = ModuleRegistryImpl.class, immediate = true, configurationPid = ModuleRegistryImpl.PID)
@Designate(ocd = RegistryConfig.class)
public final class ModuleRegistryImpl implements ModuleRegistry, ModuleWiring, DeploySupport {

    /** Configuration PID. */
    public static final String PID = "org.modreg.registry";
    /**
     * Framework property: the URI of the launcher's boot bundle directory. A bundle from it that
     * the records do not know was installed by the launcher, not behind modreg's back.
     */
    public static final String BOOT_PROPERTY = ModuleRegistry.BOOT_PROPERTY;

    private static final System.Logger LOG = System.getLogger(ModuleRegistryImpl.class.getName());
    private static final String LIFECYCLE_THREAD = "modreg-lifecycle-";

    private final BundleContext context;
    private final ContentStore store;
    private final Database db;
    /**
     * Completed once the saved records are read and reconciled with the framework (off the
     * activation, which must not wait for the database to open). Until then records are not
     * written, so that nothing overwrites what the last run saved.
     */
    private final java.util.concurrent.CompletableFuture<Void> restored = new java.util.concurrent.CompletableFuture<>();
    /** The operation being audited on this thread: the outermost public operation only. */
    private static final ThreadLocal<Audited> AUDITED = new ThreadLocal<>();
    /** Lifecycle marks by module id; loaded with the records. */
    private final Map<String, MarkStore.Mark> marks = new ConcurrentHashMap<>();
    /** "consumer provider" pairs already warned of a deprecated provider. */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    /** "id/version" -> the digests it had: a released version is immutable. Filled from the history. */
    private final Map<String, Set<String>> versionDigests = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.LongAdder queries = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder queryNanos = new java.util.concurrent.atomic.LongAdder();
    private final Histogram queryTimes = new Histogram("query");
    private final Histogram checkTimes = new Histogram("check");
    /** Operations ended, by [operation, door, result]: few keys, for the metrics. */
    private final Map<List<String>, java.util.concurrent.atomic.LongAdder> operations = new java.util.concurrent.ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<Long, Entry> entries = new ConcurrentSkipListMap<>();
    private final ModuleIndex index = new ModuleIndex();
    /** Locations this registry is installing; their content is known without reading them again. */
    private final Set<String> installing = ConcurrentHashMap.newKeySet();
    private final ExecutorService lifecycle;
    private final ExecutorService background;
    /**
     * Watches starts the framework runs on its own threads (start levels at boot, restarts after a
     * refresh, a plain {@code Bundle.start}): one that hangs past the lifecycle timeout is
     * interrupted, as {@link #timed} interrupts its own, so that a blocking activator cannot hold
     * the framework's start for ever.
     */
    private final ScheduledExecutorService watchdog;
    /** Bundle id -> the watch over its start; guarded by itself. */
    private final Map<Long, ScheduledFuture<?>> watched = new HashMap<>();
    /** Bundles whose start the watchdog interrupted, until the framework reports the failure. */
    private final Set<Long> interrupted = ConcurrentHashMap.newKeySet();
    private final Listener listener = new Listener();
    private final WiringChecker checker;
    /** Bundles being replaced: a new bundle of the same id and version may be installed beside them. */
    private final Set<Long> replacing = ConcurrentHashMap.newKeySet();
    /** New bundle id -> the bundle it replaces, whose capabilities it must not wire to. */
    private final Map<Long, Long> shadowing = new ConcurrentHashMap<>();
    private final List<ServiceRegistration<?>> hooks = new ArrayList<>();
    /** Told of each look-up through {@link #services}; the statistics count them. */
    private volatile java.util.function.BiConsumer<String, List<ServiceMatch<Object>>> lookups = (who, m) -> { };
    private volatile RegistryConfig config;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;

    @Activate
    public ModuleRegistryImpl(BundleContext context, RegistryConfig config, @Reference Resolver resolver,
            @Reference Database db) {
        this.context = context;
        this.config = config;
        this.db = db;
        this.checker = new WiringChecker(context, () -> resolver);
        this.background = Executors.newSingleThreadExecutor(Threads.daemons("modreg-content"));
        this.watchdog = Executors.newSingleThreadScheduledExecutor(Threads.daemons("modreg-watchdog"));
        this.store = new ContentStore(storeDir(context, config));
        AtomicInteger n = new AtomicInteger();
        this.lifecycle = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> Threads.daemon(r, LIFECYCLE_THREAD + n.incrementAndGet()));
    }

    @Activate
    void activate() {
        // listen first, then read what is there, so that nothing falls between the two
        context.addBundleListener(listener);
        context.addServiceListener(listener);
        context.addFrameworkListener(listener);
        for (Bundle b : context.getBundles()) {
            track(b);
        }
        background.execute(this::reconcile);
        // a replacement is installed beside the bundle it replaces, even with the same id and version
        hooks.add(context.registerService(CollisionHook.class,
                (type, target, candidates) -> candidates.removeIf(b -> replacing.contains(b.getBundleId())), null));
        // and wires to anything but the bundle it replaces, which is about to go
        ResolverHook shadow = new ShadowHook(shadowing);
        hooks.add(context.registerService(ResolverHookFactory.class, triggers -> shadow, null));
    }

    /** Hides, from a replacement's requirements, the capabilities of the bundle it replaces. */
    private static final class ShadowHook implements ResolverHook {
        private final Map<Long, Long> shadowing;

        ShadowHook(Map<Long, Long> shadowing) {
            this.shadowing = shadowing;
        }

        @Override
        public void filterResolvable(Collection<BundleRevision> candidates) {
        }

        @Override
        public void filterSingletonCollisions(BundleCapability singleton, Collection<BundleCapability> collisions) {
        }

        @Override
        public void filterMatches(BundleRequirement requirement, Collection<BundleCapability> candidates) {
            if (shadowing.isEmpty()) {
                return;
            }
            Long hidden = shadowing.get(requirement.getRevision().getBundle().getBundleId());
            if (hidden != null) {
                candidates.removeIf(c -> c.getRevision().getBundle().getBundleId() == hidden);
            }
        }

        @Override
        public void end() {
        }
    }

    @Modified
    void modified(RegistryConfig newConfig) {
        this.config = newConfig;
    }

    @Deactivate
    void deactivate() {
        for (ServiceRegistration<?> r : hooks) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // unregistered with the bundle already
            }
        }
        context.removeFrameworkListener(listener);
        context.removeServiceListener(listener);
        context.removeBundleListener(listener);
        lifecycle.shutdownNow();
        background.shutdownNow();
        watchdog.shutdownNow();
    }

    /**
     * Tracks every bundle, restoring what the saved records know of it, and puts in the audit trail
     * what changed while the container was down: bundles gone, bundles that are not what their
     * record says (updated by other means, or a framework cache wiped), bundles installed by other
     * means. A first start (an empty database) only records.
     */
    private void reconcile() {
        try {
            reconcile(load());
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "the saved module records cannot be read: " + e.getMessage(), e);
        } finally {
            restored.complete(null);
            for (Entry e : entries.values()) {
                e.sync();
                Bundle b = context.getBundle(e.bundleId);
                if (b != null && !e.module.content().isKnown() && !installing.contains(b.getLocation())) {
                    describeLater(b);
                }
            }
        }
    }

    private Map<Long, RecordStore.Saved> load() {
        marks.putAll(db.read(MarkStore::load));
        for (RecordStore.VersionRow v : db.read(RecordStore::allVersions)) {
            knownVersion(v.moduleId(), v.version(), v.digest());
        }
        Map<Long, RecordStore.Saved> saved = new HashMap<>(db.read(RecordStore::load));
        if (saved.isEmpty()) {
            // the index of the version before the database: imported once, then renamed
            store.legacyIndex().forEach((id, content) -> saved.put(id, new RecordStore.Saved(id, null, null, null, content,
                    Origin.FRAMEWORK, null, List.of())));
        }
        return saved;
    }

    private void reconcile(Map<Long, RecordStore.Saved> saved) {
        boolean first = saved.isEmpty();
        Map<Long, RecordStore.Saved> left = new LinkedHashMap<>(saved);
        for (Bundle b : context.getBundles()) {
            RecordStore.Saved s = left.remove(b.getBundleId());
            Entry entry = entries.get(b.getBundleId());
            if (entry == null || entry.module == null) {
                continue; // uninstalled meanwhile
            }
            boolean same = s != null && s.moduleId() != null && s.moduleId().equals(b.getSymbolicName())
                    && s.version().equals(b.getVersion().toString()) && s.location().equals(b.getLocation());
            if (s != null && (same || s.moduleId() == null)) {
                // a bundle described from its file and updated since by other means (a boot bundle the
                // launcher updated in place) is described again once the records are restored; its
                // record then dates from that update
                boolean changed = same && s.content().isKnown() && s.content().stored() == null
                        && b.getLastModified() > s.installed().toEpochMilli();
                entry.update(e -> {
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
                        while (e.errors.size() > Math.max(1, config.error_history_size())) {
                            e.errors.removeFirst();
                        }
                        e.persisted = s;
                        e.recompute(context.getBundle(b.getBundleId()));
                    }
                });
            }
            Module m = entry.module;
            if (s != null && !same && s.moduleId() != null) {
                reconciled(m, Level.INFO, "was " + s.moduleId() + " " + s.version() + " from " + s.location()
                        + " when the container stopped; now " + m.id() + " " + m.version() + " from " + m.location());
            } else if (s == null && !first && Origin.FRAMEWORK.equals(entry.origin)) { // not installed through modreg since
                String boot = context.getProperty(BOOT_PROPERTY);
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
                audit(new AuditEntry(0, Instant.now(), "reconcile", s.moduleId(), s.version(), s.bundleId(), Origin.FRAMEWORK,
                        AuditEntry.Result.OK, s.location(), "gone while the container was down", null));
            }
        }
    }

    /** @return whether the saved records are restored; until then digests and error histories may be missing */
    public boolean restored() {
        return restored.isDone();
    }

    /** Waits (at most a minute) until the saved records are restored: the deployer compares digests. */
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

    private void reconciled(Module m, Level level, String what) {
        LOG.log(level, "{0}: {1}", describe(m), what);
        audit(new AuditEntry(0, Instant.now(), "reconcile", m.id(), m.version().toString(), m.bundleId(), Origin.FRAMEWORK,
                AuditEntry.Result.OK, m.location(), what, null));
    }

    private static Path storeDir(BundleContext context, RegistryConfig config) {
        if (!config.content_store().isBlank()) {
            return Path.of(config.content_store());
        }
        String data = context.getProperty(DATA_PROPERTY);
        return data != null ? Path.of(data, "content") : context.getDataFile("content").toPath();
    }


    // ---------------------------------------------------------------- reads

    @Override
    public List<Module> list() {
        List<Module> all = new ArrayList<>(entries.size());
        for (Entry e : entries.values()) {
            Module m = e.module;
            if (m != null) { // null while a bundle event is building the first record
                all.add(m);
            }
        }
        return List.copyOf(all);
    }

    @Override
    public Optional<Module> get(long bundleId) {
        Entry e = entries.get(bundleId);
        return e == null ? Optional.empty() : Optional.ofNullable(e.module);
    }

    @Override
    public Module get(String ref) {
        return entry(ref).module;
    }

    private Entry entry(String ref) {
        String r = ref == null ? "" : ref.trim();
        if (!r.isEmpty() && r.chars().allMatch(Character::isDigit)) {
            Entry e = entries.get(Long.parseLong(r));
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
        List<Entry> found = new ArrayList<>();
        for (Entry e : entries.values()) {
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

    @Override
    public List<ModuleMatch> find(ModuleQuery query) {
        long t0 = System.nanoTime();
        try {
            return index.find(query);
        } finally {
            timedQuery(t0);
        }
    }

    /** The registry itself audits under the origin of the thread; a view runs under the given one. */
    @Override
    public ModuleRegistry as(String origin) {
        return new RegistryView(this, Origin.checked(origin), null);
    }

    private void timedQuery(long t0) {
        long took = System.nanoTime() - t0;
        queryNanos.add(took);
        queries.increment();
        queryTimes.observe(took);
    }

    /** @return the query and check histograms, and the operations ended so far by operation, door and result */
    public List<org.modreg.api.dto.Metrics.Timing> timings() {
        return List.of(queryTimes.snapshot(), checkTimes.snapshot());
    }

    public List<org.modreg.api.dto.Metrics.OperationCount> operationCounts() {
        List<org.modreg.api.dto.Metrics.OperationCount> out = new ArrayList<>();
        operations.forEach((k, n) -> out.add(new org.modreg.api.dto.Metrics.OperationCount(k.get(0), k.get(1), k.get(2), n.sum())));
        out.sort(java.util.Comparator.comparing(org.modreg.api.dto.Metrics.OperationCount::operation)
                .thenComparing(org.modreg.api.dto.Metrics.OperationCount::door)
                .thenComparing(org.modreg.api.dto.Metrics.OperationCount::result));
        return out;
    }

    /** @return queries answered (find and services), and their total time in nanoseconds */
    public long[] queryFigures() {
        return new long[] { queries.sum(), queryNanos.sum() };
    }

    /** @return modules indexed, index keys, postings */
    public long[] indexFigures() {
        return index.figures();
    }

    @Override
    @SuppressWarnings({ "unchecked", "rawtypes" })
    public <T> List<ServiceMatch<T>> services(Class<T> type, String capability, String filter) {
        return services(null, type, capability, filter);
    }

    /** {@link #services(Class, String, String)} for a known consumer, whose look-ups the statistics count. */
    @SuppressWarnings({ "unchecked", "rawtypes" })
    public <T> List<ServiceMatch<T>> services(String consumer, Class<T> type, String capability, String filter) {
        Bundle typeBundle = type.getClassLoader() instanceof BundleReference br ? br.getBundle() : null;
        List<ServiceMatch<Object>> all = services(consumer, type.getName(), capability, filter);
        List<ServiceMatch<T>> result = new ArrayList<>(all.size());
        for (ServiceMatch<Object> m : all) {
            // only services of the caller's class space: the same T, not a namesake
            if (typeBundle == null || m.reference().isAssignableTo(typeBundle, type.getName())) {
                result.add((ServiceMatch) m);
            }
        }
        return result;
    }

    @Override
    public List<ServiceMatch<Object>> services(String objectClass, String capability, String filter) {
        return services(null, objectClass, capability, filter);
    }

    /** {@link #services(String, String, String)} for a known consumer (null: unknown). */
    public List<ServiceMatch<Object>> services(String consumer, String objectClass, String capability, String filter) {
        long t0 = System.nanoTime();
        Filter extra = null;
        if (filter != null && !filter.isBlank()) {
            try {
                extra = context.createFilter(filter);
            } catch (InvalidSyntaxException e) {
                throw new InvalidQueryException("invalid filter \"" + filter + "\": " + e.getMessage(), e);
            }
        }
        String byProperty = capability == null ? (extra == null ? null : extra.toString())
                : "(&(" + ModuleQuery.CAPABILITY_NAMESPACE + "=" + escape(capability) + ")" + (extra == null ? "" : extra) + ")";
        Map<Long, ServiceReference<?>> found = new LinkedHashMap<>();
        try {
            // advertised on the service: the framework's own look-up, by interface, capability in the filter
            ServiceReference<?>[] refs = context.getAllServiceReferences(objectClass, byProperty);
            if (refs != null) {
                for (ServiceReference<?> r : refs) {
                    found.put((Long) r.getProperty(Constants.SERVICE_ID), r);
                }
            }
            // advertised by the module (Provide-Capability): its services of the interface that match
            // the filter, read from the records; the framework is asked only for those
            if (capability != null) {
                for (long id : index.genericProviders(capability)) {
                    Entry e = entries.get(id);
                    for (ServiceInfo s : e == null || e.module == null ? List.<ServiceInfo>of() : e.module.services()) {
                        if (!found.containsKey(s.serviceId()) && (objectClass == null || s.objectClass().contains(objectClass))
                                && (extra == null || extra.matches(s.properties()))) {
                            ServiceReference<?>[] r = context.getAllServiceReferences(null, "(service.id=" + s.serviceId() + ")");
                            if (r != null) {
                                found.put(s.serviceId(), r[0]);
                            }
                        }
                    }
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new InvalidQueryException("invalid service query " + byProperty + ": " + e.getMessage(), e);
        }
        List<ServiceReference<?>> sorted = new ArrayList<>(found.values());
        java.util.function.BiConsumer<String, List<ServiceMatch<Object>>> count = lookups;
        sorted.sort(java.util.Collections.reverseOrder()); // ServiceReference order: ranking, then age
        List<ServiceMatch<Object>> result = new ArrayList<>(sorted.size());
        for (ServiceReference<?> r : sorted) {
            Bundle owner = r.getBundle();
            Entry e = owner == null ? null : entries.get(owner.getBundleId());
            if (e != null) {
                @SuppressWarnings("unchecked")
                ServiceReference<Object> ref = (ServiceReference<Object>) r;
                result.add(new ServiceMatch<>(ref, e.module, serviceInfo(e.module, r)));
            }
        }
        count.accept(consumer, result);
        if (!marks.isEmpty()) {
            for (ServiceMatch<Object> m : result) {
                deprecatedLookup(consumer == null ? "a caller of the registry" : consumer, m.provider().id());
            }
        }
        timedQuery(t0);
        return result;
    }

    /** The record's copy of a service's properties, made when it was registered; a new one if it changed since. */
    private static ServiceInfo serviceInfo(Module provider, ServiceReference<?> r) {
        long id = (Long) r.getProperty(Constants.SERVICE_ID);
        for (ServiceInfo s : provider.services()) {
            if (s.serviceId() == id) {
                return s;
            }
        }
        return Records.service(r);
    }

    /** Escapes a value for an LDAP filter (RFC 1960): {@code \ * ( )}. */
    static String escape(String value) {
        StringBuilder sb = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '*' || c == '(' || c == ')') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- operations

    @Override
    public Module install(ModuleSource source, InstallOption... options) {
        return audited("install", source.name(), null, () -> doInstall(source, options));
    }

    private Module doInstall(ModuleSource source, InstallOption... options) {
        boolean start = Arrays.asList(options).contains(InstallOption.START);
        boolean force = Arrays.asList(options).contains(InstallOption.FORCE);
        Prepared p = prepare(source, null, force);
        Entry entry = installPrepared(source, p);
        if (start) {
            try {
                return start(entry);
            } catch (ModuleTimeoutException e) {
                throw new ModuleTimeoutException("start", describe(entry.module) + " was installed, but its start "
                        + e.reason(), e.reason());
            } catch (LifecycleException e) {
                throw new LifecycleException("start", describe(entry.module) + " was installed, but did not start: "
                        + e.reason(), e.reason(), e);
            }
        }
        return entry.module;
    }

    /** Installs bytes already validated, checked and stored. */
    private Entry installPrepared(ModuleSource source, Prepared p) {
        ValidatedJar jar = p.jar();
        Path stored = p.stored();
        ModuleContent content = p.content();
        String what = source.name() + " (" + jar.id() + " " + jar.version() + ")";
        Entry entry;
        String origin = Origin.current();
        // while the location is marked installing, the record does not go and read the file for its digest
        installing.add(source.location());
        try {
            Bundle bundle = timed("install", null, what, () -> {
                try (var in = Files.newInputStream(stored)) {
                    return context.installBundle(source.location(), in);
                } catch (BundleException | IllegalArgumentException e) {
                    throw manifestError(source, e);
                }
            });
            entry = track(bundle);
            entry.update(e -> {
                e.content = content;
                e.origin = origin;
                e.installed = Instant.now();
            });
        } finally {
            installing.remove(source.location());
        }
        forced(entry, "install", p.report());
        return entry;
    }

    /** A validated and checked jar, committed to the content store. */
    private record Prepared(ValidatedJar jar, Path stored, ModuleContent content, CheckReport report) {
    }

    /**
     * Stages, validates, checks and stores new bytes: for an install ({@code updating} null), or
     * an update of a module, which must keep its id. Nothing is stored when a check fails; a
     * wiring check that finds a problem fails unless forced.
     */
    private Prepared prepare(ModuleSource source, Entry updating, boolean force) {
        ContentStore.Staged staged = store.stage(source);
        CheckReport report;
        ValidatedJar jar;
        try {
            jar = validate(source, staged, updating);
            Audited op = AUDITED.get();
            if (op != null) {
                op.validated(jar);
            }
            if (!force) {
                immutable(source, jar);
            }
            report = check(source, jar, updating);
            if (!force && !report.safe()) {
                throw new UnresolvableModuleException(report);
            }
        } catch (RuntimeException e) {
            staged.discard();
            throw e;
        }
        Path stored = store.commit(staged);
        return new Prepared(jar, stored, new ModuleContent(jar.digest(), jar.size(), jar.compressedSize(), stored.toString()),
                report);
    }

    private CheckReport check(ModuleSource source, ValidatedJar jar, Entry updating) {
        long t0 = System.nanoTime();
        try {
            Resource candidate = WiringChecker.resource(source.name(), source.location(), jar.headers());
            return updating == null ? checker.checkInstall(source.name(), candidate)
                    : checker.checkUpdate(source.name(), bundle(updating), candidate).withWarnings(apiWarnings(updating, jar));
        } finally {
            checkTimes.observe(System.nanoTime() - t0);
        }
    }

    /**
     * An update whose exported packages, in use by other modules, change their API more than
     * their declared version says (bnd's baselining against the installed bytes): the consumers
     * would resolve against it and may fail at run time. Only packages with consumers are
     * baselined, and only when there are some: an update nobody imports from costs nothing.
     */
    private List<String> apiWarnings(Entry updating, ValidatedJar jar) {
        ModuleContent old = updating.content;
        Bundle b = context.getBundle(updating.bundleId);
        org.osgi.framework.wiring.BundleWiring wiring = b == null ? null : b.adapt(org.osgi.framework.wiring.BundleWiring.class);
        if (!old.isKnown() || old.stored() == null || wiring == null || !Files.isRegularFile(Path.of(old.stored()))) {
            return List.of();
        }
        Map<String, java.util.Set<String>> consumers = new java.util.TreeMap<>();
        for (org.osgi.framework.wiring.BundleWire w : wiring.getProvidedWires(org.osgi.framework.namespace.PackageNamespace.PACKAGE_NAMESPACE)) {
            Object pkg = w.getCapability().getAttributes().get(org.osgi.framework.namespace.PackageNamespace.PACKAGE_NAMESPACE);
            Bundle user = w.getRequirer().getBundle();
            if (pkg != null && user.getBundleId() != updating.bundleId) {
                consumers.computeIfAbsent(pkg.toString(), k -> new java.util.TreeSet<>()).add(user.getSymbolicName());
            }
        }
        if (consumers.isEmpty()) {
            return List.of();
        }
        List<String> warnings = new ArrayList<>();
        try {
            for (org.modreg.api.dto.ModuleDiff.PackageBaseline p : ApiDiff.baseline(Path.of(old.stored()), jar.file())) {
                java.util.Set<String> users = consumers.get(p.packageName());
                if (users != null && p.mismatch()) {
                    warnings.add("package " + p.packageName() + " changes its API (" + p.delta() + ": it needs version "
                            + p.suggested() + ") but declares " + (p.declared() == null ? "nothing (it is no longer exported)"
                            : p.declared()) + "; used by " + String.join(", ", users)
                            + ", which would resolve against it and may fail at run time");
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "no API baseline for {0}: {1}", jar.source(), e.toString());
        }
        return warnings;
    }

    /** A forced install or update that the check found wrong: say so in the record, not only in the log. */
    private void forced(Entry entry, String operation, CheckReport report) {
        if (report != null && !report.safe()) {
            LOG.log(Level.WARNING, "forced {0}: {1}", operation, report.describe());
            fail(entry, "check", "forced " + operation + ": " + report.describe());
        }
    }

    /** Validates staged bytes: a bundle, not a duplicate, and for an update the same id. */
    private ValidatedJar validate(ModuleSource source, ContentStore.Staged staged, Entry updating) {
        ValidatedJar jar = JarValidator.validate(source.name(), staged.file(), staged.digest(), staged.size());
        duplicates(source, jar, updating);
        return jar;
    }

    private void knownVersion(String id, String version, String digest) {
        if (digest != null) {
            versionDigests.computeIfAbsent(id + "/" + version, k -> ConcurrentHashMap.newKeySet()).add(digest);
        }
    }

    /**
     * A released version is immutable: the same id and version with other bytes than before is
     * refused. A version whose qualifier ends with SNAPSHOT is exempt, as in Maven.
     */
    private void immutable(ModuleSource source, ValidatedJar jar) {
        Version v = jar.version();
        if (v.getQualifier().toUpperCase(java.util.Locale.ROOT).endsWith("SNAPSHOT")) {
            return;
        }
        Set<String> before = versionDigests.get(jar.id() + "/" + v);
        if (before != null && !before.contains(jar.digest())) {
            throw new DuplicateModuleException(source.name() + ": " + jar.id() + " " + v + " was installed before with other "
                    + "bytes (sha256 " + before.iterator().next().substring(0, 12) + "..., now " + jar.digest().substring(0, 12)
                    + "...); a released version is immutable: give the new bytes a new version, or force", -1);
        }
    }

    // ---------------------------------------------------------------- lifecycle marks

    /** Warns, once per consumer, that a module it looks services up from is deprecated. */
    public void deprecatedLookup(String consumer, String providerId) {
        MarkStore.Mark m = marks.get(providerId);
        if (m != null && m.mark().equals("DEPRECATED") && warned.add(consumer + " " + providerId)) {
            LOG.log(Level.WARNING, "{0} looks up services of {1}, which is deprecated{2}{3}", consumer, providerId,
                    m.reason() == null || m.reason().isBlank() ? "" : " (" + m.reason() + ")",
                    m.replacement() == null ? "" : "; use " + m.replacement() + " instead");
            EventAdmin ea = eventAdmin;
            if (ea != null) {
                Map<String, Object> props = new HashMap<>();
                props.put(ModuleEvents.MODULE_ID, providerId);
                props.put(ModuleEvents.CONSUMER, consumer);
                ea.postEvent(new Event(ModuleEvents.TOPIC_DEPRECATED_USE, props));
            }
        }
    }

    /** @return whether any module is marked (the FindHook checks nothing otherwise) */
    public boolean anyMarks() {
        return !marks.isEmpty();
    }

    public MarkStore.Mark markOf(String moduleId) {
        return marks.get(moduleId);
    }

    public Map<String, MarkStore.Mark> marks() {
        return new java.util.TreeMap<>(marks);
    }

    /** Sets a mark, in the database and the audit trail. */
    public void mark(MarkStore.Mark m, Module module) {
        marks.put(m.moduleId(), m);
        warned.removeIf(k -> k.endsWith(" " + m.moduleId()));
        db.write(c -> MarkStore.put(c, m));
        audit(new AuditEntry(0, m.time(), m.mark().equals("DEPRECATED") ? "deprecate" : "archive", m.moduleId(),
                module == null ? null : module.version().toString(), module == null ? -1 : module.bundleId(), m.origin(),
                AuditEntry.Result.OK, m.moduleId(), (m.reason() == null || m.reason().isBlank() ? "" : m.reason())
                        + (m.replacement() == null ? "" : " (use " + m.replacement() + ")"), null));
    }

    /** Removes a mark; @return it, or null */
    public MarkStore.Mark unmark(String moduleId) {
        MarkStore.Mark m = marks.remove(moduleId);
        if (m != null) {
            db.write(c -> MarkStore.remove(c, moduleId));
            audit(new AuditEntry(0, Instant.now(), "unmark", moduleId, null, -1, Origin.current(), AuditEntry.Result.OK,
                    moduleId, "was " + m.mark().toLowerCase(java.util.Locale.ROOT), null));
        }
        return m;
    }

    /** Audits what the lifecycle service did that no registry operation covers (a delete, a retention clean-up). */
    public void auditLifecycle(String operation, String moduleId, String detail) {
        audit(new AuditEntry(0, Instant.now(), operation, moduleId, null, -1, Origin.current(), AuditEntry.Result.OK, moduleId,
                detail, null));
    }

    /** @return every version row of every module, oldest first */
    public List<RecordStore.VersionRow> allVersions() {
        db.flush();
        return db.read(RecordStore::allVersions);
    }

    /** @return where the content store keeps the bytes of a digest (they may be gone) */
    public Path storedFile(String digest) {
        return store.dir().resolve(digest + ".jar");
    }

    /** @return the content store's directory */
    public Path storeDir() {
        return store.dir();
    }

    /** Updates a module to kept bytes (module:rollback), audited as a rollback. */
    public Module rollbackTo(String ref, ModuleSource source) {
        return audited("rollback", source.name(), ref, () -> updateInPlace(entry(ref), source));
    }

    /** A new module must not have the id and version, or the location, of an installed one. */
    private void duplicates(ModuleSource source, ValidatedJar jar, Entry updating) {
        if (updating != null && !jar.id().equals(updating.module.id())) {
            throw new InvalidModuleException(source.name(), "its Bundle-SymbolicName is " + jar.id()
                    + ", not " + updating.module.id() + "; an update keeps the module id (install it as a new module)");
        }
        for (Entry e : entries.values()) {
            Module m = e.module;
            if (e == updating || m == null) {
                continue;
            }
            if (m.id().equals(jar.id()) && m.version().equals(jar.version())) {
                throw new DuplicateModuleException(source.name() + ": " + jar.id() + " " + jar.version()
                        + " is installed already as bundle " + m.bundleId()
                        + (updating == null ? "; update it instead" : ""), m.bundleId());
            }
            if (updating == null && m.location().equals(source.location())) {
                throw new DuplicateModuleException(source.name() + ": this location is installed already as bundle "
                        + m.bundleId() + " (" + m.ref() + "); update it instead", m.bundleId());
            }
        }
    }

    @Override
    public Module start(String ref) {
        return audited("start", ref, ref, () -> start(entry(ref)));
    }

    private Module start(Entry entry) {
        MarkStore.Mark mark = marks.get(entry.module.id());
        if (mark != null && mark.mark().equals("ARCHIVED")) {
            String why = "it is archived" + (mark.reason() == null || mark.reason().isBlank() ? "" : " (" + mark.reason() + ")");
            throw new LifecycleException("start", describe(entry.module) + " cannot start: " + why
                    + "; module:unmark " + entry.module.id() + " first", why, null);
        }
        Bundle b = bundle(entry);
        timed("start", entry, describe(entry.module), () -> {
            b.start();
            return null;
        });
        return entry.module;
    }

    @Override
    public Module stop(String ref) {
        return audited("stop", ref, ref, () -> doStop(ref));
    }

    private Module doStop(String ref) {
        Entry entry = entry(ref);
        Bundle b = bundle(entry);
        timed("stop", entry, describe(entry.module), () -> {
            b.stop();
            return null;
        });
        return entry.module;
    }

    @Override
    public Module update(String ref, InstallOption... options) {
        return audited("update", ref, ref, () -> doUpdate(ref, options));
    }

    private Module doUpdate(String ref, InstallOption... options) {
        Entry entry = entry(ref);
        Module m = entry.module;
        ModuleSource source;
        try {
            source = ModuleSource.of(URI.create(m.location()));
        } catch (IllegalArgumentException e) {
            throw new LifecycleException("update", describe(m) + ": its location \"" + m.location()
                    + "\" cannot be read again; give the new jar", e);
        }
        if (m.location().startsWith("stream:")) {
            throw new LifecycleException("update", describe(m) + " was installed from a stream; give the new jar", null);
        }
        return updateInPlace(entry, source, options);
    }

    @Override
    public Module update(String ref, ModuleSource source, InstallOption... options) {
        return audited("update", source.name(), ref, () -> updateInPlace(entry(ref), source, options));
    }

    private Module update(Entry entry, ModuleSource source, InstallOption... options) {
        Module old = entry.module;
        Bundle b = bundle(entry);
        Prepared p = prepare(source, entry, Arrays.asList(options).contains(InstallOption.FORCE));
        Path stored = p.stored();
        ModuleContent content = p.content();
        // a module whose start failed was meant to run too (a start that hung lost its start mark)
        boolean wasActive = meantToRun(b) || startFailed(entry);
        String what = describe(old) + " from " + source.name();
        timed("update", entry, what, () -> {
            // stop transiently and start explicitly afterwards, so a failing start is an exception here
            // rather than a framework event the caller never sees
            if (wasActive) {
                b.stop(Bundle.STOP_TRANSIENT);
            }
            try (var in = Files.newInputStream(stored)) {
                b.update(in);
            } catch (BundleException | IllegalArgumentException e) {
                throw manifestError(source, e);
            }
            entry.update(e -> e.content = content);
            refreshAndWait(List.of(b));
            // resolve now, so the record says at once whether the new revision resolves
            frameworkWiring().resolveBundles(List.of(b));
            return null;
        });
        forced(entry, "update", p.report());
        if (wasActive) {
            start(entry);
        }
        return entry.module;
    }

    @Override
    public Module uninstall(String ref) {
        return audited("uninstall", ref, ref, () -> {
            Entry entry = entry(ref);
            Bundle b = bundle(entry);
            timed("uninstall", entry, describe(entry.module), () -> {
                b.uninstall();
                refreshAndWait(List.of(b));
                return null;
            });
            return entry.module;
        });
    }

    @Override
    public List<Module> refresh(String... refs) {
        return audited("refresh", refs.length == 0 ? "pending modules" : String.join(" ", refs), refs.length == 1 ? refs[0] : null,
                () -> doRefresh(refs));
    }

    private List<Module> doRefresh(String... refs) {
        FrameworkWiring wiring = frameworkWiring();
        List<Bundle> bundles = new ArrayList<>();
        for (String ref : refs) {
            bundles.add(bundle(entry(ref)));
        }
        Collection<Bundle> closure = wiring.getDependencyClosure(
                bundles.isEmpty() ? wiring.getRemovalPendingBundles() : bundles);
        timed("refresh", null, refs.length == 0 ? "pending modules" : String.join(", ", refs), () -> {
            refreshAndWait(bundles.isEmpty() ? null : bundles);
            return null;
        });
        List<Module> result = new ArrayList<>();
        for (Bundle b : closure) {
            get(b.getBundleId()).ifPresent(result::add);
        }
        return result;
    }

    private FrameworkWiring frameworkWiring() {
        return context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
    }

    private void refreshAndWait(Collection<Bundle> bundles) throws InterruptedException, BundleException {
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Throwable> error = new AtomicReference<>();
        frameworkWiring().refreshBundles(bundles, event -> {
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
    private static Exception manifestError(ModuleSource source, Exception e) {
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

    private Bundle bundle(Entry entry) {
        Bundle b = context.getBundle(entry.bundleId);
        if (b == null) {
            throw new ModuleNotFoundException(Long.toString(entry.bundleId));
        }
        return b;
    }

    private static String describe(Module m) {
        return m.id() + " " + m.version() + " (bundle " + m.bundleId() + ")";
    }

    /**
     * Runs a framework operation on a lifecycle thread and waits at most the configured timeout.
     * A failure or a timeout becomes the module's state and error history, an event, and the
     * exception thrown.
     */
    private <T> T timed(String operation, Entry entry, String what, Callable<T> action) {
        long timeout = config.lifecycle_timeout();
        Future<T> future = lifecycle.submit(action);
        try {
            return future.get(timeout, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            String reason = "did not finish within " + timeout + " ms and was interrupted (a blocking activator?)";
            String msg = what + ": " + operation + " " + reason;
            fail(entry, operation, msg);
            if (operation.equals("start") && entry != null) {
                noStartAtBoot(entry.bundleId);
            }
            throw new ModuleTimeoutException(operation, msg, reason);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ModuleException me) {
                throw me;
            }
            String reason = Failures.reason(cause);
            String msg = what + ": " + operation + " failed: " + reason;
            fail(entry, operation, msg);
            throw new LifecycleException(operation, msg, reason, cause);
        } catch (InterruptedException e) {
            // the caller gave up (Ctrl-C in the shell): the operation is stopped too, and ends as a failure
            Thread.currentThread().interrupt();
            String msg = what + ": " + operation + " interrupted: its caller was interrupted while it ran";
            if (future.cancel(true)) {
                fail(entry, operation, msg);
                if (operation.equals("start") && entry != null) {
                    noStartAtBoot(entry.bundleId);
                }
            }
            throw new LifecycleException(operation, msg, e);
        }
    }

    /** A start began on a thread of the framework's (not one of {@link #timed}'s): watch it. */
    private void watchStart(Bundle b) {
        Thread starter = Thread.currentThread();
        if (starter.getName().startsWith(LIFECYCLE_THREAD)) {
            return; // timed() watches its own
        }
        long timeout = config.lifecycle_timeout();
        synchronized (watched) {
            ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
            self[0] = watchdog.schedule(() -> startHung(b, starter, timeout, self[0]), timeout, TimeUnit.MILLISECONDS);
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

    private void startHung(Bundle b, Thread starter, long timeout, ScheduledFuture<?> self) {
        synchronized (watched) {
            // the start's own thread removes the watch when it ends: still here and still STARTING is a hang
            if (watched.get(b.getBundleId()) != self || b.getState() != Bundle.STARTING) {
                return;
            }
            watched.remove(b.getBundleId());
            Entry entry = entries.get(b.getBundleId());
            String what = entry == null || entry.module == null ? "bundle " + b.getBundleId() : describe(entry.module);
            fail(entry, "start", what + ": start by the framework (" + starter.getName() + ") did not finish within " + timeout
                    + " ms and was interrupted (a blocking activator?)");
            // the framework reports the activator's InterruptedException as an error of its own: said already
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
    private void noStartAtBoot(long bundleId) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(1_000, config.lifecycle_timeout()));
        watchdog.execute(new Runnable() {
            @Override
            public void run() {
                Bundle b = context.getBundle(bundleId);
                if (b == null || b.getState() == Bundle.ACTIVE) {
                    return; // gone, or it finished starting after all
                }
                if (b.getState() == Bundle.STARTING && System.nanoTime() < until) {
                    watchdog.schedule(this, 50, TimeUnit.MILLISECONDS); // still unwinding
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

    private void fail(Entry entry, String operation, String message) {
        error(entry, operation, message, true);
    }

    /** Adds to a module's error history; marks it FAILED, or not (a rolled back update leaves it running). */
    private void error(Entry entry, String operation, String message, boolean failed) {
        if (entry == null) {
            return;
        }
        Bundle b = context.getBundle(entry.bundleId);
        entry.update(e -> {
            e.failed |= failed;
            e.errors.addLast(new ModuleError(Instant.now(), operation, message));
            while (e.errors.size() > Math.max(1, config.error_history_size())) {
                e.errors.removeFirst();
            }
            e.recompute(b);
        });
        if (failed) {
            post(ModuleEvents.TOPIC_FAILED, entry.module, Map.of(ModuleEvents.OPERATION, operation, ModuleEvents.ERROR, message));
        }
    }

    // ---------------------------------------------------------------- wiring

    @Override
    public CheckReport check(ModuleSource source) {
        return dryRun(source, null);
    }

    @Override
    public CheckReport checkUpdate(String ref, ModuleSource source) {
        return dryRun(source, entry(ref));
    }

    /** Validates and checks a jar as {@link #install} or {@link #update} would, and stores nothing. */
    private CheckReport dryRun(ModuleSource source, Entry updating) {
        ContentStore.Staged staged = store.stage(source);
        try {
            return check(source, validate(source, staged, updating), updating);
        } finally {
            staged.discard();
        }
    }

    @Override
    public CheckReport check(String ref) {
        return checker.checkInstalled(bundle(entry(ref)));
    }

    @Override
    public List<Dependency> dependencies(String ref, boolean transitive) {
        return reach(ref, true, transitive);
    }

    @Override
    public List<Dependency> dependents(String ref, boolean transitive) {
        return reach(ref, false, transitive);
    }

    private List<Dependency> reach(String ref, boolean forward, boolean transitive) {
        Entry start = entry(ref);
        DependencyGraphs g = graphs();
        List<Dependency> result = new ArrayList<>();
        for (long[] r : g.reach(start.bundleId, forward, transitive)) {
            Entry e = entries.get(r[0]);
            if (e != null) {
                result.add(new Dependency(e.module, (int) r[1], forward ? g.wires(r[2], r[0]) : g.wires(r[0], r[2])));
            }
        }
        return result;
    }

    @Override
    public List<WireInfo> why(String from, String to) {
        return graphs().why(entry(from).bundleId, entry(to).bundleId);
    }

    @Override
    public DependencyGraph graph() {
        return graphs().graph();
    }

    @Override
    public DependencyGraph graph(String ref) {
        return graphs().around(entry(ref).bundleId);
    }

    private DependencyGraphs graphs() {
        return new DependencyGraphs(checker.snapshot(), id -> {
            Entry e = entries.get(id);
            return e == null || e.module == null ? ModuleState.INSTALLED : e.module.state();
        });
    }

    /**
     * Active, or marked to start: at start-up a module is updated before the start level reaches
     * it, and its new version must be started here, where a failure can still be rolled back.
     */
    private static boolean startFailed(Entry entry) {
        synchronized (entry) {
            return entry.failed && !entry.errors.isEmpty() && entry.errors.peekLast().operation().equals("start");
        }
    }

    private static boolean meantToRun(Bundle b) {
        if ((b.getState() & (Bundle.ACTIVE | Bundle.STARTING)) != 0) {
            return true;
        }
        org.osgi.framework.startlevel.BundleStartLevel sl = b.adapt(org.osgi.framework.startlevel.BundleStartLevel.class);
        return sl != null && sl.isPersistentlyStarted();
    }

    /** The statistics of this bundle count the look-ups made through the registry (not a service: see {@link Deployer}). */
    public void onLookup(java.util.function.BiConsumer<String, List<ServiceMatch<Object>>> counter) {
        this.lookups = counter == null ? (who, m) -> { } : counter;
    }

    // ---------------------------------------------------------------- deploy support

    @Override
    public Module replace(String ref, ModuleSource source) {
        return audited(Origin.operation("update"), source.name(), ref, () -> {
            Object begun = begin(ref, source);
            return begun instanceof Replacement r ? retire(List.of(r)).get(0) : (Module) begun;
        });
    }

    @Override
    public List<Replaced> replaceAll(List<Map.Entry<String, ModuleSource>> updates) {
        List<Replaced> out = new ArrayList<>(java.util.Collections.nCopies(updates.size(), null));
        List<Integer> at = new ArrayList<>();
        List<Replacement> started = new ArrayList<>();
        for (int i = 0; i < updates.size(); i++) {
            Map.Entry<String, ModuleSource> u = updates.get(i);
            Audited op = new Audited(Origin.operation("update"), u.getValue().name(), quietly(u.getKey()));
            AUDITED.set(op);
            try {
                Object begun = begin(u.getKey(), u.getValue());
                if (begun instanceof Replacement r) {
                    at.add(i);
                    started.add(r);
                } else {
                    out.set(i, new Replaced(u.getKey(), u.getValue(), (Module) begun, null));
                    audit(op, (Module) begun, null);
                }
            } catch (ModuleException e) {
                out.set(i, new Replaced(u.getKey(), u.getValue(), null, e));
                audit(op, null, e);
            } finally {
                AUDITED.remove();
            }
        }
        List<Module> done = started.isEmpty() ? List.of() : retire(started);
        for (int k = 0; k < at.size(); k++) {
            Map.Entry<String, ModuleSource> u = updates.get(at.get(k));
            out.set(at.get(k), new Replaced(u.getKey(), u.getValue(), done.get(k), null));
            audit(new Audited(Origin.operation("update"), u.getValue().name(), started.get(k).old().module), done.get(k), null);
        }
        return out;
    }

    /** A new version started beside the old one, which is still to be retired. */
    private record Replacement(Entry old, Bundle oldBundle, Entry fresh, Bundle newBundle) {
    }

    /**
     * The first half of a replacement: the new version installed and started beside the old one
     * (a {@link Replacement}), or, for a singleton or a module not running, the whole update in
     * place (the {@link Module}).
     */
    private Object begin(String ref, ModuleSource source) {
        Entry old = entry(ref);
        Bundle ob = bundle(old);
        boolean running = (ob.getState() & (Bundle.ACTIVE | Bundle.STARTING)) != 0;
        BundleRevision rev = ob.adapt(BundleRevision.class);
        if (!running || rev == null || WiringChecker.singleton(rev)) {
            return updateInPlace(old, source);
        }
        Bundle taken = context.getBundle(source.location());
        if (taken != null) {
            throw new DuplicateModuleException(source.name() + ": the location " + source.location()
                    + " is bundle " + taken.getBundleId() + "'s; a replacement needs its own", taken.getBundleId());
        }
        Prepared p = prepare(source, old, false);
        String what = describe(old.module) + " from " + source.name();
        Bundle nb;
        Entry fresh;
        replacing.add(ob.getBundleId());
        installing.add(source.location());
        try {
            nb = timed("install", null, what, () -> {
                try (var in = Files.newInputStream(p.stored())) {
                    return context.installBundle(source.location(), in);
                } catch (BundleException | IllegalArgumentException e) {
                    throw manifestError(source, e);
                }
            });
            fresh = track(nb);
            List<ModuleError> history;
            synchronized (old) {
                history = List.copyOf(old.errors);
            }
            String origin = old.origin;
            Instant installed = old.installed;
            fresh.update(e -> {
                e.content = p.content();
                e.origin = origin;
                e.installed = installed;
                e.errors.addAll(history);
            });
        } finally {
            replacing.remove(ob.getBundleId());
            installing.remove(source.location());
        }
        shadowing.put(nb.getBundleId(), ob.getBundleId());
        try {
            start(fresh);
        } catch (ModuleException e) {
            // the old version never stopped: dropping the new one is the whole rollback
            shadowing.remove(nb.getBundleId());
            timed("uninstall", null, "the new " + describe(fresh.module), () -> {
                nb.uninstall();
                refreshAndWait(List.of(nb));
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
    private List<Module> retire(List<Replacement> replacements) {
        List<Bundle> olds = replacements.stream().map(Replacement::oldBundle).toList();
        String what = replacements.size() == 1 ? describe(replacements.get(0).old().module) + " (replaced)"
                : replacements.size() + " replaced modules";
        try {
            timed("uninstall", replacements.size() == 1 ? replacements.get(0).old() : null, what, () -> {
                for (Bundle b : olds) {
                    b.uninstall();
                }
                refreshAndWait(olds);
                return null;
            });
        } finally {
            replacements.forEach(r -> shadowing.remove(r.newBundle().getBundleId()));
        }
        List<Module> done = new ArrayList<>();
        for (Replacement r : replacements) {
            // the module was updated, whatever its bundle id now
            post(ModuleEvents.TOPIC_UPDATED, r.fresh().module, Map.of());
            done.add(r.fresh().module);
        }
        return done;
    }

    /**
     * An update in place; if the new bytes do not start, the old ones are put back as they were:
     * running if they ran, and FAILED, not started again, if their own start had failed (the
     * framework still means to run those, but a start now would only fail again and hide why the
     * update failed).
     */
    private Module updateInPlace(Entry entry, ModuleSource source, InstallOption... options) {
        ModuleContent before = entry.content;
        Bundle b = bundle(entry);
        boolean wasRunning = (b.getState() & (Bundle.ACTIVE | Bundle.STARTING)) != 0;
        boolean wasFailed;
        synchronized (entry) {
            wasFailed = entry.failed;
        }
        try {
            return update(entry, source, options);
        } catch (UnresolvableModuleException | InvalidModuleException | DuplicateModuleException e) {
            throw e; // refused before anything changed
        } catch (ModuleException e) {
            ModuleContent now = entry.content;
            if (!before.isKnown() || before.stored() == null || before.digest().equals(now.digest())) {
                throw e; // the bytes did not change, or the old ones are not known: nothing to put back
            }
            timed("rollback", entry, describe(entry.module), () -> {
                if ((b.getState() & (Bundle.ACTIVE | Bundle.STARTING)) != 0) {
                    b.stop(Bundle.STOP_TRANSIENT);
                }
                try (var in = Files.newInputStream(Path.of(before.stored()))) {
                    b.update(in);
                }
                entry.update(x -> x.content = before);
                refreshAndWait(List.of(b));
                frameworkWiring().resolveBundles(List.of(b));
                return null;
            });
            if (wasRunning) {
                start(entry);
            } else if (wasFailed) {
                entry.update(x -> {
                    x.failed = true; // the framework's UPDATED event cleared it
                    x.recompute(b);
                });
            }
            throw rolledBack(entry, source, e);
        }
    }

    private RolledBackException rolledBack(Entry entry, ModuleSource source, ModuleException e) {
        String reason = e instanceof LifecycleException le ? le.reason() : e.getMessage();
        ModuleState now = entry.module.state();
        String msg = describe(entry.module) + ": the update from " + source.name() + " was rolled back ("
                + reason + "); the previous version " + (now == ModuleState.ACTIVE ? "runs" : "is back, " + now);
        error(entry, "update", msg, false);
        post(ModuleEvents.TOPIC_ROLLED_BACK, entry.module, Map.of(ModuleEvents.OPERATION, "update", ModuleEvents.ERROR, msg,
                ModuleEvents.FILE, source.name()));
        return new RolledBackException(msg, reason, e);
    }

    @Override
    public List<CheckReport> checkAll(List<ModuleSource> sources) {
        List<String> names = new ArrayList<>();
        List<Resource> resources = new ArrayList<>();
        for (ModuleSource source : sources) {
            ContentStore.Staged staged = store.stage(source);
            try {
                ValidatedJar jar = JarValidator.validate(source.name(), staged.file(), staged.digest(), staged.size());
                names.add(source.name());
                resources.add(WiringChecker.resource(source.name(), source.location(), jar.headers()));
            } finally {
                staged.discard();
            }
        }
        return checker.checkAll(names, resources);
    }

    @Override
    public List<Batch> installAll(List<ModuleSource> sources) {
        List<Batch> out = new ArrayList<>(java.util.Collections.nCopies(sources.size(), null));
        List<Integer> at = new ArrayList<>();
        List<ContentStore.Staged> staged = new ArrayList<>();
        List<ValidatedJar> jars = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Resource> resources = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            ModuleSource source = sources.get(i);
            ContentStore.Staged st = null;
            try {
                st = store.stage(source);
                ValidatedJar jar = JarValidator.validate(source.name(), st.file(), st.digest(), st.size());
                resources.add(WiringChecker.resource(source.name(), source.location(), jar.headers()));
                names.add(source.name());
                jars.add(jar);
                staged.add(st);
                at.add(i);
            } catch (ModuleException e) {
                if (st != null) {
                    st.discard();
                }
                out.set(i, new Batch(source, null, null, e));
                audit(new Audited("install", source.name(), null), null, e);
            }
        }
        List<CheckReport> reports = checker.checkAll(names, resources);
        for (int k = 0; k < at.size(); k++) {
            int i = at.get(k);
            ModuleSource source = sources.get(i);
            CheckReport report = reports.get(k);
            ContentStore.Staged st = staged.get(k);
            Audited op = new Audited("install", source.name(), null);
            op.validated(jars.get(k));
            if (!report.resolvable()) {
                st.discard();
                out.set(i, new Batch(source, null, report, null));
                audit(op, null, new UnresolvableModuleException(report));
                continue;
            }
            AUDITED.set(op);
            try {
                ValidatedJar jar = jars.get(k);
                try {
                    duplicates(source, jar, null);
                    immutable(source, jar);
                } catch (ModuleException e) {
                    st.discard();
                    throw e;
                }
                Path stored = store.commit(st);
                ModuleContent content = new ModuleContent(jar.digest(), jar.size(), jar.compressedSize(), stored.toString());
                Module m = installPrepared(source, new Prepared(jar, stored, content, report)).module;
                out.set(i, new Batch(source, m, report, null));
                audit(op, m, null);
            } catch (ModuleException e) {
                out.set(i, new Batch(source, null, report, e));
                audit(op, null, e);
            } finally {
                AUDITED.remove();
            }
        }
        return out;
    }

    @Override
    public List<CheckReport.Impact> removalImpact(String ref) {
        return checker.removalImpact(bundle(entry(ref)));
    }

    @Override
    public void recordError(String ref, String operation, String message) {
        error(entry(ref), operation, message, false);
    }

    // ---------------------------------------------------------------- audit

    /** The public operation running on this thread: what was asked, and the module as far as it is known. */
    private static final class Audited {
        final String operation;
        final String target;
        Module before;
        String moduleId;
        String version;

        Audited(String operation, String target, Module before) {
            this.operation = operation;
            this.target = target;
            this.before = before;
            if (before != null) {
                moduleId = before.id();
                version = before.version().toString();
            }
        }

        /** The jar of an install or update was read: its id and version are known even if it is refused. */
        void validated(ValidatedJar jar) {
            moduleId = jar.id();
            version = jar.version().toString();
        }
    }

    /**
     * Runs a public operation and writes its audit entry, with the caller's {@link Origin}: the
     * outermost operation only, so an install that starts is one entry.
     *
     * @param ref the module operated on, if any: named in the entry even when the operation fails
     */
    private <T> T audited(String operation, String target, String ref, java.util.function.Supplier<T> action) {
        if (AUDITED.get() != null) {
            return action.get();
        }
        Audited op = new Audited(operation, target, ref == null ? null : quietly(ref));
        AUDITED.set(op);
        try {
            T result = action.get();
            audit(op, result instanceof Module m ? m : null, null);
            return result;
        } catch (RuntimeException e) {
            audit(op, null, e);
            throw e;
        } finally {
            AUDITED.remove();
        }
    }

    /** @return the module a reference names now, or null */
    private Module quietly(String ref) {
        try {
            return entry(ref).module;
        } catch (ModuleException e) {
            return null;
        }
    }

    /** Writes the entry of an operation that ended with a module (or none), or an error. */
    private void audit(Audited op, Module after, RuntimeException error) {
        Module m = after != null ? after : op.before;
        String id = after != null ? after.id() : op.moduleId;
        String version = after != null ? after.version().toString() : op.version;
        AuditEntry.Result result = error == null ? AuditEntry.Result.OK
                : error instanceof RolledBackException ? AuditEntry.Result.ROLLED_BACK
                : error instanceof UnresolvableModuleException || error instanceof InvalidModuleException
                        || error instanceof DuplicateModuleException || error instanceof ModuleNotFoundException
                        || error instanceof AmbiguousModuleException ? AuditEntry.Result.REFUSED
                : AuditEntry.Result.FAILED;
        String detail = null;
        if (error == null && op.before != null && after != null && !op.before.version().equals(after.version())) {
            detail = "from " + op.before.version();
        } else if (after != null && op.before != null && after.bundleId() != op.before.bundleId()) {
            detail = "bundle " + op.before.bundleId() + " replaced by bundle " + after.bundleId();
        }
        String message = error == null ? null
                : error instanceof UnresolvableModuleException u ? u.report().describe() : error.getMessage();
        audit(new AuditEntry(0, Instant.now(), op.operation, id, version, m == null ? -1 : m.bundleId(), Origin.current(),
                result, op.target, detail, message));
        String event = result != AuditEntry.Result.OK || after == null ? null : switch (op.operation) {
            case "install" -> "installed";
            case "update" -> "updated";
            case "rollback" -> "rolled back";
            case "uninstall" -> "uninstalled";
            default -> null;
        };
        if (event != null) {
            ModuleContent c = after.content();
            RecordStore.VersionRow row = new RecordStore.VersionRow(after.id(), after.version().toString(),
                    c.isKnown() ? c.digest() : null, c.isKnown() ? c.size() : -1, Instant.now(), Origin.current(), event);
            knownVersion(row.moduleId(), row.version(), row.digest());
            db.write(conn -> RecordStore.version(conn, row));
        }
    }

    private void audit(AuditEntry entry) {
        operations.computeIfAbsent(List.of(entry.operation(), Origin.door(entry.origin()), entry.result().name()),
                k -> new java.util.concurrent.atomic.LongAdder()).increment();
        db.write(c -> AuditStore.insert(c, entry));
    }

    /**
     * Whether a module not running was installed and then neither started nor stopped: an
     * install cut short, by a crash between the install and the start. The audit trail tells it
     * from a module stopped on purpose.
     */
    public boolean startCutShort(Module m) {
        if (m.state() != ModuleState.INSTALLED && m.state() != ModuleState.RESOLVED) {
            return false;
        }
        Bundle b = context.getBundle(m.bundleId());
        if (b == null || meantToRun(b)) {
            return false; // the framework starts it itself
        }
        db.flush();
        String last = db.read(c -> AuditStore.lastOperation(c, m.bundleId()));
        return last == null || last.equals("install") || last.equals("reconcile");
    }

    /** @return a module's version history, oldest first */
    public List<RecordStore.VersionRow> versions(String moduleId) {
        db.flush();
        return db.read(c -> RecordStore.versions(c, moduleId));
    }

    // ---------------------------------------------------------------- records

    private Entry track(Bundle b) {
        Entry entry = entries.computeIfAbsent(b.getBundleId(), id -> new Entry(id));
        entry.update(e -> e.rebuild(b));
        if (!entry.module.content().isKnown() && !installing.contains(b.getLocation())) {
            describeLater(b);
        }
        return entry;
    }

    /**
     * Digest of bundles installed by other means, from their file location, off the caller's thread.
     * Not before the saved records are restored: they know the digests of all but new or changed
     * bundles, and hashing every boot bundle again (7 MB) took a core for ~0.15 s of each start.
     */
    private void describeLater(Bundle b) {
        if (!restored.isDone()) {
            return; // reconcile() describes what the records did not know
        }
        Path file = fileOf(b.getLocation());
        if (file == null) {
            return;
        }
        background.execute(() -> {
            try {
                ModuleContent c = ContentStore.describe(file);
                Entry e = entries.get(b.getBundleId());
                if (e != null) {
                    e.update(x -> x.content = c);
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

    private void post(String topic, Module m, Map<String, Object> extra) {
        EventAdmin ea = eventAdmin;
        if (ea == null) {
            return;
        }
        Map<String, Object> props = new HashMap<>(extra);
        props.put(ModuleEvents.MODULE_ID, m.id());
        props.put(ModuleEvents.MODULE_VERSION, m.version().toString());
        props.put(ModuleEvents.MODULE_STATE, m.state().name());
        props.put(ModuleEvents.BUNDLE_ID, m.bundleId());
        ea.postEvent(new Event(topic, props));
    }

    /** The record of one bundle; mutable parts guarded by the entry's monitor, the snapshot volatile. */
    private final class Entry {
        final long bundleId;
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

        Entry(long bundleId) {
            this.bundleId = bundleId;
        }

        /** Writes the record if it changed since it was last written (once the saved records are restored). */
        synchronized void sync() {
            if (module != null) {
                persist();
            }
        }

        /** Writes the record, and its errors, if they changed since they were last written. */
        private void persist() {
            if (!restored.isDone()) {
                return; // the saved record is not read yet: writing now would overwrite it
            }
            Module m = module;
            if (m.state() == ModuleState.UNINSTALLED) {
                if (persisted != null) {
                    db.write(c -> RecordStore.remove(c, bundleId));
                    persisted = null;
                }
                return;
            }
            RecordStore.Saved now = new RecordStore.Saved(bundleId, m.id(), m.version().toString(), m.location(), content,
                    origin, installed, List.copyOf(errors));
            RecordStore.Saved before = persisted;
            if (before == null || !now.equals(new RecordStore.Saved(before.bundleId(), before.moduleId(), before.version(),
                    before.location(), before.content(), before.origin(), before.installed(), now.errors()))) {
                db.write(c -> RecordStore.put(c, now));
            }
            if (before == null ? !now.errors().isEmpty() : !before.errors().equals(now.errors())) {
                db.write(c -> RecordStore.errors(c, bundleId, now.errors()));
            }
            persisted = now;
        }

        /** Applies a change and indexes the result, under the entry's monitor. */
        void update(java.util.function.Consumer<Entry> change) {
            Module indexed;
            synchronized (this) {
                change.accept(this);
                if (module == null) {
                    return;
                }
                module = module.withContent(content);
                persist();
                if (module.state() == ModuleState.UNINSTALLED) {
                    index.remove(bundleId);
                } else {
                    index.put(module);
                }
                indexed = module;
            }
            post(ModuleEvents.TOPIC_INDEX_UPDATED, indexed, Map.of());
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

    private final class Listener implements SynchronousBundleListener, ServiceListener, FrameworkListener {

        @Override
        public void bundleChanged(BundleEvent event) {
            Bundle b = event.getBundle();
            checker.invalidate(b.getBundleId());
            Entry entry = entries.computeIfAbsent(b.getBundleId(), Entry::new);
            String topic = null;
            switch (event.getType()) {
                case BundleEvent.INSTALLED -> {
                    entry.update(e -> e.rebuild(b));
                    if (!installing.contains(b.getLocation())) {
                        describeLater(b);
                    }
                    topic = ModuleEvents.TOPIC_INSTALLED;
                }
                case BundleEvent.UPDATED -> {
                    entry.update(e -> {
                        e.failed = false;
                        e.rebuild(b);
                    });
                    topic = ModuleEvents.TOPIC_UPDATED;
                }
                case BundleEvent.RESOLVED -> {
                    entry.update(e -> {
                        e.failed = false;
                        e.rebuild(b);
                    });
                    topic = ModuleEvents.TOPIC_RESOLVED;
                }
                case BundleEvent.UNRESOLVED -> {
                    entry.update(e -> e.rebuild(b));
                    topic = ModuleEvents.TOPIC_UNRESOLVED;
                }
                case BundleEvent.STARTING -> {
                    watchStart(b);
                    entry.update(e -> e.recompute(b));
                }
                case BundleEvent.STARTED -> {
                    unwatchStart(b.getBundleId());
                    entry.update(e -> {
                        e.failed = false;
                        e.stopped = false;
                        e.recompute(b);
                    });
                    topic = ModuleEvents.TOPIC_STARTED;
                }
                case BundleEvent.STOPPED -> {
                    unwatchStart(b.getBundleId());
                    entry.update(e -> {
                        e.stopped = true;
                        e.recompute(b);
                    });
                    topic = ModuleEvents.TOPIC_STOPPED;
                }
                case BundleEvent.UNINSTALLED -> {
                    unwatchStart(b.getBundleId());
                    entry.update(e -> e.recompute(null));
                    entries.remove(b.getBundleId());
                    topic = ModuleEvents.TOPIC_UNINSTALLED;
                }
                default -> entry.update(e -> e.recompute(b));
            }
            if (entry.module == null) {
                entry.update(e -> e.rebuild(b));
            }
            if (topic != null) {
                post(topic, entry.module, Map.of());
            }
        }

        @Override
        public void serviceChanged(ServiceEvent event) {
            Bundle owner = event.getServiceReference().getBundle();
            Entry entry = owner == null ? null : entries.get(owner.getBundleId());
            if (entry == null || entry.module == null) {
                return;
            }
            long id = (Long) event.getServiceReference().getProperty(Constants.SERVICE_ID);
            entry.update(e -> {
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
            if (interrupted.remove(event.getBundle().getBundleId())) {
                return; // the watchdog's interrupt, recorded with its reason
            }
            Entry entry = entries.get(event.getBundle().getBundleId());
            if (entry != null) {
                Throwable t = event.getThrowable();
                String operation = t instanceof BundleException be && be.getType() == BundleException.RESOLVE_ERROR
                        ? "resolve" : "start";
                fail(entry, operation, describe(entry.module) + ": " + operation + " failed: "
                        + (t == null ? "unknown error" : Failures.reason(t)));
            }
        }
    }
}
