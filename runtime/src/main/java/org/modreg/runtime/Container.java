package org.modreg.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.modreg.api.ModuleAudit;
import org.modreg.api.ModuleDeployer;
import org.modreg.api.ModuleStatistics;
import org.modreg.api.ModuleRegistry;
import org.modreg.api.ModuleWiring;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.util.tracker.ServiceTracker;

/**
 * A running modreg container: a Felix framework with SCR, Config Admin, Event Admin, Metatype,
 * Gogo and the modreg bundles, in this JVM.
 *
 * <p>Host programs embed it so:
 *
 * <pre>
 * try (Container c = Container.builder().home(Path.of("/srv/plugins")).systemBundles(dist.resolve("system")).start()) {
 *     ModuleRegistry registry = c.registry();
 *     registry.install(ModuleSource.of(Path.of("plugin.jar")), InstallOption.START);
 * }
 * </pre>
 *
 * <p>The {@code org.modreg.api} packages are exported by the system bundle from the host's class
 * path, so the registry the host gets and the one bundles get are the same classes. The host needs
 * the Felix framework and the modreg API jars on its class path, and the boot bundles in a
 * directory ({@code system/} of the distribution).
 *
 * <p>The framework keeps its bundles under {@code data/framework}: a second start finds the
 * modules of the first. Boot bundles are installed at start level 1, everything else at level 2,
 * so that the registry and the shell are up before any plugin starts.
 */
public final class Container implements AutoCloseable {

    /** Framework property: the deploy directory (watched in a later version; created now). */
    public static final String DEPLOY_PROPERTY = ModuleRegistry.DEPLOY_PROPERTY;
    /** Framework property: the URI of the boot bundle directory, so that the registry knows the launcher's bundles. */
    public static final String BOOT_PROPERTY = ModuleRegistry.BOOT_PROPERTY;
    /** Framework property of Felix HTTP: the port of the HTTP plane (default here 8181, as Karaf's). */
    public static final String HTTP_PORT = "org.osgi.service.http.port";
    /** Framework property of Felix HTTP: the address it binds (default here 127.0.0.1: nothing listens beyond loopback). */
    public static final String HTTP_HOST = "org.apache.felix.http.host";
    /** Framework property of Felix HTTP: whether it listens at all. */
    public static final String HTTP_ENABLE = "org.apache.felix.http.enable";
    private static final String PAX_LOG_LEVEL = "org.ops4j.pax.logging.DefaultServiceLog.level";
    private static final String PAX_LOG_FILE = "org.ops4j.pax.logging.useFileLogFallback";
    /** Framework property: modreg's own data directory. */
    public static final String DATA_PROPERTY = ModuleRegistry.DATA_PROPERTY;

    static final int SYSTEM_START_LEVEL = 1;
    static final int MODULE_START_LEVEL = 2;
    /** The API packages the system bundle exports: as the API jar on the host's class path exports them. */
    private static final String API_PACKAGES = apiPackages();

    private final Framework framework;
    private final Path home;
    private final Path dataDir;
    private final Path deployDir;
    private final Duration stopTimeout;
    private final ServiceTracker<ModuleRegistry, ModuleRegistry> registry;
    private final ServiceTracker<ModuleWiring, ModuleWiring> wiring;
    private final ServiceTracker<ModuleDeployer, ModuleDeployer> deployer;
    private final ServiceTracker<ModuleStatistics, ModuleStatistics> statistics;
    private final ServiceTracker<ModuleAudit, ModuleAudit> audit;

    private final DataLock lock;

    private Container(Framework framework, Path home, Path dataDir, Path deployDir, Duration stopTimeout, DataLock lock) {
        this.framework = framework;
        this.lock = lock;
        this.home = home;
        this.dataDir = dataDir;
        this.deployDir = deployDir;
        this.stopTimeout = stopTimeout;
        this.registry = new ServiceTracker<>(framework.getBundleContext(), ModuleRegistry.class, null);
        this.registry.open();
        this.wiring = new ServiceTracker<>(framework.getBundleContext(), ModuleWiring.class, null);
        this.wiring.open();
        this.deployer = new ServiceTracker<>(framework.getBundleContext(), ModuleDeployer.class, null);
        this.deployer.open();
        this.statistics = new ServiceTracker<>(framework.getBundleContext(), ModuleStatistics.class, null);
        this.statistics.open();
        this.audit = new ServiceTracker<>(framework.getBundleContext(), ModuleAudit.class, null);
        this.audit.open();
    }

