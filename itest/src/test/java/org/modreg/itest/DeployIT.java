package org.modreg.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.OutputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.modreg.api.InvalidModuleException;
import org.modreg.api.ModuleDeployer;
import org.modreg.api.ModuleEvents;
import org.modreg.api.ModuleSource;
import org.modreg.api.ModuleState;
import org.modreg.api.dto.DeployPlan;
import org.modreg.api.dto.DeployResult;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleError;
import org.modreg.api.dto.ServiceMatch;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * The deploy directory in a real Felix: files dropped, overwritten in place, written slowly in
 * chunks, renamed from a temporary name, touched, deleted, broken; updates that fail and roll back
 * while the old version keeps answering; a hundred files at once.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DeployIT extends ModregTestSupport {

    private static final String TEXT = "org.modreg.example.text";
    private static final String PROCESSOR = "org.modreg.example.processor";
    private static final String FAILING = "org.modreg.example.failing";
    private static final String HANGING = "org.modreg.example.hanging";
    private static final String UNRELATED = "deploy.unrelated";
    private static final String SINGLE = "deploy.single";
    private static final String DEPLOY_PID = "org.modreg.deployer";

    @Inject
    protected ModuleDeployer deployer;

    private final List<Event> events = new CopyOnWriteArrayList<>();
    /** The framework's own bundle events, delivered synchronously: complete once an operation has returned. */
    private final List<BundleEvent> bundleEvents = new CopyOnWriteArrayList<>();
    private final SynchronousBundleListener bundleListener = bundleEvents::add;
    private ServiceRegistration<EventHandler> handler;
    private Path dir;

    @Override
    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        String work = System.getProperty("paxexam.work.dir", "target/paxexam");
        return options(org.ops4j.pax.exam.CoreOptions.composite(super.config()),
                frameworkProperty("modreg.deploy").value(Path.of(work, "DeployIT-deploy").toAbsolutePath().toString()));
    }

    @Before
    public void setUp() throws Exception {
        dir = deployer.directory();
        handler = context.registerService(EventHandler.class, events::add, new Hashtable<>(Map.of(EventConstants.EVENT_TOPIC,
                new String[] { ModuleEvents.TOPIC_ALL, ModuleEvents.DEPLOY_TOPIC_PREFIX + "*" })));
        context.addBundleListener(bundleListener);
    }

    @After
    public void tearDown() throws Exception {
        handler.unregister();
        context.removeBundleListener(bundleListener);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        await("the directory's modules undeployed", () -> registry.list().stream().noneMatch(m -> m.location().contains(dir.toUri().toString())));
        lifecycleTimeout(30_000);
    }

    // ---------------------------------------------------------------- helpers

    private Path put(String name, byte[] bytes) throws Exception {
        Path tmp = dir.resolve("." + name + ".tmp");
        Files.write(tmp, bytes);
        return Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private Path put(String name, Path jar) throws Exception {
        return put(name, Files.readAllBytes(jar));
    }

    private Optional<Module> module(String id) {
        return registry.list().stream().filter(m -> m.id().equals(id) && m.state() != ModuleState.UNINSTALLED).findFirst();
    }

    private Module awaitActive(String id, String version) throws InterruptedException {
        await(id + " " + version + " ACTIVE", () -> module(id).filter(m -> m.state() == ModuleState.ACTIVE
                && (version == null || m.version().toString().equals(version))).isPresent());
        return module(id).orElseThrow();
    }

    private long count(String topic, String id) {
        return events.stream().filter(e -> e.getTopic().equals(topic)
                && (id == null || id.equals(e.getProperty(ModuleEvents.MODULE_ID)))).count();
    }

    private long deployFailures(String file) {
        return events.stream().filter(e -> e.getTopic().equals(ModuleEvents.TOPIC_DEPLOY_FAILED)
                && String.valueOf(e.getProperty(ModuleEvents.FILE)).endsWith(file)).count();
    }

    /** text.jar rebuilt as another version, or with another activator. */
    private static byte[] text(String version) throws Exception {
        return TestJars.rewrite(example("text"), Map.of("Bundle-Version", version));
    }

    /** A jar that claims to be the text plugin, but whose activator is one of the broken examples'. */
    private static byte[] brokenText(String example, String version) throws Exception {
        return TestJars.rewrite(example(example), Map.of("Bundle-SymbolicName", TEXT, "Bundle-Version", version));
    }

    /** Calls the best text-processing service, as a consumer would. */
    private String answer() throws Exception {
        String type = "org.modreg.example.processor.DataProcessor";
        await("a text-processing service", () -> !registry.services(type, "text-processing", null).isEmpty());
        List<ServiceMatch<Object>> all = registry.services(type, "text-processing", null);
        ServiceReference<Object> ref = all.get(0).reference();
        Object p = context.getService(ref);
        try {
            Method process = p.getClass().getMethod("process", byte[].class);
            return new String((byte[]) process.invoke(p, "hello".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        } finally {
            context.ungetService(ref);
        }
    }

    /** Watches, every half millisecond, that some version of a module is ACTIVE. */
    private final class Watch implements AutoCloseable {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong gaps = new AtomicLong();
        final AtomicLong samples = new AtomicLong();
        final Thread thread;

        Watch(String id) {
            thread = new Thread(() -> {
                while (!stop.get()) {
                    boolean active = Arrays.stream(context.getBundles())
                            .anyMatch(b -> id.equals(b.getSymbolicName()) && b.getState() == org.osgi.framework.Bundle.ACTIVE);
                    samples.incrementAndGet();
                    if (!active) {
                        gaps.incrementAndGet();
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(500_000);
                }
            });
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join();
        }
    }

    /** The deploy failure events of a file, oldest first. */
    private List<Event> failures(String file) {
        return events.stream().filter(e -> e.getTopic().equals(ModuleEvents.TOPIC_DEPLOY_FAILED)
                && String.valueOf(e.getProperty(ModuleEvents.FILE)).endsWith(file)).toList();
    }

    private static String error(Event e) {
        return String.valueOf(e.getProperty(ModuleEvents.ERROR));
    }

    /** The framework events of one bundle since the last clear. */
    private List<BundleEvent> bundleEvents(long bundleId) {
        return bundleEvents.stream().filter(e -> e.getBundle().getBundleId() == bundleId).toList();
    }

    private static String types(List<BundleEvent> list) {
        return list.stream().map(e -> switch (e.getType()) {
            case BundleEvent.INSTALLED -> "INSTALLED";
            case BundleEvent.RESOLVED -> "RESOLVED";
            case BundleEvent.STARTING -> "STARTING";
            case BundleEvent.STARTED -> "STARTED";
            case BundleEvent.STOPPING -> "STOPPING";
            case BundleEvent.STOPPED -> "STOPPED";
            case BundleEvent.UNRESOLVED -> "UNRESOLVED";
            case BundleEvent.UPDATED -> "UPDATED";
            case BundleEvent.UNINSTALLED -> "UNINSTALLED";
            default -> "event " + e.getType();
        }).toList().toString();
    }

    /** Manifest changes for {@link TestJars#rewrite}, which removes a header mapped to null (Map.of takes no nulls). */
    private static Map<String, String> headers(String... kv) {
        Map<String, String> h = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            h.put(kv[i], kv[i + 1]);
        }
        return h;
    }

    /** Built once; a released version is immutable, and TestJars makes the same bytes for the same headers. */
    private static byte[] unrelated;

    /** A module wired to nothing the tests deploy and needed by none of them. */
    private static synchronized byte[] unrelated() throws Exception {
        if (unrelated == null) {
            Path staging = Files.createTempDirectory(Path.of(System.getProperty("paxexam.work.dir", "target/paxexam")), "unrelated");
            unrelated = Files.readAllBytes(TestJars.jar(staging, "unrelated.jar", Map.of("Bundle-ManifestVersion", "2",
                    "Bundle-SymbolicName", UNRELATED, "Bundle-Version", "1.0.0", "Export-Package", UNRELATED)));
        }
        return unrelated;
    }

    /** The bundle that provides a package to a bundle, through its current wiring. */
    private long provider(long bundleId, String pkg) {
        BundleWiring w = context.getBundle(bundleId).adapt(BundleWiring.class);
        if (w == null) {
            return -1;
        }
        return w.getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE).stream()
                .filter(x -> pkg.equals(x.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE)))
                .map(BundleWire::getProvider).mapToLong(r -> r.getBundle().getBundleId()).findFirst().orElse(-1);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private void deployText() throws Exception {
        put("processor.jar", example("processor"));
        put("text.jar", example("text"));
        awaitActive(TEXT, null);
    }

    // ---------------------------------------------------------------- tests

    @Test
    public void droppedJarsAreDeployedAndATouchChangesNothing() throws Exception {
        deployText();
        Module text = module(TEXT).orElseThrow();
        assertTrue("deployed with its location in the directory", text.location().startsWith(dir.resolve("text.jar").toUri().toString()));
        assertEquals("HELLO", answer());
        // events are delivered asynchronously: the deploy's own STARTED may still be on its way
        await("the deploy's events delivered", () -> count(ModuleEvents.TOPIC_STARTED, TEXT) >= 1);
        Thread.sleep(200);
        events.clear();
        Files.setLastModifiedTime(dir.resolve("text.jar"), FileTime.fromMillis(System.currentTimeMillis() + 5000));
        Thread.sleep(600);
        assertEquals(text.bundleId(), module(TEXT).orElseThrow().bundleId());
        assertEquals("no module event after a touch: " + events, 0, events.stream()
                .filter(e -> e.getTopic().startsWith(ModuleEvents.TOPIC_PREFIX)).count());
    }

    @Test
    public void overwriteInPlaceUpdatesOnceAndAVersionIsAlwaysActive() throws Exception {
        deployText();
        long old = module(TEXT).orElseThrow().bundleId();
        events.clear();
        try (Watch w = new Watch(TEXT)) {
            Files.write(dir.resolve("text.jar"), text("0.2.0"));
            awaitActive(TEXT, "0.2.0");
            await("the old version retired", () -> context.getBundle(old) == null);
            Thread.sleep(300);
            w.close();
            assertEquals("samples without an ACTIVE version, of " + w.samples, 0, w.gaps.get());
        }
        assertEquals("installed once", 1, count(ModuleEvents.TOPIC_INSTALLED, TEXT));
        assertEquals(1, registry.list().stream().filter(m -> m.id().equals(TEXT)).count());
        assertEquals("HELLO", answer());
    }

    @Test
    public void aTemporaryNameRenamedIsDeployedOnceAndTheTemporaryNeverIs() throws Exception {
        put("processor.jar", example("processor"));
        Path part = dir.resolve("text.jar.part");
        Files.copy(example("text"), part);
        Thread.sleep(300);
        assertFalse("a .part file is not deployed", module(TEXT).isPresent());
        Files.move(part, dir.resolve("text.jar"), StandardCopyOption.ATOMIC_MOVE);
        awaitActive(TEXT, null);
        Thread.sleep(200);
        assertEquals(1, count(ModuleEvents.TOPIC_INSTALLED, TEXT));
        assertEquals(0, deployFailures("text.jar.part"));
    }

    @Test
    public void aSlowCopyInChunksNeverTakesTheRunningVersionDown() throws Exception {
        deployText();
        long old = module(TEXT).orElseThrow().bundleId();
        byte[] next = text("0.3.0");
        try (Watch w = new Watch(TEXT)) {
            try (OutputStream out = Files.newOutputStream(dir.resolve("text.jar"))) {
                int chunk = next.length / 4 + 1;
                for (int off = 0; off < next.length; off += chunk) {
                    out.write(next, off, Math.min(chunk, next.length - off));
                    out.flush();
                    Thread.sleep(700); // far beyond the quiet period
                    if (off + chunk < next.length) {
                        Module now = module(TEXT).orElseThrow();
                        assertEquals("the running version keeps its bundle while the file is written", old, now.bundleId());
                        assertEquals(ModuleState.ACTIVE, now.state());
                    }
                }
            }
            awaitActive(TEXT, "0.3.0");
            w.close();
            assertEquals(0, w.gaps.get());
        }
        assertEquals("a half-written file is not reported as bad", 0, deployFailures("text.jar"));
        assertEquals("HELLO", answer());
    }

    @Test
    public void aFailingUpdateIsRolledBackAndTheOldVersionKeepsAnswering() throws Exception {
        deployText();
        Module old = module(TEXT).orElseThrow();
        try (Watch w = new Watch(TEXT)) {
            Files.write(dir.resolve("text.jar"), brokenText("failing", "0.4.0"));
            await("rolled back", () -> count(ModuleEvents.TOPIC_ROLLED_BACK, TEXT) == 1);
            w.close();
            assertEquals(0, w.gaps.get());
        }
        Module now = module(TEXT).orElseThrow();
        assertEquals(old.bundleId(), now.bundleId());
        assertEquals(old.version(), now.version());
        assertEquals(ModuleState.ACTIVE, now.state());
        assertEquals("HELLO", answer());
        assertTrue(now.lastError().orElseThrow().message(), now.lastError().orElseThrow().message().contains("rolled back"));
        assertEquals("reported once", 1, deployFailures("text.jar"));
        assertEquals("the failed version is gone", 1, Arrays.stream(context.getBundles()).filter(b -> TEXT.equals(b.getSymbolicName())).count());

        // retried when the file changes again: a good version goes through
        Files.write(dir.resolve("text.jar"), text("0.5.0"));
        awaitActive(TEXT, "0.5.0");
    }

    @Test
    public void aHangingActivatorInAnUpdateTimesOutAndRollsBack() throws Exception {
        lifecycleTimeout(1500);
        deployText();
        Module old = module(TEXT).orElseThrow();
        Files.write(dir.resolve("text.jar"), brokenText("hanging", "0.6.0"));
        await("rolled back", () -> count(ModuleEvents.TOPIC_ROLLED_BACK, TEXT) == 1);
        Module now = module(TEXT).orElseThrow();
        assertEquals(old.bundleId(), now.bundleId());
        assertEquals(ModuleState.ACTIVE, now.state());
        assertTrue(now.lastError().orElseThrow().message(), now.lastError().orElseThrow().message().contains("interrupted"));
        assertEquals("HELLO", answer());
    }

    @Test
    public void badFilesAreReportedOnceAndRetriedOnlyWhenTheyChange() throws Exception {
        incompleteTimeout(500);
        try {
            put("processor.jar", example("processor"));
            Path garbage = dir.resolve("garbage.jar");
            Files.writeString(garbage, "not a jar at all");
            await("garbage reported", () -> deployFailures("garbage.jar") == 1);
            put("unresolvable.jar", example("unresolvable"));
            await("unresolvable reported", () -> deployFailures("unresolvable.jar") == 1);
            Event e = events.stream().filter(x -> String.valueOf(x.getProperty(ModuleEvents.FILE)).endsWith("unresolvable.jar"))
                    .findFirst().orElseThrow();
            assertTrue(String.valueOf(e.getProperty(ModuleEvents.ERROR)).contains("missing: package org.apache.felix.utils.version"));

            Files.setLastModifiedTime(garbage, FileTime.fromMillis(System.currentTimeMillis() + 5000));
            Thread.sleep(1200);
            assertEquals("a touch is not a change", 1, deployFailures("garbage.jar"));
            Files.writeString(garbage, "still not a jar");
            await("reported again once changed", () -> deployFailures("garbage.jar") == 2);
            assertTrue("the container goes on", module(PROCESSOR).isPresent());
        } finally {
            incompleteTimeout(10_000);
        }
    }

    @Test
    public void deletingAFileUndeploysAndTheDependentsLeftWithoutAProviderAreReported() throws Exception {
        deployText();
        DeployResult r = deployer.undeploy(PROCESSOR);
        assertEquals(DeployResult.Outcome.UNDEPLOYED, r.outcome());
        assertFalse(Files.exists(dir.resolve("processor.jar")));
        assertTrue(r.notes().toString(), r.notes().stream().anyMatch(n -> n.startsWith(TEXT) && n.contains("org.modreg.example.processor")));
        assertFalse(module(PROCESSOR).isPresent());

        Files.delete(dir.resolve("text.jar"));
        await("text undeployed by the watcher", () -> module(TEXT).isEmpty());
    }

    /**
     * A file replaced by deleting it and writing it anew (as Java's Files.copy with REPLACE_EXISTING
     * does) is an update of its module, not an undeploy and a new install: the broken next version
     * is rolled back and the module runs on, the same bundle. Seen once in CI as a timing accident.
     */
    @Test
    public void aFileDeletedAndWrittenAgainAtOnceIsAnUpdateNotAnUndeploy() throws Exception {
        deployText();
        long bundle = module(TEXT).orElseThrow().bundleId();
        long rolledBack = count(ModuleEvents.TOPIC_ROLLED_BACK, TEXT);
        Files.delete(dir.resolve("text.jar"));
        Thread.sleep(60); // longer than the quiet period: the watcher has seen the file gone
        Files.copy(example("text-broken"), dir.resolve("text.jar"));
        await("the broken update rolled back", () -> count(ModuleEvents.TOPIC_ROLLED_BACK, TEXT) > rolledBack);
        Module text = awaitActive(TEXT, "0.1.0.SNAPSHOT");
        assertEquals("the same bundle runs on", bundle, text.bundleId());
        assertEquals(1, registry.list().stream().filter(m -> m.id().equals(TEXT)).count());
    }

    @Test
    public void sameBytesTwiceAndSameVersionWithOtherBytesAreReported() throws Exception {
        deployText();
        put("copy-of-text.jar", example("text"));
        await("duplicate bytes reported", () -> deployFailures("copy-of-text.jar") == 1);
        put("other-text.jar", TestJars.rewrite(example("text"), Map.of("Bundle-Description", "other bytes, same version")));
        await("same version reported", () -> deployFailures("other-text.jar") == 1);
        String error = events.stream().filter(x -> String.valueOf(x.getProperty(ModuleEvents.FILE)).endsWith("other-text.jar"))
                .map(x -> String.valueOf(x.getProperty(ModuleEvents.ERROR))).findFirst().orElseThrow();
        assertTrue(error, error.contains("deployed already from text.jar"));
        assertEquals(1, registry.list().stream().filter(m -> m.id().equals(TEXT)).count());
    }

    /**
     * Two files of one id and version arriving together (most often in one batch, whose jars are
     * admitted before they are checked): one is installed, the other reported as a duplicate, and
     * nothing of it is left in the content store.
     */
    @Test
    public void twoFilesOfOneVersionArrivingTogetherInstallOne() throws Exception {
        put("processor.jar", example("processor"));
        awaitActive("org.modreg.example.processor", null);
        // bytes of their own, in no store before
        put("text-a.jar", TestJars.rewrite(example("text"), Map.of("Bundle-Description", "a, " + System.nanoTime())));
        put("text-b.jar", TestJars.rewrite(example("text"), Map.of("Bundle-Description", "b, " + System.nanoTime())));
        await("one of them reported", () -> deployFailures("text-a.jar") + deployFailures("text-b.jar") == 1);
        awaitActive(TEXT, null);
        assertEquals(1, registry.list().stream().filter(m -> m.id().equals(TEXT)).count());
        String error = events.stream().filter(x -> x.getTopic().equals(ModuleEvents.TOPIC_DEPLOY_FAILED))
                .map(x -> String.valueOf(x.getProperty(ModuleEvents.ERROR))).filter(x -> x.contains("text-")).findFirst().orElseThrow();
        assertTrue(error, error.contains("already"));
        String refused = deployFailures("text-a.jar") == 1 ? "text-a.jar" : "text-b.jar";
        String digest = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(dir.resolve(refused))));
        assertFalse("the refused bytes are not stored", Files.exists(Path.of(context.getProperty("modreg.data"), "content", digest + ".jar")));
    }

    /**
     * A jar whose provider is still on its way waits (unreported) for it, and is deployed once the
     * provider arrives in a later batch. (The files it waited in were once left pending for ever:
     * the batch that installed the provider observed them again from inside the watcher's tick.)
     */
    @Test
    public void aJarWaitingForItsProviderIsDeployedWhenTheProviderArrives() throws Exception {
        put("text.jar", example("text"));
        Thread.sleep(150); // a batch of its own, shorter than the grace period before it would be reported
        assertFalse(module(TEXT).isPresent());
        put("processor.jar", example("processor"));
        awaitActive(PROCESSOR, null);
        awaitActive(TEXT, null);
        assertEquals(0, deployFailures("text.jar"));

        // a failing update of it later is rolled back and reported once; a touch does not try it again
        // (the retry it was given when its provider came was once left over for its next file)
        Files.write(dir.resolve("text.jar"), TestJars.rewrite(example("failing"),
                headers("Bundle-SymbolicName", TEXT, "Bundle-Version", "0.2.0")));
        await("rolled back", () -> count(ModuleEvents.TOPIC_ROLLED_BACK, TEXT) == 1 && deployFailures("text.jar") == 1);
        Files.setLastModifiedTime(dir.resolve("text.jar"), FileTime.fromMillis(System.currentTimeMillis() + 5000));
        Thread.sleep(1200);
        assertEquals("a touch is not a change", 1, deployFailures("text.jar"));
        assertEquals("nor rolled back again", 1, count(ModuleEvents.TOPIC_ROLLED_BACK, TEXT));
    }

    /** The deploy directory removed: its modules are undeployed; made again: it is watched again. */
    @Test
    public void theDeployDirectoryRemovedAndMadeAgainIsWatchedAgain() throws Exception {
        put("processor.jar", example("processor"));
        long first = awaitActive(PROCESSOR, null).bundleId();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
        await("undeployed with its directory", () -> context.getBundle(first) == null);
        Files.createDirectories(dir);
        put("processor.jar", example("processor"));
        assertTrue("installed again", awaitActive(PROCESSOR, null).bundleId() != first);
    }

    @Test
    public void aHundredFilesAtOnceAllBecomeActive() throws Exception {
        Path staging = Files.createTempDirectory(Path.of(System.getProperty("paxexam.work.dir", "target/paxexam")), "hundred");
        List<Path> jars = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Map<String, String> h = new HashMap<>();
            h.put("Bundle-ManifestVersion", "2");
            h.put("Bundle-SymbolicName", "hundred.m" + i);
            h.put("Bundle-Version", "1.0.0");
            h.put("Export-Package", "hundred.p" + i);
            if (i > 0) {
                h.put("Import-Package", "hundred.p" + (i - 1)); // each needs the one before: the batch is checked together
            }
            jars.add(TestJars.jar(staging, "m" + i + ".jar", h));
        }
        java.util.Collections.reverse(jars); // the last one's provider arrives last
        for (Path j : jars) {
            Files.move(j, dir.resolve(j.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        }
        // a generous bound on 2 busy cores: the time it takes is DeployBench's business
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (activeHundred() < 100 && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        if (activeHundred() < 100) {
            // what was left, and how, to tell a stall of the directory from a slow machine
            List<String> left = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String id = "hundred.m" + i;
                Module m = registry.list().stream().filter(x -> x.id().equals(id)).findFirst().orElse(null);
                if (m == null || m.state() != ModuleState.ACTIVE) {
                    left.add(id + "=" + (m == null ? "not installed" : m.state() + " bundle " + m.bundleId() + " framework state "
                            + context.getBundle(m.bundleId()).getState() + " errors " + m.errors()));
                }
            }
            fail("not ACTIVE after 60 s: " + left + "; files: " + Files.list(dir).count() + "; deploy events: "
                    + events.stream().filter(x -> x.getTopic().startsWith(ModuleEvents.DEPLOY_TOPIC_PREFIX))
                            .map(x -> x.getTopic() + " " + x.getProperty(ModuleEvents.FILE) + " " + x.getProperty(ModuleEvents.ERROR)
                                    + " " + x.getProperty(ModuleEvents.DONE) + "/" + x.getProperty(ModuleEvents.TOTAL)).toList());
        }
        assertEquals(0, events.stream().filter(e -> e.getTopic().equals(ModuleEvents.TOPIC_DEPLOY_FAILED)).count());
        // progress: the watcher takes the files in one batch or a few; each of ten or more reports its start,
        // tenths and end (posted asynchronously: wait for every batch's end)
        await("every batch's progress ends", () -> progress(0).size() > 0 && progress(0).size() == progressEnds().size(), 10);
        for (Event end : progressEnds()) {
            assertEquals(0, end.getProperty(ModuleEvents.FAILED_COUNT));
            assertTrue((Integer) end.getProperty(ModuleEvents.TOTAL) >= 10);
        }
        assertTrue("tenths reported", events.stream().anyMatch(e -> e.getTopic().equals(ModuleEvents.TOPIC_DEPLOY_PROGRESS)
                && (Integer) e.getProperty(ModuleEvents.DONE) > 0
                && (Integer) e.getProperty(ModuleEvents.DONE) < (Integer) e.getProperty(ModuleEvents.TOTAL)));
    }

    private long activeHundred() {
        return registry.list().stream().filter(m -> m.id().startsWith("hundred.") && m.state() == ModuleState.ACTIVE).count();
    }

    /** Progress events with this many files done. */
    private List<Event> progress(int done) {
        return events.stream().filter(e -> e.getTopic().equals(ModuleEvents.TOPIC_DEPLOY_PROGRESS)
                && e.getProperty(ModuleEvents.DONE).equals(done)).toList();
    }

    private List<Event> progressEnds() {
        return events.stream().filter(e -> e.getTopic().equals(ModuleEvents.TOPIC_DEPLOY_PROGRESS)
                && e.getProperty(ModuleEvents.FAILED_COUNT) != null).toList();
    }

    @Test
    public void aDryRunPrintsThePlanAndTouchesNothing() throws Exception {
        deployText();
        int count = context.getBundles().length;
        DeployPlan install = deployer.plan(ModuleSource.of(example("markdown")));
        assertEquals(DeployPlan.Kind.INSTALL, install.actions().get(0).kind());
        Path next = Files.createTempFile(Path.of(System.getProperty("paxexam.work.dir", "target/paxexam")), "text", ".jar");
        Files.write(next, text("0.7.0"));
        Path named = next.resolveSibling("text.jar");
        Files.move(next, named, StandardCopyOption.REPLACE_EXISTING);
        DeployPlan update = deployer.plan(ModuleSource.of(named));
        assertEquals(update.describe(), DeployPlan.Kind.UPDATE, update.actions().get(0).kind());
        assertEquals(count, context.getBundles().length);
        assertEquals("0.1.0.SNAPSHOT", module(TEXT).orElseThrow().version().toString());

        DeployResult r = deployer.deploy(ModuleSource.of(named));
        assertEquals(r.message(), DeployResult.Outcome.UPDATED, r.outcome());
        assertEquals("0.7.0", r.module().version().toString());
    }

    /** A jar given to deploy that is no bundle is refused before it lands: the deployed file and its module stay. */
    @Test
    public void deployingANonBundleOverADeployedFileTouchesNothing() throws Exception {
        deployText();
        Module running = module(TEXT).orElseThrow();
        byte[] deployedBytes = Files.readAllBytes(dir.resolve("text.jar"));
        Path bad = Files.createTempDirectory(Path.of(System.getProperty("paxexam.work.dir", "target/paxexam")), "bad")
                .resolve("text.jar");
        Files.write(bad, "half a jar".getBytes(StandardCharsets.UTF_8));

        InvalidModuleException e = assertThrows(InvalidModuleException.class, () -> deployer.deploy(ModuleSource.of(bad)));
        assertTrue(e.getMessage(), e.getMessage().startsWith(bad + ": not a zip or jar archive"));
        assertTrue("the deployed file is the same", Arrays.equals(deployedBytes, Files.readAllBytes(dir.resolve("text.jar"))));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals("nothing left behind", List.of("processor.jar", "text.jar"),
                    files.map(f -> f.getFileName().toString()).sorted().toList());
        }
        Module after = module(TEXT).orElseThrow();
        assertEquals(running.bundleId(), after.bundleId());
        assertEquals(ModuleState.ACTIVE, after.state());
    }

    @Test
    public void anUpdateThatWouldBreakAConsumerIsRefusedReportedOnceAndKeptInTheErrorHistory() throws Exception {
        deployText();
        Module old = module(PROCESSOR).orElseThrow();
        long text = module(TEXT).orElseThrow().bundleId();
        // the new version no longer exports the package the text plugin imports
        Files.write(dir.resolve("processor.jar"), TestJars.rewrite(example("processor"),
                headers("Bundle-Version", "0.3.0", "Export-Package", null)));
        await("the update refused", () -> deployFailures("processor.jar") == 1);
        String error = error(failures("processor.jar").get(0));
        assertTrue(error, error.startsWith("update of " + old.ref() + " refused, the running version stays: "));
        assertTrue("names the consumer it would break: " + error, error.contains(TEXT + " 0.1.0.SNAPSHOT"));

        Module now = module(PROCESSOR).orElseThrow();
        assertEquals(old.bundleId(), now.bundleId());
        assertEquals(old.version(), now.version());
        assertEquals(ModuleState.ACTIVE, now.state());
        assertEquals("nothing installed beside it", 1, Arrays.stream(context.getBundles())
                .filter(b -> PROCESSOR.equals(b.getSymbolicName())).count());
        assertEquals(ModuleState.ACTIVE, registry.get(text).orElseThrow().state());
        assertEquals("HELLO", answer());
        List<ModuleError> refusals = now.errors().stream().filter(x -> x.message().contains("refused")).toList();
        assertEquals("in the module's error history: " + now.errors(), 1, refusals.size());
        assertEquals("update", refusals.get(0).operation());
        assertEquals("processor.jar: " + error, refusals.get(0).message());

        Files.setLastModifiedTime(dir.resolve("processor.jar"), FileTime.fromMillis(System.currentTimeMillis() + 5000));
        Thread.sleep(1200);
        assertEquals("a touch is not reported again", 1, deployFailures("processor.jar"));
        assertEquals("nor recorded again", 1, module(PROCESSOR).orElseThrow().errors().stream()
                .filter(x -> x.message().contains("refused")).count());
        assertEquals(0, count(ModuleEvents.TOPIC_ROLLED_BACK, PROCESSOR));
    }

    @Test
    public void anUpdateRefreshesTheModulesWiredToItAndNoOther() throws Exception {
        deployText();
        put("unrelated.jar", unrelated());
        long unrelated = awaitActive(UNRELATED, null).bundleId();
        long text = module(TEXT).orElseThrow().bundleId();
        long old = module(PROCESSOR).orElseThrow().bundleId();
        String pkg = "org.modreg.example.processor";
        assertEquals(old, provider(text, pkg));
        Thread.sleep(200); // a bundle event of the deploys may still be on its way to this listener
        bundleEvents.clear();

        Files.write(dir.resolve("processor.jar"), TestJars.rewrite(example("processor"), Map.of("Bundle-Version", "0.2.0")));
        long fresh = awaitActive(PROCESSOR, "0.2.0").bundleId();
        assertTrue("a new version beside the old one", fresh != old);
        await("the text plugin wired to the new version and started", () -> provider(text, pkg) == fresh
                && types(bundleEvents(text)).endsWith("STARTED]"));
        await("the old version retired", () -> context.getBundle(old) == null);

        assertEquals("the consumer was refreshed", "[STOPPING, STOPPED, UNRESOLVED, RESOLVED, STARTING, STARTED]",
                types(bundleEvents(text)));
        // the registry's listener is synchronous too, but the framework may call this test's first
        await("the same consumer bundle, refreshed, ACTIVE in the registry",
                () -> registry.get(text).orElseThrow().state() == ModuleState.ACTIVE);
        assertEquals("the unrelated module is not touched", "[]", types(bundleEvents(unrelated)));
        assertEquals(Bundle.ACTIVE, context.getBundle(unrelated).getState());
        assertEquals("HELLO", answer());
    }

    @Test
    public void aFailingUpdateOfASingletonIsUpdatedInPlaceAndRolledBackToTheOldBytes() throws Exception {
        // a singleton cannot run beside its new version: the update stops it, and a failure puts the old bytes back
        String bsn = SINGLE + ";singleton:=true";
        byte[] good = TestJars.rewrite(example("failing"), headers("Bundle-SymbolicName", bsn, "Bundle-Version", "1.0.0",
                "Bundle-Activator", null));
        put("single.jar", good);
        Module old = awaitActive(SINGLE, "1.0.0");
        assertEquals(sha256(good), old.content().digest());

        Files.write(dir.resolve("single.jar"), TestJars.rewrite(example("failing"),
                headers("Bundle-SymbolicName", bsn, "Bundle-Version", "2.0.0")));
        await("rolled back", () -> count(ModuleEvents.TOPIC_ROLLED_BACK, SINGLE) == 1);
        await("reported", () -> deployFailures("single.jar") == 1);
        Module now = awaitActive(SINGLE, "1.0.0");
        assertEquals("updated in place, not beside", old.bundleId(), now.bundleId());
        assertEquals("the old bytes are back", sha256(good), now.content().digest());
        Bundle b = context.getBundle(now.bundleId());
        assertEquals("1.0.0", b.getVersion().toString());
        assertEquals("the framework runs the old bytes: no activator", null, b.getHeaders().get("Bundle-Activator"));
        assertEquals(1, Arrays.stream(context.getBundles()).filter(x -> SINGLE.equals(x.getSymbolicName())).count());
        String last = now.lastError().orElseThrow().message();
        assertTrue(last, last.contains("rolled back") && last.contains("the failing example refuses to start, on purpose"));
        assertTrue(error(failures("single.jar").get(0)), error(failures("single.jar").get(0)).contains("rolled back"));
        Thread.sleep(600);
        assertEquals("reported once", 1, deployFailures("single.jar"));
    }

    @Test
    public void newFilesWithAThrowingOrHangingActivatorAreReportedOnceAndRetriedWhenChanged() throws Exception {
        lifecycleTimeout(1500);
        put("processor.jar", example("processor"));
        long processor = awaitActive(PROCESSOR, null).bundleId();
        Thread.sleep(200);
        bundleEvents.clear();

        put("failing.jar", example("failing"));
        await("the failing one reported", () -> deployFailures("failing.jar") == 1);
        assertTrue(error(failures("failing.jar").get(0)), error(failures("failing.jar").get(0))
                .contains("the failing example refuses to start, on purpose"));
        Module failing = module(FAILING).orElseThrow();
        assertEquals("left installed, FAILED", ModuleState.FAILED, failing.state());

        put("hanging.jar", example("hanging"));
        await("the hanging one reported", () -> deployFailures("hanging.jar") == 1);
        assertTrue(error(failures("hanging.jar").get(0)), error(failures("hanging.jar").get(0))
                .contains("start did not finish within 1500 ms and was interrupted"));
        // its start was interrupted: it unwinds to RESOLVED, and the module stays installed, FAILED
        long hanging = module(HANGING).orElseThrow().bundleId();
        // the framework's state changes before its listeners (the registry's among them) hear of it
        await("the hung start unwound", () -> context.getBundle(hanging).getState() == Bundle.RESOLVED
                && registry.get(hanging).orElseThrow().state() == ModuleState.FAILED);
        assertTrue(registry.get(hanging).orElseThrow().lastError().orElseThrow().message().contains("did not finish within 1500 ms"));

        Files.setLastModifiedTime(dir.resolve("failing.jar"), FileTime.fromMillis(System.currentTimeMillis() + 5000));
        Files.setLastModifiedTime(dir.resolve("hanging.jar"), FileTime.fromMillis(System.currentTimeMillis() + 5000));
        Thread.sleep(1200);
        assertEquals("a touch is not a change", 1, deployFailures("failing.jar"));
        assertEquals("a touch is not a change", 1, deployFailures("hanging.jar"));
        assertEquals(failing.bundleId(), module(FAILING).orElseThrow().bundleId());
        assertEquals(ModuleState.FAILED, module(HANGING).orElseThrow().state());

        // the container goes on, and the other modules are not touched
        assertEquals(Bundle.ACTIVE, context.getBundle(0).getState());
        assertEquals(ModuleState.ACTIVE, registry.get(processor).orElseThrow().state());
        assertEquals("[]", types(bundleEvents(processor)));

        // changed, still broken: tried and reported again; its previous bytes are put back, FAILED as they were
        Files.write(dir.resolve("failing.jar"), TestJars.rewrite(example("failing"), Map.of("Bundle-Version", "0.2.0")));
        await("the changed failing one reported again", () -> deployFailures("failing.jar") == 2);
        assertTrue(error(failures("failing.jar").get(1)), error(failures("failing.jar").get(1)).contains("rolled back")
                && error(failures("failing.jar").get(1)).contains("the failing example refuses to start, on purpose"));
        Module back = module(FAILING).orElseThrow();
        assertEquals(failing.bundleId(), back.bundleId());
        assertEquals(failing.version(), back.version());
        assertEquals(failing.content().digest(), back.content().digest());
        assertEquals(ModuleState.FAILED, back.state());

        // changed and fixed: tried, and it runs
        Files.write(dir.resolve("hanging.jar"), TestJars.rewrite(example("hanging"),
                headers("Bundle-Version", "0.2.0", "Bundle-Activator", null)));
        Module fixed = awaitActive(HANGING, "0.2.0");
        assertEquals(hanging, fixed.bundleId());
        assertEquals(1, deployFailures("hanging.jar"));
        assertEquals(ModuleState.ACTIVE, registry.get(processor).orElseThrow().state());
        assertEquals("[]", types(bundleEvents(processor)));
    }

    @Test
    public void aDryRunOfTheDirectoryPlansUpdateRefreshAndUninstallWithReasonsAndTouchesNothing() throws Exception {
        deployText();
        put("unrelated.jar", unrelated());
        long unrelated = awaitActive(UNRELATED, null).bundleId();
        Module processor = module(PROCESSOR).orElseThrow();
        Module text = module(TEXT).orElseThrow();
        // the watcher would apply the changes at once: without it, the directory stays ahead of the modules
        configure(Map.of("watch", false, "poll.interval", 3_600_000L), "watch", false);
        try {
            // the injected service is the view of the deployer that was just replaced
            await("the reconfigured deployer's service", () -> context.getServiceReference(ModuleDeployer.class) != null);
            ModuleDeployer deployer = context.getService(context.getServiceReference(ModuleDeployer.class));
            deployer.scan(); // its first look is over: the changes below wait for the next
            byte[] next = TestJars.rewrite(example("processor"), Map.of("Bundle-Version", "0.4.0"));
            Files.write(dir.resolve("processor.jar"), next);
            Files.delete(dir.resolve("unrelated.jar"));
            int bundles = context.getBundles().length;
            bundleEvents.clear();

            DeployPlan plan = deployer.plan();
            assertEquals(plan.describe(), List.of(
                    new DeployPlan.Action(DeployPlan.Kind.UPDATE, "processor.jar", processor.ref() + " -> 0.4.0",
                            "the file changed; the new version resolves"),
                    new DeployPlan.Action(DeployPlan.Kind.REFRESH, "", TEXT + " 0.1.0.SNAPSHOT",
                            "wired to it for package org.modreg.example.processor"),
                    new DeployPlan.Action(DeployPlan.Kind.NONE, "text.jar", text.ref(), "deployed already, the same bytes"),
                    new DeployPlan.Action(DeployPlan.Kind.UNINSTALL, "unrelated.jar", UNRELATED + "/1.0.0", "its file is gone")),
                    plan.actions());

            Thread.sleep(300);
            assertEquals("no bundle changed", "[]", types(bundleEvents));
            assertEquals(bundles, context.getBundles().length);
            Module p = module(PROCESSOR).orElseThrow();
            assertEquals(processor.bundleId(), p.bundleId());
            assertEquals(processor.version(), p.version());
            assertEquals(ModuleState.ACTIVE, p.state());
            assertEquals(ModuleState.ACTIVE, registry.get(unrelated).orElseThrow().state());
            assertEquals(text.bundleId(), module(TEXT).orElseThrow().bundleId());
            assertTrue(Arrays.equals(next, Files.readAllBytes(dir.resolve("processor.jar"))));
            assertFalse(Files.exists(dir.resolve("unrelated.jar")));
        } finally {
            configure(Map.of("watch", true), "watch", true);
        }
        // the plan was right: reconciled at the deployer's start, the directory does just that
        awaitActive(PROCESSOR, "0.4.0");
        await("the unrelated module undeployed", () -> module(UNRELATED).isEmpty());
        assertEquals(text.bundleId(), awaitActive(TEXT, null).bundleId());
    }

    @Test
    public void withoutFileSystemEventsThePollingFallbackDeploys() throws Exception {
        configure(Map.of("watch", false, "poll.interval", 200L), "watch", false);
        try {
            deployText();
            Files.delete(dir.resolve("text.jar"));
            await("undeployed by polling", () -> module(TEXT).isEmpty());
        } finally {
            configure(Map.of("watch", true), "watch", true);
        }
    }

    @Test
    public void subDirectoriesAreDeployedOnlyWhenConfigured() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("team-a"));
        try {
            put("processor.jar", example("processor"));
            Files.copy(example("text"), sub.resolve(".text.jar.tmp"));
            Files.move(sub.resolve(".text.jar.tmp"), sub.resolve("text.jar"), StandardCopyOption.ATOMIC_MOVE);
            Thread.sleep(500);
            assertFalse("not recursive by default", module(TEXT).isPresent());
            configure(Map.of("recursive", true), "recursive", true);
            awaitActive(TEXT, null);
            assertTrue(module(TEXT).orElseThrow().location().contains("/team-a/text.jar"));
            Files.delete(sub.resolve("text.jar"));
            await("undeployed from the sub-directory", () -> module(TEXT).isEmpty());
        } finally {
            configure(Map.of("recursive", false), "recursive", false);
            Files.deleteIfExists(sub.resolve("text.jar"));
            Files.deleteIfExists(sub);
        }
    }

    @Test
    public void aZipWithoutAManifestIsReportedWithItsName() throws Exception {
        put("nomanifest.jar", Files.readAllBytes(TestJars.zipWithoutManifest(
                Files.createTempDirectory(Path.of(System.getProperty("paxexam.work.dir", "target/paxexam")), "zip"), "x.jar")));
        await("reported", () -> deployFailures("nomanifest.jar") == 1);
        String error = events.stream().filter(x -> String.valueOf(x.getProperty(ModuleEvents.FILE)).endsWith("nomanifest.jar"))
                .map(x -> String.valueOf(x.getProperty(ModuleEvents.ERROR))).findFirst().orElseThrow();
        assertTrue(error, error.contains("no manifest"));
    }

    private void configure(Map<String, Object> values, String key, Object expected) throws Exception {
        ServiceReference<ConfigurationAdmin> ref = context.getServiceReference(ConfigurationAdmin.class);
        org.osgi.service.cm.Configuration c = context.getService(ref).getConfiguration(DEPLOY_PID, "?");
        Dictionary<String, Object> props = new Hashtable<>(values);
        c.update(props);
        await("deployer reconfigured", () -> expected.equals(deployerProperty(key)));
        dir = deployer.directory();
    }

    private void incompleteTimeout(long millis) throws Exception {
        ServiceReference<ConfigurationAdmin> ref = context.getServiceReference(ConfigurationAdmin.class);
        assertNotNull(ref);
        org.osgi.service.cm.Configuration c = context.getService(ref).getConfiguration(DEPLOY_PID, "?");
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("incomplete.timeout", millis);
        c.update(props);
        await("deployer reconfigured", () -> Long.valueOf(millis).equals(deployerProperty("incomplete.timeout")));
    }

    /**
     * A configuration property of the deployer component, as DS publishes it on the component's
     * own service (the ModuleDeployer service is a view per bundle, without them).
     */
    private Object deployerProperty(String key) {
        try {
            ServiceReference<?>[] r = context.getServiceReferences((String) null, "(component.name=org.modreg.core.deploy.Deployer)");
            return r == null ? null : r[0].getProperty(key);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
