package org.modreg.core.stats;

import org.modreg.core.Registry;
import org.modreg.core.deploy.DeployDirectory;
import org.modreg.core.index.LookupListener;
import org.modreg.core.lifecycle.Marks;
import org.modreg.core.store.Database;
import org.modreg.core.util.Histogram;
import org.modreg.core.util.Threads;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.modreg.api.ModuleEvents;
import org.modreg.api.ModuleRegistry;
import org.modreg.api.ModuleState;
import org.modreg.api.ModuleStatistics;
import org.modreg.api.dto.Health;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleStats;
import org.modreg.api.dto.ServiceInfo;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.hooks.service.FindHook;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * Counts what modules do. Service look-ups are seen by the framework's {@link FindHook}: each
 * look-up costs a few map reads and {@link LongAdder} increments, no lock and no write elsewhere.
 * Starts and their durations come from synchronous bundle events (STARTING to STARTED, the
 * activator's time); updates and failed starts from the registry's events. The time a module was
 * last used is sampled once a second from its look-up count, not written by each look-up.
 *
 * <p>The figures are loaded from the {@link Database} at activation and written back by its
 * writer once per flush interval, only those of modules whose figures changed: a crash loses at
 * most the last interval.
 */
@Component(service = { ModuleStatistics.class, FindHook.class, EventHandler.class }, immediate = true,
        configurationPid = StatsCollector.PID,
        property = EventConstants.EVENT_TOPIC + "=" + ModuleEvents.TOPIC_PREFIX + "*")
@Designate(ocd = StatsCollector.Config.class)
public final class StatsCollector implements ModuleStatistics, FindHook, EventHandler {

    /** Configuration PID. */
    public static final String PID = "org.modreg.stats";

    /** Configuration of the statistics. */
    @ObjectClassDefinition(name = "modreg statistics", description = "Usage statistics of the modules")
    public @interface Config {
        @AttributeDefinition(name = "Count look-ups", description = "Count service look-ups (false: the hook returns at once)")
        boolean count_lookups() default true;
    }

    private static final System.Logger LOG = System.getLogger(StatsCollector.class.getName());

    private volatile boolean countLookups;
    /** The saved figures were read: from then on, they are written back. */
    private volatile boolean loaded;

    /** What is counted of one module id. */
    private static final class Counters {
        // times are epoch millis (0: none) and the rare counts plain longs under the monitor: a thousand
        // modules' statistics stay under 1 KB each; only look-ups, the hot path, are LongAdders
        volatile long installed;
        volatile long updated;
        long updates;
        long starts;
        long failures;
        final LongAdder lookups = new LongAdder();
        final Map<String, Count> byConsumer = new ConcurrentHashMap<>(4);
        final Map<String, Count> byService = new ConcurrentHashMap<>(2);
        volatile long lastUsed;
        long lookupsSampled;
        // start durations, nanos; guarded by this
        long lastStart = -1;
        long maxStart = -1;
        long totalStart;
        long timedStarts;

        /**
         * Bumped by every change but a look-up (look-ups are compared by their sum): the writer
         * writes a module's figures when this or the look-up sum moved since it last wrote them.
         * Two ints and a long, not a copy of the figures: the statistics stay small.
         */
        int changes;
        int writtenChanges = -1;
        long writtenLookups = -1;

        synchronized void changed() {
            changes++;
        }

        /** A rare count went up: under the monitor, with the change that the writer looks for. */
        synchronized void count(java.util.function.Consumer<Counters> change) {
            change.accept(this);
            changes++;
        }

        synchronized void started(long nanos) {
            lastStart = nanos;
            maxStart = Math.max(maxStart, nanos);
            totalStart += nanos;
            timedStarts++;
            changes++;
        }

        /** Writes what changed since the last write (database writer thread). */
        void flush(java.sql.Connection c, String id) throws java.sql.SQLException {
            int v;
            StatsStore.Row figures;
            synchronized (this) {
                v = changes;
                figures = new StatsStore.Row(id, instant(installed), instant(updated), updates, starts, failures, lastStart,
                        maxStart, totalStart, timedStarts, instant(lastUsed), lookups.sum(), Map.of(), Map.of());
            }
            if (v != writtenChanges || figures.lookups() != writtenLookups) {
                StatsStore.saveFigures(c, figures);
                writtenChanges = v;
                writtenLookups = figures.lookups();
            }
            StatsStore.saveLookups(c, id, "C", unwritten(byConsumer));
            StatsStore.saveLookups(c, id, "S", unwritten(byService));
        }

        private static Map<String, Long> unwritten(Map<String, Count> counts) {
            Map<String, Long> out = null;
            for (Map.Entry<String, Count> e : counts.entrySet()) {
                long now = e.getValue().sum();
                if (now != e.getValue().written) {
                    if (out == null) {
                        out = new HashMap<>();
                    }
                    out.put(e.getKey(), now);
                    e.getValue().written = now;
                }
            }
            return out == null ? Map.of() : out;
        }

        /** Adds what earlier runs counted to what this one counted before the database was read. */
        void restore(StatsStore.Row r) {
            long savedInstalled = millis(r.installed());
            if (savedInstalled != 0 && (installed == 0 || savedInstalled < installed)) {
                installed = savedInstalled;
            }
            updated = Math.max(updated, millis(r.updated()));
            lookups.add(r.lookups());
            lookupsSampled = lookups.sum();
            lastUsed = Math.max(lastUsed, millis(r.lastUsed()));
            r.byConsumer().forEach((k, v) -> byConsumer.computeIfAbsent(k, x -> new Count()).restore(v));
            r.byService().forEach((k, v) -> byService.computeIfAbsent(k, x -> new Count()).restore(v));
            synchronized (this) {
                updates += r.updates();
                starts += r.starts();
                failures += r.failures();
                if (lastStart < 0) {
                    lastStart = r.lastStart();
                }
                maxStart = Math.max(maxStart, r.maxStart());
                totalStart += r.totalStart();
                timedStarts += r.timedStarts();
                changes++; // written at the next flush: the sums differ from the saved figures if this run counted
            }
        }
    }

    /** A look-up count, and what of it the database has. */
    @SuppressWarnings("serial")
    private static final class Count extends LongAdder {
        /** The sum last written; database writer thread only. */
        long written;

        void restore(long v) {
            add(v);
            written = v;
        }
    }

    private final BundleContext context;
    private final Registry registry;
    private final Database db;
    private final Histogram startTimes = new Histogram("start");
    /** For the state of the deploy directory in the metrics; optional, as the deployer needs a configuration of its own. */
    @Reference(cardinality = org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL,
            policy = org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC)
    private volatile DeployDirectory deployer;
    /** For the warnings of deprecated providers a look-up finds. */
    @Reference(cardinality = org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL,
            policy = org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC)
    private volatile Marks marks;
    private final Database.Work flusher = this::flush;
    private final Map<String, Counters> byId = new ConcurrentHashMap<>();
    /** The counters of a provider bundle, found by the bundle object: no name to read or hash on a look-up. */
    private final Map<Bundle, Counters> byBundle = new ConcurrentHashMap<>();
    private final Map<Long, Long> starting = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sampler;
    private final SynchronousBundleListener listener = this::bundleChanged;
    private org.osgi.framework.ServiceRegistration<LookupListener> lookups;

    /** The consumer of registry look-ups made without a caller (through the registry object itself, not a service). */
    public static final String VIA_REGISTRY = "(through the registry)";

    @Activate
    public StatsCollector(BundleContext context, @Reference Registry registry, @Reference Database db) {
        this.context = context;
        this.registry = registry;
        this.db = db;
        this.sampler = Executors.newSingleThreadScheduledExecutor(Threads.daemons("modreg-stats"));
    }

    @Activate
    public void activate(Config config) {
        modified(config);
        context.addBundleListener(listener);
        // a registration of its own: the API service must not name a core type (a host with the
        // core's classes on its class path would not see it)
        lookups = context.registerService(LookupListener.class, this::lookedUp, null);
                for (Bundle b : context.getBundles()) {
            Counters c = counters(b.getSymbolicName());
            if (c.installed == 0) {
                c.installed = b.getLastModified();
                c.changed();
            }
        }
        // what the last runs counted is added once the database is open (not in the activation, which
        // must not wait for it); nothing is written before, so nothing saved is overwritten
        sampler.execute(() -> {
            try {
                db.read(StatsStore::load).forEach((id, row) -> counters(id).restore(row));
                loaded = true;
                db.addFlusher(flusher);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "the saved statistics cannot be read: " + e.getMessage(), e);
            }
        });
        sampler.scheduleWithFixedDelay(this::sampleUse, 1, 1, TimeUnit.SECONDS);
    }

    @Modified
    public void modified(Config config) {
        countLookups = config.count_lookups();
    }

    @Deactivate
    public void deactivate() {
        context.removeBundleListener(listener);
        try {
            lookups.unregister();
        } catch (IllegalStateException e) {
            // unregistered with the bundle already
        }
        sampler.shutdownNow();
        db.removeFlusher(flusher);
        if (loaded) {
            db.write(flusher); // the last counts, before the database closes
            db.flush();
        }
    }

    private Counters counters(String id) {
        return byId.computeIfAbsent(id == null ? "" : id, k -> new Counters());
    }

    // ---------------------------------------------------------------- counting

    @Override
    public void find(BundleContext consumer, String name, String filter, boolean allServices,
            Collection<ServiceReference<?>> references) {
        if (references.isEmpty() || consumer.getBundle().getBundleId() == context.getBundle().getBundleId()) {
            return; // this bundle's own look-ups: the registry's are counted once, by countRegistryLookup
        }
        String who = consumer.getBundle().getSymbolicName();
        // deprecated providers are warned of whether or not look-ups are counted
        Marks mk = marks;
        if (mk != null && mk.any()) {
            for (ServiceReference<?> ref : references) {
                Bundle provider = ref.getBundle();
                if (provider != null) {
                    mk.lookedUp(who, provider.getSymbolicName());
                }
            }
        }
        if (!countLookups) {
            return;
        }
        for (ServiceReference<?> ref : references) {
            Bundle provider = ref.getBundle();
            if (provider == null) {
                continue;
            }
            Counters c = byBundle.get(provider);
            if (c == null) {
                c = byBundle.computeIfAbsent(provider, b -> counters(b.getSymbolicName()));
            }
            c.lookups.increment();
            c.byConsumer.computeIfAbsent(who == null ? "" : who, k -> new Count()).increment();
            if (name != null) {
                c.byService.computeIfAbsent(name, k -> new Count()).increment();
            } else if (ref.getProperty(Constants.OBJECTCLASS) instanceof String[] classes) {
                for (String cls : classes) {
                    c.byService.computeIfAbsent(cls, k -> new Count()).increment();
                }
            }
        }
    }

    /** Writes the figures of the modules that changed since the last flush (on the database's writer). */
    private void flush(java.sql.Connection c) throws java.sql.SQLException {
        for (Map.Entry<String, Counters> e : byId.entrySet()) {
            if (e.getKey().isEmpty()) {
                continue;
            }
            e.getValue().flush(c, e.getKey());
        }
    }

    /** The look-ups made through the registry, which this bundle's FindHook leaves to it. */
    private void lookedUp(String consumer, List<org.modreg.api.dto.ServiceMatch<Object>> matches) {
        if (!countLookups) {
            return;
        }
        String who = consumer == null ? VIA_REGISTRY : consumer;
        for (org.modreg.api.dto.ServiceMatch<Object> m : matches) {
            Counters c = counters(m.provider().id());
            c.lookups.increment();
            c.byConsumer.computeIfAbsent(who, k -> new Count()).increment();
            for (String cls : m.info().objectClass()) {
                c.byService.computeIfAbsent(cls, k -> new Count()).increment();
            }
        }
    }

    private void bundleChanged(BundleEvent e) {
        Bundle b = e.getBundle();
        switch (e.getType()) {
            case BundleEvent.INSTALLED -> {
                Counters c = counters(b.getSymbolicName());
                if (c.installed == 0) {
                    c.installed = System.currentTimeMillis();
                    c.changed();
                }
            }
            case BundleEvent.STARTING -> starting.put(b.getBundleId(), System.nanoTime());
            case BundleEvent.STARTED -> {
                Long t0 = starting.remove(b.getBundleId());
                Counters c = counters(b.getSymbolicName());
                long took = t0 == null ? -1 : System.nanoTime() - t0;
                if (took >= 0) {
                    startTimes.observe(took);
                }
                c.count(x -> {
                    x.starts++;
                    if (took >= 0) {
                        x.started(took);
                    }
                });
            }
            case BundleEvent.STOPPED -> starting.remove(b.getBundleId());
            case BundleEvent.UNINSTALLED -> {
                starting.remove(b.getBundleId());
                byBundle.remove(b);
                forget(b);
            }
            default -> {
            }
        }
    }

    /**
     * A module uninstalled, no version of it left: its figures go too, in memory and in the
     * database (a replacement's old bundle leaves its new one, which keeps them).
     */
    private void forget(Bundle gone) {
        String id = gone.getSymbolicName();
        if (id == null) {
            return;
        }
        for (Bundle b : context.getBundles()) {
            if (b.getBundleId() != gone.getBundleId() && id.equals(b.getSymbolicName()) && b.getState() != Bundle.UNINSTALLED) {
                return;
            }
        }
        if (byId.remove(id) != null && loaded) {
            db.write(c -> StatsStore.remove(c, id));
        }
    }

    @Override
    public void handleEvent(Event event) {
        Object id = event.getProperty(ModuleEvents.MODULE_ID);
        if (id == null) {
            return;
        }
        Counters c = counters(id.toString());
        if (event.getTopic().equals(ModuleEvents.TOPIC_UPDATED)) {
            c.count(x -> {
                x.updates++;
                x.updated = System.currentTimeMillis();
            });
        } else if (event.getTopic().equals(ModuleEvents.TOPIC_FAILED) && "start".equals(event.getProperty(ModuleEvents.OPERATION))) {
            c.count(x -> x.failures++);
        }
    }

    /** Once a second: a module whose look-ups grew was used in that second. */
    private void sampleUse() {
        long now = System.currentTimeMillis() / 1000 * 1000; // to the second
        for (Counters c : byId.values()) {
            long n = c.lookups.sum();
            if (n != c.lookupsSampled) {
                c.lookupsSampled = n;
                c.lastUsed = now;
                c.changed();
            }
        }
    }

    // ---------------------------------------------------------------- views

    @Override
    public ModuleStats stats(String ref) {
        Module m = registry.get(ref);
        return stats(m.id(), List.of(m));
    }

    @Override
    public List<ModuleStats> all() {
        Map<String, List<Module>> modules = byModuleId();
        List<ModuleStats> all = new ArrayList<>();
        modules.forEach((id, ms) -> all.add(stats(id, ms)));
        all.sort(Comparator.comparing(ModuleStats::id));
        return all;
    }

    @Override
    public List<ModuleStats> top(int n) {
        List<ModuleStats> all = all();
        all.sort(Comparator.comparingLong(ModuleStats::lookups).reversed().thenComparing(ModuleStats::id));
        return all.subList(0, Math.min(Math.max(n, 0), all.size()));
    }

    @Override
    public List<ModuleStats> recent(Duration within) {
        Instant since = Instant.now().minus(within);
        List<ModuleStats> recent = new ArrayList<>();
        for (ModuleStats s : all()) {
            Instant last = latest(s.installed(), s.lastUpdated());
            if (last != null && !last.isBefore(since)) {
                recent.add(s);
            }
        }
        recent.sort(Comparator.comparing((ModuleStats s) -> latest(s.installed(), s.lastUpdated())).reversed());
        return recent;
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    @Override
    public Health health() {
        Map<ModuleState, Integer> byState = new EnumMap<>(ModuleState.class);
        int errors = 0;
        List<Module> failed = new ArrayList<>();
        List<Module> modules = registry.list();
        for (Module m : modules) {
            byState.merge(m.state(), 1, Integer::sum);
            errors += m.errors().size();
            if (m.state() == ModuleState.FAILED) {
                failed.add(m);
            }
        }
        long startNanos = 0;
        long timed = 0;
        for (Counters c : byId.values()) {
            synchronized (c) {
                startNanos += c.totalStart;
                timed += c.timedStarts;
            }
        }
        long[] q = registry.queryFigures();
        long[] index = registry.indexFigures();
        Health.Performance perf = new Health.Performance(timed == 0 ? -1 : startNanos / 1e6 / timed, q[0],
                q[0] == 0 ? -1 : q[1] / 1e6 / q[0], index[0], index[1], index[2]);
        return new Health(byState, modules.size(), errors, failed, perf);
    }

    @Override
    public org.modreg.api.dto.Metrics metrics() {
        List<org.modreg.api.dto.Metrics.Timing> timings = new ArrayList<>();
        timings.add(startTimes.snapshot());
        timings.addAll(registry.timings());
        DeployDirectory d = deployer;
        org.modreg.api.dto.Metrics.DeployStatus deploy = d == null
                ? new org.modreg.api.dto.Metrics.DeployStatus(null, "STOPPED")
                : new org.modreg.api.dto.Metrics.DeployStatus(d.directory().toString(), d.mode());
        return new org.modreg.api.dto.Metrics(timings, registry.operationCounts(), db.status(), deploy);
    }

    private Map<String, List<Module>> byModuleId() {
        Map<String, List<Module>> byModule = new HashMap<>();
        for (Module m : registry.list()) {
            byModule.computeIfAbsent(m.id(), k -> new ArrayList<>()).add(m);
        }
        return byModule;
    }

    private ModuleStats stats(String id, List<Module> modules) {
        Counters c = counters(id);
        Set<String> consumers = new LinkedHashSet<>();
        long size = -1;
        long compressed = -1;
        for (Module m : modules) {
            for (ServiceInfo s : m.services()) {
                ServiceReference<?>[] refs;
                try {
                    refs = context.getAllServiceReferences(null, "(" + Constants.SERVICE_ID + "=" + s.serviceId() + ")");
                } catch (org.osgi.framework.InvalidSyntaxException e) {
                    throw new IllegalStateException(e);
                }
                Bundle[] using = refs == null ? null : refs[0].getUsingBundles();
                for (Bundle u : using == null ? new Bundle[0] : using) {
                    consumers.add(u.getSymbolicName());
                }
            }
            if (m.content().size() >= 0) {
                size = m.content().size();
                compressed = m.content().compressedSize();
            }
        }
        double last;
        double avg;
        double max;
        synchronized (c) {
            last = c.lastStart < 0 ? -1 : c.lastStart / 1e6;
            avg = c.timedStarts == 0 ? -1 : c.totalStart / 1e6 / c.timedStarts;
            max = c.maxStart < 0 ? -1 : c.maxStart / 1e6;
        }
        long updates;
        long starts;
        long failures;
        synchronized (c) {
            updates = c.updates;
            starts = c.starts;
            failures = c.failures;
        }
        return new ModuleStats(id, instant(c.installed), instant(c.updated), updates, starts, failures, last, avg, max,
                instant(c.lastUsed), c.lookups.sum(), sums(c.byConsumer), sums(c.byService), new ArrayList<>(consumers), size,
                compressed);
    }

    private static Instant instant(long millis) {
        return millis == 0 ? null : Instant.ofEpochMilli(millis);
    }

    private static long millis(Instant t) {
        return t == null ? 0 : t.toEpochMilli();
    }

    private static Map<String, Long> sums(Map<String, ? extends LongAdder> m) {
        Map<String, Long> out = new HashMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
