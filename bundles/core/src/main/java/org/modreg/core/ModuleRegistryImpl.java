package org.modreg.core;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import org.modreg.api.InstallOption;
import org.modreg.api.LifecycleException;
import org.modreg.api.ModuleException;
import org.modreg.api.ModuleQuery;
import org.modreg.api.ModuleSource;
import org.modreg.api.ModuleTimeoutException;
import org.modreg.api.UnresolvableModuleException;
import org.modreg.api.dto.CheckReport;
import org.modreg.api.dto.Metrics;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleMatch;
import org.modreg.api.dto.ServiceMatch;
import org.modreg.core.audit.AuditLog;
import org.modreg.core.content.Admission;
import org.modreg.core.content.ContentStore;
import org.modreg.core.index.ModuleIndex;
import org.modreg.core.index.LookupListener;
import org.modreg.core.index.ServiceLookup;
import org.modreg.core.ops.ForcedRetry;
import org.modreg.core.ops.FrameworkOps;
import org.modreg.core.ops.ReplacementHooks;
import org.modreg.core.ops.StartPolicy;
import org.modreg.core.ops.StartWatchdog;
import org.modreg.core.records.ModuleRecord;
import org.modreg.core.records.ModuleRecords;
import org.modreg.core.records.RecordStore;
import org.modreg.core.records.RecordSubscriber;
import org.modreg.core.records.Reconciler;
import org.modreg.core.store.Database;
import org.modreg.core.update.Intake;
import org.modreg.core.update.SafeUpdate;
import org.modreg.core.util.Events;
import org.modreg.core.util.Histogram;
import org.modreg.core.util.Threads;
import org.modreg.core.wiring.Graphs;
import org.modreg.core.wiring.WiringChecker;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.resolver.Resolver;

/**
 * The registry: a thin facade over the flows, each in a package of its own. It builds them at
 * activation, and each public operation delegates to them and writes its audit entry and version
 * row at the edge, with the {@link Call} it ran for ({@link Edge}).
 *
 * <ul>
 * <li>{@code records}: the module records, kept current by the framework's events, and the
 * reconciliation with the saved records at start;
 * <li>{@code index}: the inverted index the queries read, and the service look-up by capability;
 * <li>{@code content}, {@code wiring}, {@code update}: the intake pipeline (stage, validate, admit,
 * commit, check, install) and the safe update;
 * <li>{@code ops}: the framework's operations with timeouts, the start watchdog, the replacement hooks.
 * </ul>
 */
@Component(service = Registry.class, immediate = true, configurationPid = ModuleRegistryImpl.PID)
@Designate(ocd = RegistryConfig.class)
public final class ModuleRegistryImpl implements Registry {

    /** Configuration PID. */
    public static final String PID = "org.modreg.registry";