    /** @return a builder with the defaults: home is the working directory */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The module registry, waiting up to 10 s for it (it is there once {@code start()} returned,
     * unless something stopped the core bundle since).
     *
     * @return the registry service
     * @throws IllegalStateException if the registry is not available (the container is stopped)
     */
    public ModuleRegistry registry() {
        return await(registry, "registry");
    }

    /**
     * Wiring checks and the dependency graph, waiting up to 10 s for the service as
     * {@link #registry()} does.
     *
     * @return the wiring service
     * @throws IllegalStateException if it is not available (the container is stopped)
     */
    public ModuleWiring wiring() {
        return await(wiring, "wiring service");
    }

    /**
     * The deploy directory's service, waiting up to 10 s for it as {@link #registry()} does. Its
     * {@link ModuleDeployer#scan()} applies the directory at once: the launcher calls it before it
     * runs a script or says a daemon is ready.
     *
     * @return the deployer
     */
    public ModuleDeployer deployer() {
        return await(deployer, "deployer");
    }

    /**
     * Usage statistics and health, waiting up to 10 s for the service as {@link #registry()} does.
     *
     * @return the statistics service
     */
    public ModuleStatistics statistics() {
        return await(statistics, "statistics service");
    }

    /**
     * The audit trail, waiting up to 10 s for the service as {@link #registry()} does. What the
     * host does through {@link #registry()} and {@link #deployer()} is audited with origin {@code host}.
     *
     * @return the audit service
     */
    public ModuleAudit audit() {
        return await(audit, "audit service");
    }

    private static <T> T await(ServiceTracker<T, T> tracker, String what) {
        try {
            T r = tracker.waitForService(10_000);
            if (r == null) {
                throw new IllegalStateException("the modreg " + what + " is not available: is the container running?");
            }
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the " + what, e);
        }
    }

    /**
     * Where the HTTP plane answers, once its API is up: waits for the servlet runtime and the API's
     * servlet, at most the given time.
     *
     * @param wait longest wait
     * @return the plane's URL ({@code http://127.0.0.1:8181}), or empty if HTTP is off, failed to
     *         start (a port in use, said in the log), or has no bundles here
     */
    public java.util.Optional<String> http(Duration wait) {
        return Plane.await(framework, wait);
    }

    /** @return the framework */
    public Framework framework() {
        return framework;
    }

    /** @return the system bundle's context, to look up or register services */
    public BundleContext context() {
        return framework.getBundleContext();
    }

    /** @return the container home */
    public Path home() {
        return home;
    }

    /** @return the data directory: framework cache and modreg's records */
    public Path dataDir() {
        return dataDir;
    }

    /** @return the deploy directory */
    public Path deployDir() {
        return deployDir;
    }

    /**
     * Waits until the framework stops (the shell exits, {@link #close()}, or an update of the
     * system bundle).
     *
     * @return the framework's stop event: {@link FrameworkEvent#STOPPED_UPDATE} asks for a restart
     * @throws InterruptedException if interrupted
     */
    public FrameworkEvent awaitStop() throws InterruptedException {
        FrameworkEvent stop = framework.waitForStop(0);
        lock.close(); // a restart after an update of the system bundle takes it again
        return stop;
    }

    /** Stops the framework and waits for it, at most the stop timeout. Idempotent. */
    @Override
    public void close() {
        try {
            registry.close();
            wiring.close();
            deployer.close();
            statistics.close();
            audit.close();
            framework.stop();
            framework.waitForStop(stopTimeout.toMillis());
        } catch (BundleException e) {
            throw new IllegalStateException("the framework did not stop: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (framework.getState() == org.osgi.framework.Bundle.RESOLVED || framework.getState() == org.osgi.framework.Bundle.INSTALLED) {
                lock.close();
            }
        }
    }

    /** Builds and starts a container. */
    public static final class Builder {
        private Path home = Path.of("").toAbsolutePath();
        private Path dataDir;
        private Path deployDir;
        private Path systemBundles;
        private boolean shell;
        private boolean http;
        private Duration startTimeout = Duration.ofSeconds(60);
        private Duration stopTimeout = Duration.ofSeconds(10);
        private final Map<String, String> properties = new LinkedHashMap<>();

        private Builder() {
        }

        /** @param dir the container home; data and deploy directories default below it */
        public Builder home(Path dir) {
            this.home = dir.toAbsolutePath().normalize();
            return this;
        }

