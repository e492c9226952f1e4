package org.modreg.core.deploy;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import org.modreg.core.util.Threads;

/**
 * Finds what changed in the deploy directory, as FileInstall's scanner does; what to do with it
 * is the {@link Deployer}'s. A watcher thread turns file-system events into observations (or the
 * directory is polled where there are none); on the deployer's worker thread a file is handed on
 * once it has been quiet for a moment and is a readable zip, and all the files that are ready
 * together, so that a burst (a first start, a copy of many plugins) is one batch.
 */
final class DirectoryWatch {

    private static final System.Logger LOG = System.getLogger(DirectoryWatch.class.getName());
    /** How long a deployed file must stay gone before its module is undeployed. */
    static final long DELETE_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final Path dir;
    private final DeployerConfig config;
    private final ScheduledExecutorService worker;
    /** The files the deployer has deployed: looked at again with the directory's own. */
    private final Supplier<Collection<Path>> deployed;
    /** Whether the container is ready for what is found (started, records restored). */
    private final BooleanSupplier ready;
    /** Where the files that are ready go. */
    private final Consumer<List<Path>> apply;
    /** Files seen changing and not handed on yet; worker thread only. */
    private final Map<Path, Seen> pending = new LinkedHashMap<>();
    private ScheduledFuture<?> tick;
    private WatchService watch;
    private Thread watcher;

    /** A file as last seen: its size and time, since when it has not changed (nanos), and when it was first seen. */
    private record Seen(long size, long modified, long quietSince, long firstSeen) {
    }

    DirectoryWatch(Path dir, DeployerConfig config, ScheduledExecutorService worker, Supplier<Collection<Path>> deployed,
            BooleanSupplier ready, Consumer<List<Path>> apply) {
        this.dir = dir;
        this.config = config;
        this.worker = worker;
        this.deployed = deployed;
        this.ready = ready;
        this.apply = apply;
    }

    void start() {
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
            worker.scheduleWithFixedDelay(this::observeAll, config.poll_interval(), config.poll_interval(),
                    TimeUnit.MILLISECONDS);
        }
        // reconcile: what changed while the container was down is applied once it is quiet
        worker.execute(this::observeAll);
    }

    void stop() {
        if (watch != null) {
            try {
                watch.close();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "closing the watch service: {0}", e.toString());
            }
        }
    }

    /** @return whether the directory is watched for events (or polled) */
    boolean watching() {
        return watch != null;
    }

    /** Worker thread: whether files are still waiting to be quiet. */
    boolean busy() {
        return !pending.isEmpty();
    }

    /** Worker thread: the deployer handles this file itself now. */
    void forget(Path p) {
        pending.remove(p);
    }

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
        all().forEach(this::observe);
    }

    /** @return every jar of the directory and every file a module was deployed from, sorted */
    TreeSet<Path> all() {
        TreeSet<Path> all = new TreeSet<>(files());
        all.addAll(deployed.get());
        return all;
    }

    /** @return the jars of the directory, sorted */
    List<Path> files() {
        try (Stream<Path> s = config.recursive() ? Files.walk(dir) : Files.list(dir)) {
            return s.filter(p -> !Files.isDirectory(p) && !ignored(p)).sorted().toList();
        } catch (IOException e) {
            LOG.log(Level.ERROR, "deploy: cannot list {0}: {1}", dir, e.toString());
            return List.of();
        }
    }

    /** Hidden, temporary and non-jar files are not ours: editors and copy tools write those first. */
    static boolean ignored(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.startsWith(".") || !n.endsWith(".jar");
    }

    /** Worker thread: note a file's size and time; it is handled once it stays quiet. */
    void observe(Path p) {
        if (ignored(p) || !p.startsWith(dir) || (!config.recursive() && !dir.equals(p.getParent()))) {
            return;
        }
        long now = System.nanoTime();
        pending.put(p, stat(p, pending.get(p), now));
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
     * handed on together.
     */
    private void settle() {
        long now = System.nanoTime();
        long quiet = TimeUnit.MILLISECONDS.toNanos(config.quiet_period());
        long incomplete = TimeUnit.MILLISECONDS.toNanos(config.incomplete_timeout());
        List<Path> done = new ArrayList<>();
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
            done.add(p);
        }
        // while the framework climbs to its start level the modules are not started yet: an update
        // now could not tell a failing start, so wait until they are
        busy |= !ready.getAsBoolean();
        if (!busy) {
            done.forEach(pending::remove);
        }
        if (!busy && !done.isEmpty()) {
            apply.accept(done);
        }
        // after applying: what it observed again (files that waited for a provider it installed) is
        // pending now, and observe() schedules no tick while this one runs
        if (!pending.isEmpty()) {
            tick = worker.schedule(this::settle, config.quiet_period(), TimeUnit.MILLISECONDS);
        }
    }

    static boolean readableZip(Path p) {
        try (ZipFile z = new ZipFile(p.toFile())) {
            return z.size() >= 0;
        } catch (IOException e) {
            return false;
        }
    }
}