    private final BundleContext context;
    private final Database db;
    private volatile RegistryConfig config;
    private volatile ContentStore store;
    private final ExecutorService background = Executors.newSingleThreadExecutor(Threads.daemons("modreg-content"));
    private final Events events;
    private final ModuleRecords records;
    private final ModuleIndex index = new ModuleIndex();
    private final ServiceLookup lookup;
    private final WiringChecker checker;
    private final Graphs graphs;
    private final Admission admission = new Admission();
    private final StartWatchdog watchdog;
    private final ReplacementHooks hooks = new ReplacementHooks();
    private final FrameworkOps ops;
    private final Intake intake;
    private final SafeUpdate updates;
    private final AuditLog audit;
    private final Edge edge;
    private final LongAdder queries = new LongAdder();
    private final LongAdder queryNanos = new LongAdder();
    private final Histogram queryTimes = new Histogram("query");
    private final Histogram checkTimes = new Histogram("check");
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;
    /** Asked before each start (the lifecycle marks: an archived module may not start). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile StartPolicy startPolicy;
    /** Told of each look-up through {@link #services}: the statistics count them, the marks warn. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<LookupListener> lookupListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Activate
    public ModuleRegistryImpl(BundleContext context, RegistryConfig config, @Reference Resolver resolver,
            @Reference Database db) {
        this.context = context;
        this.config = config;
        this.db = db;
        this.store = new ContentStore(storeDir(context, config));
        this.events = new Events(() -> eventAdmin);
        this.audit = new AuditLog(db);
        this.records = new ModuleRecords(context, db, () -> this.config.error_history_size(), events, background);
        this.checker = new WiringChecker(context, () -> resolver);
        this.lookup = new ServiceLookup(context, index, records);
        this.graphs = new Graphs(checker, records);
        this.watchdog = new StartWatchdog(context, records, () -> this.config.lifecycle_timeout());
        this.ops = new FrameworkOps(context, records, watchdog, () -> this.config.lifecycle_timeout(), m -> {
            StartPolicy p = startPolicy;
            return p == null ? null : p.refusal(m);
        });
        Supplier<ContentStore> content = () -> store;
        this.intake = new Intake(context, content, checker, admission, records, ops, checkTimes);
        this.updates = new SafeUpdate(context, records, intake, ops, hooks, events);
        this.edge = new Edge(records, audit, admission, db);
        records.subscribe(new RecordSubscriber() {
            @Override
            public void bundleChanged(BundleEvent event) {
                checker.invalidate(event.getBundle().getBundleId());
            }
        });
        records.subscribe(watchdog);
        records.subscribe(index);
        records.subscribe(new ForcedRetry(records, ops, background));
    }

    @Activate
    void activate() {
        records.open();
        // off the activation, which must not wait for the database to open
        background.execute(() -> {
            try {
                for (RecordStore.VersionRow v : db.read(RecordStore::allVersions)) {
                    admission.known(v.moduleId(), v.version(), v.digest());
                }
            } catch (RuntimeException e) {
                System.getLogger(ModuleRegistryImpl.class.getName()).log(System.Logger.Level.ERROR,
                        "the saved versions cannot be read: " + e.getMessage(), e);
            }
            new Reconciler(context, records, db, audit).run(() -> store.legacyIndex());
        });
        hooks.register(context);
    }

    @Modified
    void modified(RegistryConfig newConfig) {
        boolean moved = !newConfig.content_store().equals(config.content_store());
        this.config = newConfig;
        if (moved) { // the bytes installed from now on go to the new store; those kept stay where they are
            Path before = store.dir();
            this.store = new ContentStore(storeDir(context, newConfig));
            System.getLogger(ModuleRegistryImpl.class.getName()).log(System.Logger.Level.WARNING,
                    "the content store is now {0}; the jars kept in {1} stay there (installed modules still find theirs),"
                            + " move them to keep their versions for module:rollback", store.dir(), before);
        }
    }

    @Deactivate
    void deactivate() {
        hooks.unregister();
        records.close();
        ops.close();
        background.shutdownNow();
        watchdog.close();
    }

    private static Path storeDir(BundleContext context, RegistryConfig config) {
        if (!config.content_store().isBlank()) {
            return Path.of(config.content_store());
        }
        String data = context.getProperty(org.modreg.api.ModuleRegistry.DATA_PROPERTY);
        return data != null ? Path.of(data, "content") : context.getDataFile("content").toPath();
    }

    // ---------------------------------------------------------------- reads

    @Override
    public List<Module> list() {
        return records.list();
    }

    @Override
    public Optional<Module> get(long bundleId) {
        return records.module(bundleId);
    }

    @Override
    public Module get(String ref) {
        return records.resolve(ref).module();
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

    @Override
    public List<ServiceMatch<Object>> services(Call call, String objectClass, String capability, String filter) {
        long t0 = System.nanoTime();
        List<ServiceMatch<Object>> result = lookup.find(objectClass, capability, filter);
        for (LookupListener l : lookupListeners) {
            l.lookedUp(call.consumer(), result);
        }
        timedQuery(t0);
        return result;
    }

    private void timedQuery(long t0) {
        long took = System.nanoTime() - t0;
        queryNanos.add(took);
        queries.increment();
        queryTimes.observe(took);
    }

    @Override
    public boolean restored() {
        return records.restored();
    }

    @Override
    public void awaitRestored() {
        records.awaitRestored();
    }

    // ---------------------------------------------------------------- operations

    @Override
    public Module install(Call call, ModuleSource source, InstallOption... options) {
        return edge.audited(call, Operation.INSTALL, source.name(), null, op -> {
            ModuleRecord r = intake.install(source, intake.prepare(source, null, has(options, InstallOption.FORCE), op),
                    call.origin());
            return has(options, InstallOption.START) ? startInstalled(r) : r.module();
        });
    }

    private Module startInstalled(ModuleRecord r) {
        try {
            return ops.start(r);
        } catch (ModuleTimeoutException e) {
            throw new ModuleTimeoutException("start", ModuleRecords.describe(r.module()) + " was installed, but its start "
                    + e.reason(), e.reason());
        } catch (LifecycleException e) {
            throw new LifecycleException("start", ModuleRecords.describe(r.module()) + " was installed, but did not start: "
                    + e.reason(), e.reason(), e);
        }
    }

    @Override
    public Module start(Call call, String ref) {
        return edge.audited(call, Operation.START, ref, ref, op -> ops.start(records.resolve(ref)));
    }

    @Override
    public Module stop(Call call, String ref) {
        return edge.audited(call, Operation.STOP, ref, ref, op -> ops.stop(records.resolve(ref)));
    }

    @Override
    public Module update(Call call, String ref, InstallOption... options) {
        return edge.audited(call, Operation.UPDATE, ref, ref, op -> {
            ModuleRecord r = records.resolve(ref);
            Module m = r.module();
            ModuleSource source;
            try {
                source = ModuleSource.of(URI.create(m.location()));
            } catch (IllegalArgumentException e) {
                throw new LifecycleException("update", ModuleRecords.describe(m) + ": its location \"" + m.location()
                        + "\" cannot be read again; give the new jar", e);
            }
            if (m.location().startsWith("stream:")) {
                throw new LifecycleException("update", ModuleRecords.describe(m) + " was installed from a stream; give the new jar",
                        null);
            }
            return updates.inPlace(r, source, has(options, InstallOption.FORCE), op);
        });
    }

    @Override
    public Module update(Call call, String ref, ModuleSource source, InstallOption... options) {
        return edge.audited(call, Operation.UPDATE, source.name(), ref,
                op -> updates.inPlace(records.resolve(ref), source, has(options, InstallOption.FORCE), op));
    }

    @Override
    public Module uninstall(Call call, String ref) {
        return edge.audited(call, Operation.UNINSTALL, ref, ref, op -> ops.uninstall(records.resolve(ref)));
    }

    @Override
    public List<Module> refresh(Call call, String... refs) {
        return edge.audited(call, Operation.REFRESH, refs.length == 0 ? "pending modules" : String.join(" ", refs),
                refs.length == 1 ? refs[0] : null, op -> {
                    List<Bundle> bundles = new ArrayList<>();
                    for (String ref : refs) {
                        bundles.add(records.bundle(records.resolve(ref)));
                    }
                    var wiring = ops.wiring();
                    var closure = wiring.getDependencyClosure(bundles.isEmpty() ? wiring.getRemovalPendingBundles() : bundles);
                    ops.timed("refresh", null, refs.length == 0 ? "pending modules" : String.join(", ", refs), () -> {
                        ops.refreshAndWait(bundles.isEmpty() ? null : bundles);
                        return null;
                    });
                    List<Module> result = new ArrayList<>();
                    for (Bundle b : closure) {
                        records.module(b.getBundleId()).ifPresent(result::add);
                    }
                    return result;
                });
    }

    @Override
    public Module rollbackTo(Call call, String ref, ModuleSource source) {
        return edge.audited(call, Operation.ROLLBACK, source.name(), ref, op -> updates.inPlace(records.resolve(ref), source, false, op));
    }

    private static boolean has(InstallOption[] options, InstallOption o) {
        return Arrays.asList(options).contains(o);
    }

    // ---------------------------------------------------------------- deploying

    @Override
    public Module replace(Call call, String ref, ModuleSource source) {
        return edge.audited(call, call.update(), source.name(), ref, op -> {
            Object begun = updates.begin(records.resolve(ref), source, op);
            return begun instanceof SafeUpdate.Replacement r ? updates.retire(List.of(r)).get(0) : (Module) begun;
        });
    }

    @Override
    public List<Replaced> replaceAll(Call call, List<Map.Entry<String, ModuleSource>> batch) {
        List<Replaced> out = new ArrayList<>(Collections.nCopies(batch.size(), null));
        List<Integer> at = new ArrayList<>();
        List<SafeUpdate.Replacement> started = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Map.Entry<String, ModuleSource> u = batch.get(i);
            Edge.Audited op = edge.begin(call, call.update(), u.getValue().name(), u.getKey());
            try {
                Object begun = updates.begin(records.resolve(u.getKey()), u.getValue(), op);
                if (begun instanceof SafeUpdate.Replacement r) {
                    at.add(i);
                    started.add(r);
                } else {
                    out.set(i, new Replaced(u.getKey(), u.getValue(), (Module) begun, null));
                    edge.ended(op, (Module) begun, null);
                }
            } catch (ModuleException e) {
                out.set(i, new Replaced(u.getKey(), u.getValue(), null, e));
                edge.ended(op, null, e);
            }
        }
        List<Module> done = started.isEmpty() ? List.of() : updates.retire(started);
        for (int k = 0; k < at.size(); k++) {
            Map.Entry<String, ModuleSource> u = batch.get(at.get(k));
            out.set(at.get(k), new Replaced(u.getKey(), u.getValue(), done.get(k), null));
            edge.ended(edge.begin(call, call.update(), u.getValue().name(), started.get(k).old().module()), done.get(k), null);
        }
        return out;
    }

    @Override
    public List<Batch> installAll(Call call, List<ModuleSource> sources) {
        List<Batch> out = new ArrayList<>(Collections.nCopies(sources.size(), null));
        List<Intake.Item> items = intake.storeAll(sources);
        intake.checkStored(items);
        List<Integer> installed = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Intake.Item item = items.get(i);
            Edge.Audited op = edge.begin(call, Operation.INSTALL, item.source.name(), (Module) null);
            if (item.jar() != null) {
                op.validated(item.jar()); // a duplicate's refusal names its id and version too
            }
            if (item.error() != null) {
                out.set(i, new Batch(item.source, null, null, item.error()));
                edge.ended(op, null, item.error());
                continue;
            }
            try {
                if (!item.report().resolvable()) {
                    out.set(i, new Batch(item.source, null, item.report(), null));
                    throw new UnresolvableModuleException(item.report());
                }
                Module m = intake.install(item.source, intake.prepared(item), call.origin()).module();
                out.set(i, new Batch(item.source, m, item.report(), null));
                installed.add(i);
                edge.ended(op, m, null);
            } catch (ModuleException e) {
                if (out.get(i) == null) {
                    out.set(i, new Batch(item.source, null, item.report(), e));
                }
                edge.ended(op, null, e);
            }
        }
        // resolved together first: one run of the resolver, not one a start
        List<Bundle> bundles = new ArrayList<>();
        installed.forEach(i -> Optional.ofNullable(context.getBundle(out.get(i).module().bundleId())).ifPresent(bundles::add));
        ops.resolve(bundles);
        for (int i : installed) {
            Batch b = out.get(i);
            try {
                out.set(i, new Batch(b.source(), start(call, Long.toString(b.module().bundleId())), b.report(), null));
            } catch (ModuleException e) {
                out.set(i, new Batch(b.source(), get(b.module().bundleId()).orElse(b.module()), b.report(), e));
            }
        }
        return out;
    }

    @Override
    public List<CheckReport> checkAll(List<ModuleSource> sources) {
        return intake.checkOnly(sources);
    }

    @Override
    public void recordError(String ref, String operation, String message) {
        records.error(records.resolve(ref), operation, message, false);
    }

    @Override
    public boolean startCutShort(Module m) {
        if (m.state() != org.modreg.api.ModuleState.INSTALLED && m.state() != org.modreg.api.ModuleState.RESOLVED) {
            return false;
        }
        Bundle b = context.getBundle(m.bundleId());
        if (b == null || FrameworkOps.meantToRun(b)) {
            return false; // the framework starts it itself
        }
        String last = audit.lastOperation(m.bundleId());
        return last == null || last.equals("install") || last.equals("reconcile");
    }

    // ---------------------------------------------------------------- wiring

    @Override
    public CheckReport check(ModuleSource source) {
        return intake.dryRun(source, null);
    }

    @Override
    public CheckReport checkUpdate(String ref, ModuleSource source) {
        return intake.dryRun(source, records.resolve(ref));
    }

    @Override
    public Graphs graphs() {
        return graphs;
    }

    // ---------------------------------------------------------------- history and marks

    @Override
    public List<RecordStore.VersionRow> versions(String moduleId) {
        db.flush();
        return db.read(c -> RecordStore.versions(c, moduleId));
    }

    @Override
    public List<RecordStore.VersionRow> allVersions() {
        db.flush();
        return db.read(RecordStore::allVersions);
    }

    @Override
    public Path storedFile(String digest) {
        return store.dir().resolve(digest + ".jar");
    }

    @Override
    public Path storeDir() {
        return store.dir();
    }

    @Override
    public void audit(Call call, String operation, String moduleId, Module module, String detail) {
        audit.record(new org.modreg.api.dto.AuditEntry(0, Instant.now(), operation, moduleId,
                module == null ? null : module.version().toString(), module == null ? -1 : module.bundleId(), call.origin(),
                org.modreg.api.dto.AuditEntry.Result.OK, moduleId, detail, null));
    }

    // ---------------------------------------------------------------- statistics

    @Override
    public List<Metrics.Timing> timings() {
        return List.of(queryTimes.snapshot(), checkTimes.snapshot());
    }

    @Override
    public List<Metrics.OperationCount> operationCounts() {
        return audit.operationCounts();
    }

    @Override
    public long[] queryFigures() {
        return new long[] { queries.sum(), queryNanos.sum() };
    }

    @Override
    public long[] indexFigures() {
        return index.figures();
    }
}
