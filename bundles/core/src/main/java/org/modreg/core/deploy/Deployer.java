package org.modreg.core.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.modreg.api.InvalidModuleException;
import org.modreg.api.ModuleEvents;
import org.modreg.api.ModuleException;
import org.modreg.api.ModuleNotFoundException;
import org.modreg.api.ModuleSource;
import org.modreg.api.ModuleState;
import org.modreg.api.dto.DeployPlan;
import org.modreg.api.dto.DeployResult;
import org.modreg.api.dto.DeployResult.Outcome;
import org.modreg.api.dto.Module;
import org.modreg.core.Call;
import org.modreg.core.Operation;
import org.modreg.core.Registry;
import org.modreg.core.content.ContentStore;
import org.modreg.core.content.JarValidator;
import org.modreg.core.util.Events;
import org.modreg.core.util.Threads;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The deploy directory. The {@link DirectoryWatch} finds what changed; one worker thread does
 * everything else, in order: it compares a file's SHA-256 with what was deployed from it and
 * applies the differences through the {@link Registry}'s operations ({@link Applier}). API calls
 * run on the same worker, so a file is never handled twice at once.
 *
 * <p>A module belongs to the directory when its location is the {@code file:} URI of a jar in it
 * (with a {@code #sha256=} fragment that keeps locations unique across versions). The framework
 * keeps locations across restarts, so the directory and the modules are reconciled at start
 * without a state file of the deployer's own.
 *
 * <p>What the worker does for a file of the directory is audited as {@link Call#DEPLOY}, what it
 * does for a caller under the caller's {@link Call}.
 */
@Component(service = DeployDirectory.class, immediate = true, configurationPid = Deployer.PID)
@Designate(ocd = DeployerConfig.class)
public final class Deployer implements DeployDirectory {

    /** Configuration PID. */
    public static final String PID = "org.modreg.deployer";

    private final BundleContext context;
    private final Registry registry;
    private final Path dir;
    private final ScheduledExecutorService worker;
    private final DirectoryWatch watch;
    private final Applier applier;
    private final DeployPlanner planner;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;

    @Activate
    public Deployer(BundleContext context, DeployerConfig config, @Reference Registry registry) {
        this.context = context;
        this.registry = registry;
        String configured = config.directory().isBlank() ? context.getProperty(org.modreg.api.ModuleRegistry.DEPLOY_PROPERTY)
                : config.directory();
        this.dir = (configured == null || configured.isBlank() ? context.getDataFile("deploy").toPath() : Path.of(configured))
                .toAbsolutePath().normalize();
        this.worker = Executors.newSingleThreadScheduledExecutor(Threads.daemons("modreg-deployer"));
        Events events = new Events(() -> eventAdmin);
        this.watch = new DirectoryWatch(dir, config, worker, () -> deployed().keySet(),
                () -> frameworkStarted() && registry.restored(), ready -> apply(Call.DEPLOY, ready, false, false));
        this.applier = new Applier(registry, watch, events, worker, this::deployed, this::location,
                (call, stuck) -> apply(call, stuck, false, true));
        this.planner = new DeployPlanner(registry);
    }

    @Activate
    void activate() throws IOException {
        Files.createDirectories(dir);
        watch.start();
    }

    @Deactivate
    void deactivate() {
        watch.stop();
        worker.shutdownNow();
    }

    @Override
    public Path directory() {
        return dir;
    }

    @Override
    public String mode() {
        if (worker.isShutdown()) {
            return "STOPPED";
        }
        if (!Files.isDirectory(dir)) {
            return "MISSING";
        }
        return watch.watching() ? "WATCHING" : "POLLING";
    }

    private boolean frameworkStarted() {
        Bundle system = context.getBundle(0);
        if (system.getState() != Bundle.ACTIVE) {
            return false;
        }
        String beginning = context.getProperty(Constants.FRAMEWORK_BEGINNING_STARTLEVEL);
        int level;
        try {
            level = beginning == null ? 1 : Integer.parseInt(beginning.trim());
        } catch (NumberFormatException e) {
            level = 1;
        }
        return system.adapt(FrameworkStartLevel.class).getStartLevel() >= level;
    }

    /**
     * Worker thread: brings the modules in line with some files of the directory.
     *
     * @param reload apply even files whose bytes are deployed already
     * @param urgent report files that would not resolve at once, instead of letting them wait for a provider
     */
    private List<DeployResult> apply(Call call, List<Path> paths, boolean reload, boolean urgent) {
        registry.awaitRestored(); // the digests of what was deployed come from the saved records
        return applier.apply(call, paths, reload, urgent);
    }

    // ---------------------------------------------------------------- API

    @Override
    public DeployResult deploy(Call call, ModuleSource source) {
        Path target = dir.resolve(fileName(source));
        return one(call, target, false, () -> {
            // checked before it lands: a file that is no bundle would be refused anyway, and over a
            // deployed module's file it would leave the directory disagreeing with what runs
            try (InputStream in = ContentStore.open(source)) {
                writeInPlace(in, target, tmp -> JarValidator.validate(source.name(), tmp, ContentStore.digest(tmp), Files.size(tmp)));
            } catch (IOException e) {
                throw new InvalidModuleException(source.name(), "cannot be copied into " + dir + ": " + e.getMessage(), e);
            }
        });
    }

    @Override
    public DeployResult undeploy(Call call, String ref) {
        Path p = deployedFile(ref);
        // deleted on the worker, as deploy writes there: the watcher's look at the deletion comes after
        return one(call, p, false, () -> {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + p, e);
            }
        });
    }

    @Override
    public DeployResult reload(Call call, String ref) {
        return one(call, deployedFile(ref), true, null);
    }

    @Override
    public Path deployedFile(Module m) {
        return fileOf(m);
    }

    @Override
    public DeployResult replaceFile(Call call, Path file, Path bytes) {
        return one(call.updatingAs(Operation.ROLLBACK), file, false, () -> {
            try (InputStream in = Files.newInputStream(bytes)) {
                writeInPlace(in, file, tmp -> { });
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
        });
    }

    @Override
    public List<DeployResult> scan() {
        // what the directory holds is the directory's doing, whoever asked to look at it now
        return onWorker(() -> {
            Set<Path> all = watch.all();
            all.forEach(watch::forget);
            return apply(Call.DEPLOY, new ArrayList<>(all), false, true);
        });
    }

    @Override
    public DeployPlan plan(ModuleSource source) {
        Path target = dir.resolve(fileName(source));
        return planner.plan(source, target, deployed().get(target));
    }

    @Override
    public DeployPlan plan() {
        return onWorker(() -> planner.plan(watch.files(), deployed()));
    }

    /** A change of the directory's files made on the worker, before the file is applied. */
    private interface Write {
        void run() throws IOException;
    }

    /** A check of the complete bytes before they replace the file; it throws to keep the file as it is. */
    private interface BeforeMove {
        void check(Path staged) throws IOException;
    }

    /**
     * Applies one file on the worker, after writing it there if asked: the watcher's own look at
     * a file written by the API then comes after, and finds it deployed, instead of racing it.
     */
    private DeployResult one(Call call, Path p, boolean reload, Write write) {
        List<DeployResult> r = onWorker(() -> {
            if (write != null) {
                write.run();
            }
            watch.forget(p);
            applier.forget(p); // asked for explicitly: report again, and at once
            return apply(call, List.of(p), reload, true);
        });
        return r.stream().filter(x -> x.file().equals(p.toString())).findFirst()
                .orElseGet(() -> new DeployResult(Outcome.UNCHANGED, p.toString(), null, p.getFileName() + ": nothing to do", List.of()));
    }

    private <T> T onWorker(Callable<T> task) {
        try {
            return worker.submit(() -> {
                try {
                    return task.call();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            }).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re && !(re instanceof CompletionException)) {
                throw re;
            }
            Throwable cause = e.getCause() instanceof CompletionException ce ? ce.getCause() : e.getCause();
            throw new ModuleException("deploy failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModuleException("interrupted while deploying", e);
        }
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

    // ---------------------------------------------------------------- files and locations

    /**
     * The location of a file's bytes: its URI, marked with the digest. A location is unique in the
     * framework, so a reload of the same bytes (started beside the running ones) is numbered.
     */
    private String location(Path p, String digest, Collection<Module> deployed) {
        String base = p.toUri() + "#sha256=" + digest.substring(0, 16);
        Set<String> taken = new HashSet<>();
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
}