        /** @param dir the data directory; default {@code <home>/data} */
        public Builder dataDir(Path dir) {
            this.dataDir = dir.toAbsolutePath().normalize();
            return this;
        }

        /** @param dir the deploy directory; default {@code <home>/deploy} */
        public Builder deployDir(Path dir) {
            this.deployDir = dir.toAbsolutePath().normalize();
            return this;
        }

        /**
         * @param dir the directory of the boot bundles ({@code system/} of the distribution); by
         *            default the {@code system} directory beside the {@code lib} directory this
         *            class was loaded from
         */
        public Builder systemBundles(Path dir) {
            this.systemBundles = dir.toAbsolutePath().normalize();
            return this;
        }

        /** @param interactive whether Gogo opens an interactive shell on the console; default no */
        public Builder shell(boolean interactive) {
            this.shell = interactive;
            return this;
        }

        /**
         * @param on whether the HTTP plane listens (when its bundles are among the boot bundles); default
         *           no for an embedding host (no port is opened behind its back; the launcher's shell and
         *           daemon say yes), on {@code 127.0.0.1:8181} unless the properties {@value #HTTP_PORT} and
         *           {@value #HTTP_HOST} say otherwise
         */
        public Builder http(boolean on) {
            this.http = on;
            return this;
        }

        /**
         * @param timeout longest the start may go without progress (no bundle changing state), and
         *                longest wait for the registry; default 60 s, longer than the registry's
         *                default lifecycle timeout (30 s), after which it interrupts a start that hangs
         */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** @param timeout longest wait for the framework to stop in {@link Container#close()}; default 10 s */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /**
         * @param key   a framework property
         * @param value its value; wins over the container's own
         */
        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        /**
         * Starts the framework, installs or updates the boot bundles, starts them and waits for
         * the registry.
         *
         * @return the running container
         * @throws IllegalStateException if it cannot start; the framework is stopped again. Also
         *                               when another container (in this process or another) runs on
         *                               the same data directory: its lock is held until that one stops
         */
        public Container start() {
            Path data = dataDir != null ? dataDir : home.resolve("data");
            Path deploy = deployDir != null ? deployDir : home.resolve("deploy");
            Path system = systemBundles != null ? systemBundles : defaultSystemDir();
            try {
                Files.createDirectories(data.resolve("modreg"));
                Files.createDirectories(deploy);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the data or deploy directory: " + e.getMessage(), e);
            }
            DataLock lock = DataLock.take(data);
            try {
                return start(data, deploy, system, lock);
            } catch (RuntimeException e) {
                lock.close();
                throw e;
            }
        }

        private Container start(Path data, Path deploy, Path system, DataLock lock) {
            Map<String, Object> props = new HashMap<>();
            props.put(Constants.FRAMEWORK_STORAGE, data.resolve("framework").toString());
            props.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, API_PACKAGES);
            props.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, Integer.toString(MODULE_START_LEVEL));
            props.put("felix.startlevel.bundle", Integer.toString(MODULE_START_LEVEL));
            props.put("felix.log.level", "1");
            // Felix takes a Logger object in its configuration: one line an error, no stack trace
            props.put("felix.log.logger", new FrameworkLog(System.err, 1));
            props.put("org.apache.felix.eventadmin.LogLevel", "1");
            props.put(DATA_PROPERTY, data.resolve("modreg").toString());
            props.put(DEPLOY_PROPERTY, deploy.toString());
            props.put(BOOT_PROPERTY, system.toUri().toString());
            // the HTTP plane (Felix's Jetty): Karaf's port, loopback only; off for a scripted run, which ends at once.
            // A system property, the builder's properties or Config Admin (org.apache.felix.http) say otherwise
            props.put(HTTP_PORT, System.getProperty(HTTP_PORT, "8181"));
            props.put(HTTP_HOST, System.getProperty(HTTP_HOST, "127.0.0.1"));
            props.put(HTTP_ENABLE, System.getProperty(HTTP_ENABLE, Boolean.toString(http)));
            // no "Server: Jetty(12...)" header telling a scanner which version to try
            props.put("org.apache.felix.http.jetty.sendServerHeader", "false");
            // Pax Logging's API (SLF4J for Jetty and the health checks) prints warnings and errors only; it reads
            // its level from the system properties alone
            if (System.getProperty(PAX_LOG_LEVEL) == null) {
                System.setProperty(PAX_LOG_LEVEL, "WARN");
            }
            // to a file, not to standard output, where it would mix with what commands print (a real logging
            // backend comes with the logging work)
            if (System.getProperty(PAX_LOG_FILE) == null) {
                try {
                    Files.createDirectories(data.resolve("modreg/log"));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create " + data.resolve("modreg/log"), e);
                }
                System.setProperty(PAX_LOG_FILE, data.resolve("modreg/log/libraries.log").toString());
            }
            // and leaves java.util.logging alone: it would take the root logger's handlers over (modreg logs through it)
            props.put("org.ops4j.pax.logging.skipJUL", "true");
            // who starts the plane's start level: the shell's profile, behind its first prompt, or the launcher
            props.put(Plane.START_PROPERTY, http && shell ? "shell" : http ? "launcher" : "never");
            // Gogo: an interactive console, or none (scripted use and daemons)
            if (!shell) {
                props.put("gosh.args", "--nointeractive");
            }
            // Gogo reads etc/gosh_profile below gosh.home: the distribution's, when there is one
            props.put("gosh.home", system.getParent().toString());
            props.putAll(properties);

            FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class, Container.class.getClassLoader())
                    .findFirst().orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path"));
            StartTrace.mark("launcher: configured");
            @SuppressWarnings({ "unchecked", "rawtypes" })
            Framework fw = factory.newFramework((Map) props);
            try {
                fw.init();
                StartTrace.mark("framework initialised");
                StartTrace.listen(fw.getBundleContext());
                // the framework starts at level 0; boot bundles are installed before it climbs
                Bundle console = installSystemBundles(fw.getBundleContext(), system);
                java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
                org.osgi.framework.FrameworkListener onStarted = e -> {
                    if (e.getType() == org.osgi.framework.FrameworkEvent.STARTED) {
                        started.countDown();
                    }
                };
                fw.getBundleContext().addFrameworkListener(onStarted);
                // the start is given up only when it stops making progress: a module whose activator hangs
                // holds it for the registry's lifecycle timeout, then is interrupted, and the start goes on
                java.util.concurrent.atomic.AtomicLong progress = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
                org.osgi.framework.BundleListener onProgress = e -> progress.set(System.nanoTime());
                fw.getBundleContext().addBundleListener(onProgress);
                StartTrace.mark("boot bundles installed");
                fw.start();
                if (console != null) {
                    // after everything else, so its profile finds every command; with --nointeractive
                    // (no shell) it still provides Gogo's builtins (echo, new, each, grep) to scripts
                    console.start(Bundle.START_TRANSIENT);
                }
                // Felix climbs to the beginning start level on its own thread (while the console sets
                // its terminal up): wait until the modules are started, so that the container is what
                // it says when start() returns
                while (!started.await(100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    if (System.nanoTime() - progress.get() > startTimeout.toNanos()) {
                        throw new IllegalStateException("the framework did not reach start level " + MODULE_START_LEVEL + ": no bundle"
                                + " changed state for " + startTimeout.toMillis() + " ms");
                    }
                }
                fw.getBundleContext().removeFrameworkListener(onStarted);
                fw.getBundleContext().removeBundleListener(onProgress);
                StartTrace.mark("launcher: modules started");
                Container c = new Container(fw, home, data, deploy, stopTimeout, lock);
                if (http) {
                    Plane.start(fw, shell);
                }
                return c;
            } catch (BundleException | RuntimeException | InterruptedException e) {
                try {
                    fw.stop();
                    fw.waitForStop(stopTimeout.toMillis());
                } catch (BundleException | InterruptedException ignored) {
                    // reporting the first failure
                }
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw e instanceof IllegalStateException ise ? ise
                        : new IllegalStateException("the container did not start: " + e.getMessage(), e);
            }
        }

        private static Path defaultSystemDir() {
            try {
                Path jar = Path.of(Container.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                return jar.getParent().resolveSibling("system");
            } catch (Exception e) {
                throw new IllegalStateException("cannot locate the system bundles; set Builder.systemBundles", e);
            }
        }
    }

