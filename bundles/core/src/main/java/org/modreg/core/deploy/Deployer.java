package org.modreg.core.deploy;

import org.modreg.core.ModuleRegistryImpl;
import org.modreg.core.audit.Origin;
import org.modreg.core.content.ContentStore;
import org.modreg.core.content.JarValidator;
import org.modreg.core.update.RolledBackException;
import org.modreg.core.util.Threads;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import org.modreg.api.DuplicateModuleException;
import org.modreg.api.InvalidModuleException;
import org.modreg.api.ModuleDeployer;
import org.modreg.api.ModuleEvents;
import org.modreg.api.ModuleException;
import org.modreg.api.ModuleNotFoundException;
import org.modreg.api.ModuleSource;
import org.modreg.api.ModuleState;
import org.modreg.api.ModuleWiring;
import org.modreg.api.UnresolvableModuleException;
import org.modreg.api.dto.CheckReport;
import org.modreg.api.dto.DeployPlan;
import org.modreg.api.dto.DeployPlan.Action;
import org.modreg.api.dto.DeployPlan.Kind;
import org.modreg.api.dto.DeployResult;
import org.modreg.api.dto.DeployResult.Outcome;
import org.modreg.api.dto.Module;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The deploy directory. A watcher thread turns file-system events into observations; one worker
 * thread does everything else, in order: it waits until a file has been quiet for a moment and is
 * a readable zip, compares its SHA-256 with what was deployed from it, and applies the
 * differences through the registry. API calls run on the same worker, so a file is never handled
 * twice at once.
 *
 * <p>A module belongs to the directory when its location is the {@code file:} URI of a jar in it
 * (with a {@code #sha256=} fragment that keeps locations unique across versions). The framework
 * keeps locations across restarts, so the directory and the modules are reconciled at start
 * without a state file of the deployer's own.
 *
 * <p>The {@link ModuleDeployer} service is {@link DeployerView}, a view per calling bundle; this
 * component is registered under its own class for it. What the worker does for a file of the
 * directory is audited as {@link Origin#DEPLOY}, what it does for a caller as the caller's.
 */
@Component(service = Deployer.class, immediate = true, configurationPid = Deployer.PID)
@Designate(ocd = DeployerConfig.class)
public final class Deployer implements ModuleDeployer {

    /** Configuration PID. */
    public static final String PID = "org.modreg.deployer";
    /** How long a deployed file must stay gone before its module is undeployed. */
    public static final long DELETE_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** Framework property: the container's deploy directory. */
    public static final String DEPLOY_PROPERTY = org.modreg.api.ModuleRegistry.DEPLOY_PROPERTY;

    private static final System.Logger LOG = System.getLogger(Deployer.class.getName());
    /** A batch this large reports its progress. */
    private static final int PROGRESS_BATCH = 10;
    /** How long a new file that would not resolve may wait for its providers before it is reported. */
    private static final long GRACE_MS = 500;

    private final BundleContext context;
    private final ModuleRegistryImpl registry;
    private final ModuleWiring wiring;
    private final DeploySupport support;
    private final DeployerConfig config;
    private final Path dir;
    private final ScheduledExecutorService worker;
    /** Files seen changing and not acted on yet; worker thread only. */
    private final Map<Path, Seen> pending = new LinkedHashMap<>();
    /** File -> the content last reported as bad, so that it is reported once; worker thread only. */
    private final Map<Path, String> reported = new HashMap<>();
    /** Files refused because they would not resolve: tried again, silently, once something new is deployed. */
    private final Set<Path> waiting = new LinkedHashSet<>();
    private final Set<Path> retry = new LinkedHashSet<>();
    /** Report files that would not resolve at once: a caller asked, or the grace period is over. */
    private boolean urgent;
    private ScheduledFuture<?> grace;
    private ScheduledFuture<?> tick;
    private WatchService watch;
    private Thread watcher;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;

    /** A file as last seen: its size and time, since when it has not changed (nanos), and when it was first seen. */
    private record Seen(long size, long modified, long quietSince, long firstSeen) {
    }

    /** The registry is this bundle's own component, which also implements {@link DeploySupport}. */
    @Activate
    public Deployer(BundleContext context, DeployerConfig config, @Reference ModuleRegistryImpl registry) {
        this.context = context;
        this.registry = registry;
        this.wiring = registry;
        this.support = registry;
        this.config = config;
        String configured = config.directory().isBlank() ? context.getProperty(DEPLOY_PROPERTY) : config.directory();
        this.dir = (configured == null || configured.isBlank() ? context.getDataFile("deploy").toPath() : Path.of(configured))
                .toAbsolutePath().normalize();
        this.worker = Executors.newSingleThreadScheduledExecutor(Threads.daemons("modreg-deployer"));
    }

    @Activate
    public void activate() throws IOException {
        Files.createDirectories(dir);
        if (config.watch()) {
            try {
                watch = dir.getFileSystem().newWatchService();
                register(dir);
                watcher = Threads.daemon(this::watchLoop, "modreg-deploy-watch");
                watcher.start();
            } catch (IOException | UnsupportedOperationException e) {
                LOG.log(Level.WARNING, "deploy: no file-system events for {0} ({1}); polling every {2} ms", dir, e,
                        config.poll_interval());
                watch = null;
            }
        }
        if (watch == null) {
            worker.scheduleWithFixedDelay(() -> observeAll(), config.poll_interval(), config.poll_interval(),
                    TimeUnit.MILLISECONDS);
        }
        // reconcile: what changed while the container was down is applied once it is quiet
        worker.execute(this::observeAll);
    }

    @Deactivate
    public void deactivate() {
        if (watch != null) {
            try {
                watch.close();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "closing the watch service: {0}", e.toString());
            }
        }
        worker.shutdownNow();
    }

    @Override
    public Path directory() {
        return dir;
    }

    @Override
    public org.modreg.api.ModuleDeployer as(String origin) {
        return new DeployerView(this, Origin.checked(origin));
    }

    /** @return how the directory is seen now: {@code WATCHING}, {@code POLLING}, {@code MISSING} or {@code STOPPED} */
    public String mode() {
        if (worker.isShutdown()) {
            return "STOPPED";
        }
        if (!Files.isDirectory(dir)) {
            return "MISSING";
        }
        return watch != null ? "WATCHING" : "POLLING";
    }

    // ---------------------------------------------------------------- watching

    private void register(Path d) throws IOException {
        d.register(watch, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
        if (config.recursive()) {
            try (Stream<Path> s = Files.list(d)) {
                for (Path sub : s.filter(Files::isDirectory).toList()) {
                    register(sub);
                }
            }
        }
    }

    private void watchLoop() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                WatchKey key = watch.take();
                Path base = (Path) key.watchable();
                List<Path> changed = new ArrayList<>();
                boolean overflow = false;
                for (WatchEvent<?> e : key.pollEvents()) {
                    if (e.kind() == OVERFLOW) {
                        overflow = true;
                        continue;
                    }
                    Path p = base.resolve((Path) e.context());
                    if (config.recursive() && e.kind() == ENTRY_CREATE && Files.isDirectory(p)) {
                        try {
                            register(p);
                        } catch (IOException ex) {
                            LOG.log(Level.WARNING, "deploy: cannot watch {0}: {1}", p, ex.toString());
                        }
                        overflow = true; // files may have landed in it before it was watched
                    }
                    changed.add(p);
                }
                if (!key.reset() && base.equals(dir)) {
                    // the deploy directory itself was removed: its files' deletions are on their way; its
                    // events end with it, so the watch starts again when a directory is there again
                    LOG.log(Level.WARNING, "deploy: the deploy directory {0} is gone; its modules are undeployed, and"
                            + " it is watched again when it is back", dir);
                    awaitDirectory();
                }
                boolean all = overflow;
                worker.execute(() -> {
                    if (all) {
                        observeAll();
                    }
                    changed.forEach(this::observe);
                });
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // stopping
        }
    }

    /** Worker thread, every poll interval until the deploy directory is back: watch it again, and look at it. */
    private void awaitDirectory() {
        worker.schedule(() -> {
            try {
                if (!Files.isDirectory(dir)) {
                    awaitDirectory();
                    return;
                }
                register(dir);
            } catch (IOException e) {
                awaitDirectory();
                return;
            } catch (ClosedWatchServiceException e) {
                return; // stopping
            }
            LOG.log(Level.INFO, "deploy: the deploy directory {0} is back; watching it again", dir);
            observeAll();
        }, config.poll_interval(), TimeUnit.MILLISECONDS);
    }

    /** Every jar of the directory and every module deployed from it: what to look at again. */
    private void observeAll() {
        Set<Path> all = new TreeSet<>(files());
        all.addAll(deployed().keySet());
        all.forEach(this::observe);
    }

    private List<Path> files() {
        try (Stream<Path> s = config.recursive() ? Files.walk(dir) : Files.list(dir)) {
            return s.filter(p -> !Files.isDirectory(p) && !ignored(p)).sorted().toList();
        } catch (IOException e) {
            LOG.log(Level.ERROR, "deploy: cannot list {0}: {1}", dir, e.toString());
            return List.of();
        }
    }

    /** Hidden, temporary and non-jar files are not ours: editors and copy tools write those first. */
    public static boolean ignored(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.startsWith(".") || !n.endsWith(".jar");
    }

    /** Worker thread: note a file's size and time; it is handled once it stays quiet. */
    private void observe(Path p) {
        if (ignored(p) || !p.startsWith(dir) || (!config.recursive() && !dir.equals(p.getParent()))) {
            return;
        }
        long now = System.nanoTime();
        Seen before = pending.get(p);
        Seen seen = stat(p, before, now);
        pending.put(p, seen);
        if (tick == null || tick.isDone()) {
            tick = worker.schedule(this::settle, config.quiet_period(), TimeUnit.MILLISECONDS);
        }
    }

    private static Seen stat(Path p, Seen before, long now) {
        long size = -1;
        long modified = -1;
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            size = a.size();
            modified = a.lastModifiedTime().toMillis();
        } catch (IOException e) {
            // gone
        }
        if (before != null && before.size() == size && before.modified() == modified) {
            return before;
        }
        return new Seen(size, modified, now, before == null ? now : before.firstSeen());
    }

    /**
     * Worker thread: once no file of the directory is changing any more, the complete ones are
     * applied together, so that a burst of files (a first start, a copy of many plugins) is one
     * batch whose jars may need each other.
     */
    private void settle() {
        long now = System.nanoTime();
        long quiet = TimeUnit.MILLISECONDS.toNanos(config.quiet_period());
        long incomplete = TimeUnit.MILLISECONDS.toNanos(config.incomplete_timeout());
        List<Path> ready = new ArrayList<>();
        boolean busy = false;
        for (var e : pending.entrySet()) {
            Path p = e.getKey();
            Seen s = stat(p, e.getValue(), now);
            e.setValue(s);
            if (now - s.quietSince() < quiet) {
                busy = true;
                continue;
            }
            // a file still being written is no readable zip yet; give it time, then call it bad
            if (s.size() >= 0 && !readableZip(p) && now - s.quietSince() < incomplete) {
                continue;
            }
            // a file gone is gone for good only after a moment: tools that replace a file delete it and
            // write it anew (Java's Files.copy with REPLACE_EXISTING), and between the two the module was
            // undeployed, its next version installed as a new module, never started beside or rolled back
            if (s.size() < 0 && now - s.quietSince() < DELETE_GRACE_NANOS) {
                continue;
            }
            ready.add(p);
        }
        // while the framework climbs to its start level the modules are not started yet: an update
        // now could not tell a failing start, so wait until they are
        busy |= !frameworkStarted() || !registry.restored();
        if (!busy) {
            ready.forEach(pending::remove);
        }
        if (!busy && !ready.isEmpty()) {
            apply(ready, false);
        }
        // after applying: what it observed again (files that waited for a provider it installed) is
        // pending now, and observe() schedules no tick while this one runs
        if (!pending.isEmpty()) {
            tick = worker.schedule(this::settle, config.quiet_period(), TimeUnit.MILLISECONDS);
        }
    }

    private boolean frameworkStarted() {
        org.osgi.framework.Bundle system = context.getBundle(0);
        if (system.getState() != org.osgi.framework.Bundle.ACTIVE) {
            return false;
        }
        String beginning = context.getProperty(org.osgi.framework.Constants.FRAMEWORK_BEGINNING_STARTLEVEL);
        int level;
        try {
            level = beginning == null ? 1 : Integer.parseInt(beginning.trim());
        } catch (NumberFormatException e) {
            level = 1;
        }
        return system.adapt(org.osgi.framework.startlevel.FrameworkStartLevel.class).getStartLevel() >= level;
    }

    public static boolean readableZip(Path p) {
        try (ZipFile z = new ZipFile(p.toFile())) {
            return z.size() >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- applying

    /** A complete file of the directory, read. */
    private record Candidate(Path file, String digest, ModuleSource source) {
    }

    /**
     * Worker thread: brings the modules in line with some files of the directory. New files are
     * checked together and installed, changed ones update their module, removed ones undeploy it.
     *
     * @param reload apply even files whose bytes are deployed already
     */
    private List<DeployResult> apply(List<Path> paths, boolean reload) {
        // a caller's origin, set by onWorker, wins over the directory's
        return Origin.as(Origin.DEPLOY, () -> doApply(paths, reload));
    }

    private List<DeployResult> doApply(List<Path> paths, boolean reload) {
        registry.awaitRestored(); // the digests of what was deployed come from the saved records
        Map<Path, Module> deployed = deployed();
        List<DeployResult> results = new ArrayList<>();
        List<Candidate> fresh = new ArrayList<>();
        List<Candidate> updates = new ArrayList<>();
        Set<Path> gone = new LinkedHashSet<>();
        Map<String, Path> deployedDigests = new HashMap<>();
        deployed.forEach((p, m) -> deployedDigests.put(m.content().digest(), p));
        for (Path p : paths) {
            // a retry (the provider it waited for came) is taken here, whatever becomes of the file: left
            // over, it would have the file's next report made twice
            boolean retried = retry.remove(p);
            if (!Files.isRegularFile(p)) {
                if (deployed.containsKey(p)) {
                    gone.add(p);
                }
                reported.remove(p);
                continue;
            }
            String digest;
            try {
                digest = ContentStore.digest(p);
            } catch (IOException e) {
                results.add(bad(p, "size:" + p.toFile().length(), "cannot be read: " + e.getMessage()));
                continue;
            }
            Module m = deployed.get(p);
            if (m != null && digest.equals(m.content().digest()) && !reload) {
                reported.remove(p);
                if (registry.startCutShort(m)) {
                    results.add(startCutShort(p, m));
                    continue;
                }
                results.add(new DeployResult(Outcome.UNCHANGED, p.toString(), m, p.getFileName() + ": " + m.ref()
                        + " runs these bytes already", List.of()));
                continue;
            }
            if (digest.equals(reported.get(p)) && !reload && !retried) {
                continue; // reported already; retried when the file changes
            }
            if (!readableZip(p)) {
                results.add(bad(p, digest, "not a zip or jar archive (or still being written)"));
                continue;
            }
            ModuleSource source = new ModuleSource(p.toString(), location(p, digest, deployed.values()), p, null, null);
            Candidate c = new Candidate(p, digest, source);
            if (m != null) {
                updates.add(c);
                continue;
            }
            Path twin = deployedDigests.get(digest);
            if (twin != null && Files.exists(twin)) {
                results.add(bad(p, digest, "the same bytes as " + twin.getFileName() + " (" + deployed.get(twin).ref()
                        + "), which is deployed already; not installed twice"));
                continue;
            }
            if (twin != null) {
                // renamed: the module moves to the new name without stopping
                gone.remove(twin);
                updates.add(c);
                deployed.put(p, deployed.get(twin));
                continue;
            }
            fresh.add(c);
        }
        int total = gone.size() + updates.size() + fresh.size();
        Progress progress = new Progress(total);
        for (Path p : gone) {
            results.add(undeploy(p, deployed.get(p)));
            progress.step();
        }
        results.addAll(update(updates, deployed, progress));
        results.addAll(install(fresh, progress));
        progress.done(results);
        // what waited for a provider may resolve now
        if (!waiting.isEmpty() && results.stream().anyMatch(r -> r.outcome() == Outcome.INSTALLED || r.outcome() == Outcome.UPDATED)) {
            retry.addAll(waiting);
            waiting.clear();
            retry.forEach(this::observe);
        }
        return results;
    }

    /** Changed files: each new version started beside its old one, then the old ones retired together. */
    private List<DeployResult> update(List<Candidate> updates, Map<Path, Module> deployed, Progress progress) {
        List<Map.Entry<String, ModuleSource>> batch = new ArrayList<>();
        for (Candidate c : updates) {
            batch.add(Map.entry(deployed.get(c.file()).ref(), c.source()));
        }
        List<DeploySupport.Replaced> done = batch.isEmpty() ? List.of() : support.replaceAll(batch);
        List<DeployResult> results = new ArrayList<>();
        for (int i = 0; i < updates.size(); i++) {
            Candidate c = updates.get(i);
            DeploySupport.Replaced r = done.get(i);
            results.add(updated(c, deployed.get(c.file()), r.module(), r.error()));
            progress.step();
        }
        return results;
    }

    private DeployResult updated(Candidate c, Module m, Module now, ModuleException error) {
        String file = c.file().getFileName().toString();
        try {
            if (error != null) {
                throw error;
            }
            reported.remove(c.file());
            LOG.log(Level.INFO, "deploy: {0}: {1} updated to {2} (bundle {3})", file, m.ref(), now.ref(), now.bundleId());
            return new DeployResult(Outcome.UPDATED, c.file().toString(), now, file + ": " + m.ref() + " updated to "
                    + now.ref() + " (bundle " + now.bundleId() + ")", List.of());
        } catch (UnresolvableModuleException e) {
            return refused(c, m, "update of " + m.ref() + " refused, the running version stays: " + e.getMessage());
        } catch (InvalidModuleException | DuplicateModuleException e) {
            return refused(c, m, e.getMessage());
        } catch (RolledBackException e) {
            reported.put(c.file(), c.digest());
            post(ModuleEvents.TOPIC_DEPLOY_FAILED, c.file(), e.getMessage());
            LOG.log(Level.WARNING, "deploy: {0}: {1}", file, e.getMessage());
            return new DeployResult(Outcome.ROLLED_BACK, c.file().toString(), registry.get(m.bundleId()).orElse(null),
                    file + ": " + e.getMessage(), List.of());
        } catch (ModuleException e) {
            return bad(c.file(), c.digest(), e.getMessage());
        }
    }

    /**
     * An update refused before anything changed: a bad file, and, the first time these bytes are
     * reported, an error in the module's history (a rollback lands there too; the registry does
     * not record a refusal itself).
     */
    private DeployResult refused(Candidate c, Module m, String reason) {
        boolean first = !c.digest().equals(reported.get(c.file()));
        DeployResult r = bad(c.file(), c.digest(), reason);
        if (first) {
            try {
                support.recordError(Long.toString(m.bundleId()), "update", r.message());
            } catch (ModuleNotFoundException e) {
                // uninstalled meanwhile: no history to add to
            }
        }
        return r;
    }

    /**
     * New files: read once, checked together (they may need each other), installed, then started.
     * A file that would not resolve may be waiting for a provider that is still being copied: it
     * is reported only once the directory has stayed quiet for the grace period without it
     * resolving, unless it was asked for explicitly.
     */
    private List<DeployResult> install(List<Candidate> fresh, Progress progress) {
        List<DeployResult> results = new ArrayList<>();
        if (fresh.isEmpty()) {
            return results;
        }
        List<DeploySupport.Batch> batch = support.installAll(fresh.stream().map(Candidate::source).toList());
        List<Map.Entry<Candidate, Module>> installed = new ArrayList<>();
        for (int i = 0; i < fresh.size(); i++) {
            Candidate c = fresh.get(i);
            DeploySupport.Batch b = batch.get(i);
            if (b.module() != null) {
                installed.add(Map.entry(c, b.module()));
                continue;
            }
            progress.step();
            if (b.error() instanceof DuplicateModuleException e) {
                Module other = registry.get(e.existingBundleId()).orElse(null);
                Path otherFile = other == null ? null : fileOf(other);
                results.add(bad(c.file(), c.digest(), otherFile == null || b.report() == null ? e.getMessage()
                        : b.report().module() + " is deployed already from " + otherFile.getFileName() + ", with other bytes; not installed"));
            } else if (b.error() != null) {
                results.add(bad(c.file(), c.digest(), b.error().getMessage()));
            } else {
                waiting.add(c.file());
                if (urgent) {
                    results.add(bad(c.file(), c.digest(), b.report().describe()));
                } else {
                    // not reported yet: its provider may be on its way
                    results.add(new DeployResult(Outcome.REFUSED, c.file().toString(), null, c.file().getFileName()
                            + ": waiting for what it needs: " + b.report().describe(), List.of()));
                    if (grace == null || grace.isDone()) {
                        grace = worker.schedule(this::endOfGrace, GRACE_MS, TimeUnit.MILLISECONDS);
                    }
                }
            }
        }
        // resolved together first: one run of the resolver, not one a start
        List<org.osgi.framework.Bundle> bundles = new ArrayList<>();
        for (Map.Entry<Candidate, Module> e : installed) {
            org.osgi.framework.Bundle b = context.getBundle(e.getValue().bundleId());
            if (b != null) {
                bundles.add(b);
            }
        }
        context.getBundle(0).adapt(FrameworkWiring.class).resolveBundles(bundles);
        for (Map.Entry<Candidate, Module> e : installed) {
            Candidate c = e.getKey();
            String file = c.file().getFileName().toString();
            try {
                Module m = registry.start(e.getValue().ref());
                reported.remove(c.file());
                LOG.log(Level.INFO, "deploy: {0}: {1} installed (bundle {2}), {3}", file, m.ref(), m.bundleId(), m.state());
                results.add(new DeployResult(Outcome.INSTALLED, c.file().toString(), m, file + ": " + m.ref() + " installed (bundle "
                        + m.bundleId() + "), " + m.state(), List.of()));
            } catch (ModuleException ex) {
                reported.put(c.file(), c.digest());
                post(ModuleEvents.TOPIC_DEPLOY_FAILED, c.file(), ex.getMessage());
                LOG.log(Level.WARNING, "deploy: {0}: {1}", file, ex.getMessage());
                results.add(new DeployResult(Outcome.FAILED, c.file().toString(), registry.get(e.getValue().bundleId()).orElse(null),
                        file + ": " + ex.getMessage(), List.of()));
            }
            progress.step();
        }
        return results;
    }

    /** A module installed from the file whose start never came (the container died in between): started now. */
    private DeployResult startCutShort(Path p, Module m) {
        String file = p.getFileName().toString();
        try {
            Module now = registry.start(m.ref());
            LOG.log(Level.INFO, "deploy: {0}: {1} installed (bundle {2}) before the container stopped, started now: {3}", file,
                    now.ref(), now.bundleId(), now.state());
            return new DeployResult(Outcome.INSTALLED, p.toString(), now, file + ": " + now.ref() + " installed (bundle "
                    + now.bundleId() + ") before the container stopped, started now: " + now.state(), List.of());
        } catch (ModuleException ex) {
            reported.put(p, m.content().digest());
            post(ModuleEvents.TOPIC_DEPLOY_FAILED, p, ex.getMessage());
            LOG.log(Level.WARNING, "deploy: {0}: {1}", file, ex.getMessage());
            return new DeployResult(Outcome.FAILED, p.toString(), registry.get(m.bundleId()).orElse(null),
                    file + ": " + ex.getMessage(), List.of());
        }
    }

    /** Worker thread: the grace period is over; what still does not resolve is reported. */
    private void endOfGrace() {
        if (!pending.isEmpty()) {
            grace = worker.schedule(this::endOfGrace, GRACE_MS, TimeUnit.MILLISECONDS);
            return;
        }
        List<Path> stuck = new ArrayList<>(waiting);
        waiting.clear();
        retry.addAll(stuck);
        urgent = true;
        try {
            apply(stuck, false);
        } finally {
            urgent = false;
        }
    }

    private DeployResult undeploy(Path p, Module m) {
        List<String> notes = new ArrayList<>();
        try {
            for (CheckReport.Impact i : support.removalImpact(m.ref())) {
                notes.add(i.module() + " (bundle " + i.bundleId() + ") is left without a provider: " + i.reason());
            }
        } catch (ModuleException e) {
            LOG.log(Level.DEBUG, "no removal impact for {0}: {1}", m.ref(), e.toString());
        }
        try {
            registry.uninstall(Long.toString(m.bundleId()));
        } catch (ModuleNotFoundException e) {
            // gone already
        }
        // a file refused as a duplicate of this one may be deployed now
        for (var it = reported.entrySet().iterator(); it.hasNext();) {
            var e = it.next();
            if (e.getValue().equals(m.content().digest())) {
                it.remove();
                observe(e.getKey());
            }
        }
        String msg = p.getFileName() + " removed: " + m.ref() + " (bundle " + m.bundleId() + ") undeployed";
        LOG.log(notes.isEmpty() ? Level.INFO : Level.WARNING, "deploy: {0}{1}", msg, notes.isEmpty() ? "" : "; " + String.join("; ", notes));
        return new DeployResult(Outcome.UNDEPLOYED, p.toString(), null, msg, notes);
    }

    /** A file that was not deployed: reported once for this content, in the log and as an event. */
    private DeployResult bad(Path p, String digest, String reason) {
        String msg = p.getFileName() + ": " + reason;
        if (!digest.equals(reported.put(p, digest))) {
            LOG.log(Level.WARNING, "deploy: {0}", msg);
            post(ModuleEvents.TOPIC_DEPLOY_FAILED, p, reason);
        }
        return new DeployResult(Outcome.REFUSED, p.toString(), null, msg, List.of());
    }

    /** Reports how far a large batch is, at its start, every tenth and its end: in the log and as events. */
    private final class Progress {
        private final int total;
        private int done;
        private final long start = System.nanoTime();

        Progress(int total) {
            this.total = total;
            if (total >= PROGRESS_BATCH) {
                LOG.log(Level.INFO, "deploy: {0} files to apply", total);
                progress(Map.of(ModuleEvents.TOTAL, total, ModuleEvents.DONE, 0));
            }
        }

        void step() {
            done++;
            if (total >= PROGRESS_BATCH && done < total && done % Math.max(1, total / 10) == 0) {
                LOG.log(Level.INFO, "deploy: {0}/{1}", done, total);
                progress(Map.of(ModuleEvents.TOTAL, total, ModuleEvents.DONE, done));
            }
        }

        void done(List<DeployResult> results) {
            if (total >= PROGRESS_BATCH) {
                long ok = results.stream().filter(DeployResult::ok).count();
                LOG.log(Level.INFO, "deploy: {0} files applied in {1} ms: {2} ok, {3} not", total,
                        (System.nanoTime() - start) / 1_000_000, ok, results.size() - ok);
                progress(Map.of(ModuleEvents.TOTAL, total, ModuleEvents.DONE, total, ModuleEvents.FAILED_COUNT,
                        (int) (results.size() - ok)));
            }
        }

        private void progress(Map<String, Object> figures) {
            EventAdmin ea = eventAdmin;
            if (ea != null) {
                ea.postEvent(new Event(ModuleEvents.TOPIC_DEPLOY_PROGRESS, figures));
            }
        }
    }

    // ---------------------------------------------------------------- API

    @Override
    public DeployResult deploy(ModuleSource source) {
        Path target = dir.resolve(fileName(source));
        return one(target, false, () -> {
            // checked before it lands: a file that is no bundle would be refused anyway, and over a
            // deployed module's file it would leave the directory disagreeing with what runs
            try (InputStream in = ContentStore.open(source)) {
                writeInPlace(in, target, tmp -> JarValidator.validate(source.name(), tmp, ContentStore.digest(tmp), Files.size(tmp)));
            } catch (IOException e) {
                throw new InvalidModuleException(source.name(), "cannot be copied into " + dir + ": " + e.getMessage(), e);
            }
            return null;
        });
    }

    @Override
    public DeployResult undeploy(String ref) {
        Path p = deployedFile(ref);
        // deleted on the worker, as deploy writes there: the watcher's look at the deletion comes after
        return one(p, false, () -> {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + p, e);
            }
            return null;
        });
    }

    @Override
    public DeployResult reload(String ref) {
        return one(deployedFile(ref), true);
    }

    /** @return the file of the deploy directory a module was deployed from; null if none */
    public Path deployedFile(Module m) {
        return fileOf(m);
    }

    /**
     * Writes other bytes over a deployed module's file (atomically) and applies it: a rollback
     * through the directory, so that the file and the module agree.
     */
    public DeployResult replaceFile(Path file, Path bytes) {
        return Origin.asOperation("rollback", () -> one(file, false, () -> {
            try (InputStream in = Files.newInputStream(bytes)) {
                writeInPlace(in, file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
            return null;
        }));
    }

    /**
     * Writes a file of the directory as a hidden temporary one renamed over it: the watcher
     * ignores hidden files and sees the jar complete, at once.
     */
    private void writeInPlace(InputStream in, Path target) throws IOException {
        writeInPlace(in, target, tmp -> { });
    }

    /** A check of the complete bytes before they replace the file; it throws to keep the file as it is. */
    private interface BeforeMove {
        void check(Path staged) throws IOException;
    }

    /** Writes beside the file (hidden: the watcher ignores it), checks, then renames into place. */
    private void writeInPlace(InputStream in, Path target, BeforeMove check) throws IOException {
        Path tmp = dir.resolve("." + target.getFileName() + ".tmp");
        try {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            check.check(tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private Path deployedFile(String ref) {
        Path p = fileOf(registry.get(ref));
        if (p == null) {
            throw new ModuleNotFoundException(ref, ref + " was not deployed from " + dir + " (module:uninstall removes a module"
                    + " installed otherwise)");
        }
        return p;
    }

    @Override
    public List<DeployResult> scan() {
        // what the directory holds is the directory's doing, whoever asked to look at it now
        return Origin.asDirectory(() -> onWorker(() -> {
            Set<Path> all = new TreeSet<>(files());
            all.addAll(deployed().keySet());
            all.forEach(pending::remove);
            urgent = true;
            try {
                return apply(new ArrayList<>(all), false);
            } finally {
                urgent = false;
            }
        }));
    }

    private DeployResult one(Path p, boolean reload) {
        return one(p, reload, null);
    }

    /**
     * Applies one file on the worker, after writing it there if asked: the watcher's own look at
     * a file written by the API then comes after, and finds it deployed, instead of racing it.
     */
    private DeployResult one(Path p, boolean reload, Callable<Void> write) {
        List<DeployResult> r = onWorker(() -> {
            if (write != null) {
                write.call();
            }
            pending.remove(p);
            reported.remove(p); // asked for explicitly: report again, and at once
            urgent = true;
            try {
                return apply(List.of(p), reload);
            } finally {
                urgent = false;
            }
        });
        return r.stream().filter(x -> x.file().equals(p.toString())).findFirst()
                .orElseGet(() -> new DeployResult(Outcome.UNCHANGED, p.toString(), null, p.getFileName() + ": nothing to do", List.of()));
    }

    private <T> T onWorker(Callable<T> task) {
        String origin = Origin.current();
        String operation = Origin.operation(null);
        try {
            return worker.submit(() -> Origin.as(origin, () -> Origin.asOperation(operation, () -> {
                try {
                    return task.call();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }))).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new ModuleException("deploy failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModuleException("interrupted while deploying", e);
        }
    }

    // ---------------------------------------------------------------- plans

    @Override
    public DeployPlan plan(ModuleSource source) {
        Path target = dir.resolve(fileName(source));
        Module m = deployed().get(target);
        String file = target.getFileName().toString();
        List<Action> actions = new ArrayList<>();
        try {
            if (m == null) {
                CheckReport r = wiring.check(source);
                actions.add(r.resolvable() ? new Action(Kind.INSTALL, file, r.module(), "new file; would resolve")
                        : new Action(Kind.REFUSE, file, r.module(), r.describe()));
            } else {
                CheckReport r = wiring.checkUpdate(m.ref(), source);
                planUpdate(actions, file, m, r);
            }
        } catch (ModuleException e) {
            actions.add(new Action(Kind.REFUSE, file, "", e.getMessage()));
        }
        return new DeployPlan(actions);
    }

    @Override
    public DeployPlan plan() {
        return onWorker(() -> {
            Map<Path, Module> deployed = deployed();
            List<Action> actions = new ArrayList<>();
            List<Path> news = new ArrayList<>();
            for (Path p : files()) {
                Module m = deployed.get(p);
                String file = p.getFileName().toString();
                try {
                    String digest = ContentStore.digest(p);
                    if (m == null) {
                        news.add(p);
                    } else if (digest.equals(m.content().digest())) {
                        actions.add(new Action(Kind.NONE, file, m.ref(), "deployed already, the same bytes"));
                    } else {
                        planUpdate(actions, file, m, wiring.checkUpdate(m.ref(), ModuleSource.of(p)));
                    }
                } catch (IOException | ModuleException e) {
                    actions.add(new Action(Kind.REFUSE, file, m == null ? "" : m.ref(), e.getMessage()));
                }
            }
            List<Path> valid = new ArrayList<>();
            for (Path p : news) {
                try {
                    validate(p, ContentStore.digest(p));
                    valid.add(p);
                } catch (IOException | ModuleException e) {
                    actions.add(new Action(Kind.REFUSE, p.getFileName().toString(), "", e.getMessage()));
                }
            }
            List<CheckReport> reports = support.checkAll(valid.stream().map(ModuleSource::of).toList());
            for (int i = 0; i < valid.size(); i++) {
                CheckReport r = reports.get(i);
                String file = valid.get(i).getFileName().toString();
                actions.add(r.resolvable() ? new Action(Kind.INSTALL, file, r.module(), "new file; would resolve")
                        : new Action(Kind.REFUSE, file, r.module(), r.describe()));
            }
            deployed.forEach((p, m) -> {
                if (!Files.exists(p)) {
                    actions.add(new Action(Kind.UNINSTALL, p.getFileName().toString(), m.ref(), "its file is gone"));
                }
            });
            return new DeployPlan(actions);
        });
    }

    private static void planUpdate(List<Action> actions, String file, Module m, CheckReport r) {
        if (!r.safe()) {
            actions.add(new Action(Kind.REFUSE, file, m.ref(), r.describe()));
            return;
        }
        actions.add(new Action(Kind.UPDATE, file, m.ref() + " -> " + r.version(), "the file changed; the new version resolves"));
        for (CheckReport.Impact i : r.refreshed()) {
            actions.add(new Action(Kind.REFRESH, "", i.module(), i.reason()));
        }
    }

    // ---------------------------------------------------------------- helpers

    /**
     * The location of a file's bytes: its URI, marked with the digest. A location is unique in the
     * framework, so a reload of the same bytes (started beside the running ones) is numbered.
     */
    private static String location(Path p, String digest, java.util.Collection<Module> deployed) {
        String base = p.toUri() + "#sha256=" + digest.substring(0, 16);
        Set<String> taken = new java.util.HashSet<>();
        deployed.forEach(m -> taken.add(m.location()));
        String loc = base;
        for (int n = 2; taken.contains(loc); n++) {
            loc = base + "-" + n;
        }
        return loc;
    }

    /** The modules deployed from the directory, by file. */
    private Map<Path, Module> deployed() {
        Map<Path, Module> result = new HashMap<>();
        for (Module m : registry.list()) {
            Path p = fileOf(m);
            if (p != null && m.state() != ModuleState.UNINSTALLED) {
                result.put(p, m);
            }
        }
        return result;
    }

    private Path fileOf(Module m) {
        String loc = m.location();
        if (!loc.startsWith("file:")) {
            return null;
        }
        int hash = loc.indexOf('#');
        try {
            Path p = Path.of(URI.create(hash < 0 ? loc : loc.substring(0, hash))).toAbsolutePath().normalize();
            return p.startsWith(dir) && !p.equals(dir) ? p : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String fileName(ModuleSource source) {
        // a stream's location is "stream:NAME": its file is named by NAME, never "stream:NAME"
        String name = source.path() != null ? source.path().getFileName().toString()
                : source.uri() != null ? source.location().substring(source.location().lastIndexOf('/') + 1)
                : source.name().substring(source.name().replace('\\', '/').lastIndexOf('/') + 1);
        int q = name.indexOf('?');
        name = q < 0 ? name : name.substring(0, q);
        if (name.isBlank() || name.startsWith(".")) {
            throw new InvalidModuleException(source.name(), "needs a file name to be deployed under");
        }
        return name.toLowerCase(Locale.ROOT).endsWith(".jar") ? name : name + ".jar";
    }


    private static void validate(Path p, String digest) throws IOException {
        JarValidator.validate(p.toString(), p, digest, Files.size(p));
    }


    private void post(String topic, Path file, String error) {
        EventAdmin ea = eventAdmin;
        if (ea != null) {
            ea.postEvent(new Event(topic, Map.of(ModuleEvents.FILE, file.toString(), ModuleEvents.ERROR, error)));
        }
    }

}