    /**
     * Installs the boot bundles, updates those whose jar changed since, and uninstalls those no
     * longer in the directory, in {@linkplain #bootRank start order}. All but Gogo's console are
     * marked to start; the console is started transiently once the framework is up, so that no
     * start mark of an older layout can start it before the commands it needs.
     *
     * @return the console bundle, or {@code null} if the directory has none
     */
    static Bundle installSystemBundles(BundleContext ctx, Path dir) throws BundleException {
        List<Path> jars = systemJars(dir);
        Map<String, Bundle> installed = new HashMap<>();
        String prefix = dir.toUri().toString();
        for (Bundle b : ctx.getBundles()) {
            if (b.getLocation().startsWith(prefix)) {
                installed.put(b.getLocation(), b);
            }
        }
        List<Bundle> boot = new ArrayList<>();
        for (Path jar : jars) {
            String location = jar.toUri().toString();
            Bundle b = installed.remove(location);
            try {
                if (b == null) {
                    try (InputStream in = Files.newInputStream(jar)) {
                        b = ctx.installBundle(location, in);
                    }
                } else if (Files.getLastModifiedTime(jar).toMillis() > b.getLastModified()) {
                    try (InputStream in = Files.newInputStream(jar)) {
                        b.update(in);
                    }
                }
            } catch (IOException e) {
                throw new BundleException("cannot read the boot bundle " + jar + ": " + e.getMessage(), e);
            }
            b.adapt(BundleStartLevel.class).setStartLevel(Plane.member(b.getSymbolicName()) ? Plane.START_LEVEL : SYSTEM_START_LEVEL);
            boot.add(b);
        }
        for (Bundle gone : installed.values()) {
            gone.uninstall();
        }
        Bundle console = null;
        for (Bundle b : boot) {
            if (bootRank(b.getSymbolicName()) == CONSOLE_RANK) {
                console = b;
                b.stop(); // not active yet: only clears a start mark left by an older version
            } else if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                b.start(Bundle.START_ACTIVATION_POLICY);
            }
        }
        return console;
    }

    /**
     * The {@code Export-Package} header of the jar the host loaded the API from, so that the
     * system bundle exports the packages at the versions the modules were built against.
     */
    static String apiPackages() {
        try {
            java.net.URL src = ModuleRegistry.class.getProtectionDomain().getCodeSource().getLocation();
            Path p = Path.of(src.toURI());
            java.util.jar.Manifest mf;
            if (Files.isDirectory(p)) { // classes of the api module, in an IDE
                try (InputStream in = Files.newInputStream(p.resolve("META-INF/MANIFEST.MF"))) {
                    mf = new java.util.jar.Manifest(in);
                }
            } else {
                try (JarFile j = new JarFile(p.toFile())) {
                    mf = j.getManifest();
                }
            }
            String exports = mf.getMainAttributes().getValue(Constants.EXPORT_PACKAGE);
            if (exports == null) {
                throw new IllegalStateException("the API jar " + p + " exports no packages: not the modreg API bundle");
            }
            return exports;
        } catch (IOException | java.net.URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("cannot read the manifest of the modreg API jar: " + e, e);
        }
    }

    static List<Path> systemJars(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("no boot bundles: " + dir + " is not a directory");
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jar"))
                    .map(p -> new Object[] { p, bootRank(symbolicName(p)) })
                    .sorted(Comparator.comparingInt((Object[] a) -> (Integer) a[1])
                            .thenComparing(a -> ((Path) a[0]).getFileName().toString()))
                    .map(a -> (Path) a[0])
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /**
     * Start order of a boot bundle. The framework starts a start level's bundles in bundle id
     * order, so install order is start order: the log and SCR first, so that the registry is
     * active before the other boot bundles start and sees any of them fail; Gogo's console last,
     * since piped commands need SCR and the command bundles up.
     */
    private static final int CONSOLE_RANK = 9;

    static int bootRank(String bsn) {
        if (bsn == null) {
            return 5;
        }
        if (bsn.startsWith("org.osgi.")) {
            return 0;
        }
        return switch (bsn) {
            // Pax Logging's API before the libraries logging through it (the first of the plane's start level): until
            // it is active it prints to standard output
            case "org.apache.felix.log", "org.ops4j.pax.logging.pax-logging-api" -> 1;
            case "org.apache.felix.scr" -> 2;
            // the database before the registry, which reads its records from it
            case "org.apache.felix.eventadmin", "org.apache.felix.configadmin", "com.h2database" -> 3;
            case "org.modreg.core" -> 4;
            case "org.apache.felix.gogo.jline", "org.apache.felix.gogo.shell" -> CONSOLE_RANK;
            default -> 5;
        };
    }

    private static String symbolicName(Path jar) {
        try (JarFile j = new JarFile(jar.toFile())) {
            String bsn = j.getManifest().getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
            return bsn == null ? null : bsn.split(";", 2)[0].trim();
        } catch (IOException | NullPointerException e) {
            return null;
        }
    }
}
