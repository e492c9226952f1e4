package org.modreg.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.modreg.api.DuplicateModuleException;
import org.modreg.api.InstallOption;
import org.modreg.api.InvalidModuleException;
import org.modreg.api.LifecycleException;
import org.modreg.api.ModuleEvents;
import org.modreg.api.ModuleNotFoundException;
import org.modreg.api.ModuleSource;
import org.modreg.api.ModuleState;
import org.modreg.api.ModuleTimeoutException;
import org.modreg.api.UnresolvableModuleException;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.ServiceInfo;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/** The registry service in a real Felix: reflection of the framework, lifecycle, events, bad input. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RegistryIT extends ModregTestSupport {

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private ServiceRegistration<EventHandler> handler;
    private Set<Long> before;
    private Path jars;

    @Before
    public void setUp() throws Exception {
        before = new HashSet<>();
        for (Bundle b : context.getBundles()) {
            before.add(b.getBundleId());
        }
        handler = context.registerService(EventHandler.class, events::add,
                new java.util.Hashtable<>(Map.of(EventConstants.EVENT_TOPIC, ModuleEvents.TOPIC_ALL)));
        jars = Files.createDirectories(Path.of(System.getProperty("paxexam.work.dir", "target/paxexam"), "jars-registry"));
    }

    @After
    public void tearDown() throws Exception {
        handler.unregister();
        List<Bundle> added = new java.util.ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (!before.contains(b.getBundleId())) {
                added.add(b);
            }
        }
        for (Bundle b : added) {
            try {
                b.uninstall();
            } catch (Exception e) {
                // a hanging activator may still hold it; the framework is thrown away after the class
            }
        }
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(null, e -> done.countDown());
        done.await(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    /**
     * The API services are registered under API types only: the framework hides a service from a
     * bundle that sees one of its classes differently, so an implementation class beside the API
     * interface hid the service from a host with its own copy of the core's classes.
     */
    @Test
    public void apiServicesAreRegisteredUnderApiTypesOnly() throws Exception {
        Bundle core = java.util.Arrays.stream(context.getBundles()).filter(b -> "org.modreg.core".equals(b.getSymbolicName()))
                .findFirst().orElseThrow();
        int api = 0;
        for (org.osgi.framework.ServiceReference<?> ref : core.getRegisteredServices()) {
            List<String> types = List.of((String[]) ref.getProperty(org.osgi.framework.Constants.OBJECTCLASS));
            if (types.stream().anyMatch(t -> t.startsWith("org.modreg.api."))) {
                api++;
                assertTrue(types.toString(), types.stream().noneMatch(t -> t.startsWith("org.modreg.core.")));
            }
        }
        assertTrue("the registry, wiring, deployer, statistics, audit, history and lifecycle services: " + api, api >= 7);
    }

    /**
     * The core exports nothing: its packages are its own, and the helpers copied into it (felix
     * utils, bnd's baselining) stay inside. bnd exported the annotation packages of bnd it copied in.
     */
    @Test
    public void theCoreExportsNoPackage() throws Exception {
        Bundle core = java.util.Arrays.stream(context.getBundles()).filter(b -> "org.modreg.core".equals(b.getSymbolicName()))
                .findFirst().orElseThrow();
        List<String> exported = core.adapt(org.osgi.framework.wiring.BundleRevision.class)
                .getDeclaredCapabilities(org.osgi.framework.namespace.PackageNamespace.PACKAGE_NAMESPACE).stream()
                .map(c -> String.valueOf(c.getAttributes().get(org.osgi.framework.namespace.PackageNamespace.PACKAGE_NAMESPACE)))
                .toList();
        assertEquals(List.of(), exported);
    }

    @Test
    public void everyBundleOfTheFrameworkIsAModule() {
        List<Module> modules = registry.list();
        assertEquals(context.getBundles().length, modules.size());
        Module system = registry.get(0).orElseThrow();
        assertEquals("framework", system.type());
        assertEquals(ModuleState.ACTIVE, system.state());
        Module core = registry.get("org.modreg.core");
        assertEquals(ModuleState.ACTIVE, core.state());
        assertTrue("core registers the registry service", core.services().stream()
                .anyMatch(s -> s.objectClass().contains("org.modreg.api.ModuleRegistry")));
    }

    @Test
    public void followsBundlesInstalledDirectlyThroughTheFramework() throws Exception {
        Bundle b = context.installBundle(example("processor").toUri().toString());
        Module m = registry.get(b.getBundleId()).orElseThrow();
        assertEquals("org.modreg.example.processor", m.id());
        assertEquals(ModuleState.INSTALLED, m.state());
        assertEquals("library", m.type());
        assertTrue("exports its package", m.capabilities().stream().anyMatch(c -> c.namespace().equals("osgi.wiring.package")
                && "org.modreg.example.processor".equals(c.attributes().get("osgi.wiring.package"))));

        b.start();
        assertEquals(ModuleState.ACTIVE, registry.get(b.getBundleId()).orElseThrow().state());
        b.stop();
        assertEquals(ModuleState.STOPPED, registry.get(b.getBundleId()).orElseThrow().state());
        await("digest of a bundle installed by other means", () -> registry.get(b.getBundleId()).orElseThrow().content().isKnown());
        b.uninstall();
        assertTrue(registry.get(b.getBundleId()).isEmpty());
        assertThrows(ModuleNotFoundException.class, () -> registry.get("org.modreg.example.processor"));
    }

    @Test
    public void fullLifecycleThroughTheApi() throws Exception {
        Module api = registry.install(ModuleSource.of(example("processor")));
        assertEquals(ModuleState.INSTALLED, api.state());
        Module text = registry.install(ModuleSource.of(example("text")), InstallOption.START);
        assertEquals(ModuleState.ACTIVE, text.state());
        assertEquals("plugin", text.type());
        assertEquals(List.of("text", "plugin"), text.tags());
        assertTrue(text.keywords().contains("processing"));
        assertTrue(text.content().isKnown());
        assertTrue(Files.isRegularFile(Path.of(text.content().stored())));
        assertTrue("generic capability", text.capabilities().stream().anyMatch(c -> c.namespace().equals("modreg.capability")
                && "text-processing".equals(c.attributes().get("modreg.capability"))));
        ServiceInfo service = registry.get(text.ref()).services().stream()
                .filter(s -> s.objectClass().contains("org.modreg.example.processor.DataProcessor")).findFirst().orElseThrow();
        assertEquals(List.of("text-processing"), service.properties().get("modreg.capability"));

        assertEquals(ModuleState.STOPPED, registry.stop(text.ref()).state());
        assertTrue("services go with the stop", registry.get(text.ref()).services().isEmpty());
        assertEquals(ModuleState.ACTIVE, registry.start(Long.toString(text.bundleId())).state());
        Module updated = registry.update(text.ref());
        assertEquals(ModuleState.ACTIVE, updated.state());
        assertEquals(text.bundleId(), updated.bundleId());

        Module gone = registry.uninstall(text.ref());
        assertEquals(ModuleState.UNINSTALLED, gone.state());
        assertTrue(registry.get(text.bundleId()).isEmpty());

        await("events", () -> topics().containsAll(List.of("INSTALLED", "RESOLVED", "STARTED", "STOPPED", "UPDATED", "UNINSTALLED")));
        Event installed = events.stream().filter(e -> e.getTopic().equals(ModuleEvents.TOPIC_INSTALLED)
                && "org.modreg.example.text".equals(e.getProperty(ModuleEvents.MODULE_ID))).findFirst().orElseThrow();
        assertEquals("0.1.0.SNAPSHOT", installed.getProperty(ModuleEvents.MODULE_VERSION));
        assertEquals(text.bundleId(), installed.getProperty(ModuleEvents.BUNDLE_ID));
        assertNotNull(installed.getProperty(ModuleEvents.MODULE_STATE));
    }

    @Test
    public void installFromAStream() throws Exception {
        byte[] bytes = Files.readAllBytes(example("processor"));
        Module m = registry.install(ModuleSource.of("processor-from-memory", new ByteArrayInputStream(bytes)));
        assertEquals("stream:processor-from-memory", m.location());
        assertEquals(bytes.length, m.content().size());
        LifecycleException e = assertThrows(LifecycleException.class, () -> registry.update(m.ref()));
        assertTrue(e.getMessage(), e.getMessage().contains("installed from a stream"));
    }

    @Test
    public void installFromAUrlAndRefresh() throws Exception {
        // a jar: URL, read through java.net.URL like any remote location
        Path zip = jars.resolve("plugins.zip");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new java.util.zip.ZipEntry("processor.jar"));
            Files.copy(example("processor"), out);
            out.closeEntry();
        }
        java.net.URI url = java.net.URI.create("jar:" + zip.toUri() + "!/processor.jar");
        Module api = registry.install(ModuleSource.parse(url.toString()));
        assertEquals(url.toString(), api.location());
        Module text = registry.install(ModuleSource.of(example("text")), InstallOption.START);

        // updating the API leaves text wired to the old revision until a refresh
        registry.update(api.ref());
        List<String> refreshed = registry.refresh(api.ref()).stream().map(Module::id).toList();
        assertTrue(refreshed.toString(), refreshed.containsAll(List.of("org.modreg.example.processor", "org.modreg.example.text")));
        assertEquals(ModuleState.ACTIVE, registry.get(text.ref()).state());
        assertTrue("nothing pending", registry.refresh().isEmpty());
    }

    @Test
    public void configurationIsDescribedByMetatype() {
        Bundle core = context.getBundle(registry.get("org.modreg.core").bundleId());
        org.osgi.service.metatype.MetaTypeService metatype = context.getService(
                context.getServiceReference(org.osgi.service.metatype.MetaTypeService.class));
        org.osgi.service.metatype.ObjectClassDefinition ocd = metatype.getMetaTypeInformation(core)
                .getObjectClassDefinition(PID, null);
        List<String> ids = java.util.Arrays.stream(ocd.getAttributeDefinitions(org.osgi.service.metatype.ObjectClassDefinition.ALL))
                .map(org.osgi.service.metatype.AttributeDefinition::getID).toList();
        assertEquals(List.of("lifecycle.timeout", "error.history.size", "content.store"), ids);
    }

    @Test
    public void throwingActivatorLeavesTheModuleFailedWithTheReason() throws Exception {
        LifecycleException e = assertThrows(LifecycleException.class,
                () -> registry.install(ModuleSource.of(example("failing")), InstallOption.START));
        assertTrue(e.getMessage(), e.getMessage().contains("org.modreg.example.failing"));
        assertTrue(e.getMessage(), e.getMessage().contains("refuses to start, on purpose"));
        Module m = registry.get("org.modreg.example.failing");
        assertEquals(ModuleState.FAILED, m.state());
        assertEquals("start", m.lastError().orElseThrow().operation());
        assertTrue(m.lastError().orElseThrow().message().contains("IllegalStateException"));
        await("FAILED event", () -> topics().contains("FAILED"));
        Event failed = events.stream().filter(ev -> ev.getTopic().equals(ModuleEvents.TOPIC_FAILED)).findFirst().orElseThrow();
        assertEquals("start", failed.getProperty(ModuleEvents.OPERATION));
        assertTrue(String.valueOf(failed.getProperty(ModuleEvents.ERROR)).contains("refuses to start"));
    }

    @Test
    public void unresolvableModuleSaysWhatIsMissing() throws Exception {
        registry.install(ModuleSource.of(example("processor")));
        int count = registry.list().size();
        UnresolvableModuleException refused = assertThrows(UnresolvableModuleException.class,
                () -> registry.install(ModuleSource.of(example("unresolvable"))));
        assertTrue(refused.getMessage(), refused.getMessage().contains("missing: package org.apache.felix.utils.version"));
        assertEquals("refused: nothing installed", count, registry.list().size());
        // the bytes were committed before the check, and released when it refused them
        Path stored = Path.of(context.getProperty("modreg.data"), "content",
                java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(Files.readAllBytes(example("unresolvable")))) + ".jar");
        assertFalse("refused: nothing stored, " + stored, Files.exists(stored));

        Module m = registry.install(ModuleSource.of(example("unresolvable")), InstallOption.FORCE);
        assertTrue("a forced install stores the bytes", Files.exists(stored));
        assertEquals("a forced install records what the check found", "check", m.lastError().orElseThrow().operation());
        LifecycleException e = assertThrows(LifecycleException.class, () -> registry.start(m.ref()));
        assertTrue(e.getMessage(), e.getMessage().contains("needs package org.apache.felix.utils.version"));
        assertEquals(ModuleState.FAILED, registry.get(m.ref()).state());
    }

    /** Regression: a forced install stayed FAILED once its provider came, until a restart, though a check said it resolved. */
    @Test
    public void aForcedInstallResolvesOnceItsMissingProviderArrives() throws Exception {
        Path consumer = TestJars.jar(jars, "late-consumer.jar", Map.of("Bundle-ManifestVersion", "2",
                "Bundle-SymbolicName", "test.late.consumer", "Bundle-Version", "1.0.0", "Import-Package", "test.late.api"));
        Module m = registry.install(ModuleSource.of(consumer), InstallOption.FORCE);
        assertEquals(ModuleState.FAILED, m.state());
        assertEquals("check", m.lastError().orElseThrow().operation());
        registry.install(ModuleSource.of(TestJars.jar(jars, "late-provider.jar", Map.of("Bundle-ManifestVersion", "2",
                "Bundle-SymbolicName", "test.late.provider", "Bundle-Version", "1.0.0", "Export-Package", "test.late.api"))));
        await("the forced module resolved", () -> registry.get(m.ref()).state() == ModuleState.RESOLVED);
        org.modreg.api.ModuleWiring wiring = context.getService(context.getServiceReference(org.modreg.api.ModuleWiring.class));
        assertTrue("its check agrees", wiring.check(m.ref()).resolvable());
    }

    @Test
    public void hangingActivatorTimesOutAndTheRegistryGoesOn() throws Exception {
        lifecycleTimeout(1500);
        try {
            long t0 = System.nanoTime();
            ModuleTimeoutException e = assertThrows(ModuleTimeoutException.class,
                    () -> registry.install(ModuleSource.of(example("hanging")), InstallOption.START));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue("returned after the timeout, not before: " + ms, ms >= 1500);
            assertTrue("returned soon after the timeout: " + ms, ms < 8000);
            assertTrue(e.getMessage(), e.getMessage().contains("did not finish within 1500 ms"));
            Module hanging = registry.get("org.modreg.example.hanging");
            assertEquals(ModuleState.FAILED, hanging.state());
            // not marked to start any more: the next start of the container would wait for it again
            Bundle b = context.getBundle(hanging.bundleId());
            await("the start mark cleared", () -> !b.adapt(org.osgi.framework.startlevel.BundleStartLevel.class).isPersistentlyStarted(), 10);
            // a start the framework runs on a thread of its own (here the caller's, not the registry's) is watched too
            Thread starter = new Thread(() -> {
                try {
                    b.start();
                } catch (org.osgi.framework.BundleException expected) {
                    // its activator is interrupted
                }
            });
            long t1 = System.nanoTime();
            starter.start();
            starter.join(10_000);
            assertFalse("the watchdog interrupted the framework's start", starter.isAlive());
            assertTrue((System.nanoTime() - t1) / 1_000_000 >= 1500);
            Module after = registry.get(hanging.bundleId()).orElseThrow();
            assertEquals(ModuleState.FAILED, after.state());
            assertTrue(after.errors().toString(), after.errors().get(after.errors().size() - 1).message()
                    .contains("start by the framework (" + starter.getName() + ") did not finish within 1500 ms"));
            // the registry still works
            Module p = registry.install(ModuleSource.of(example("processor")), InstallOption.START);
            assertEquals(ModuleState.ACTIVE, p.state());
        } finally {
            lifecycleTimeout(30_000);
        }
    }

    /** A caller that gives up on a start (Ctrl-C in the shell) stops it: the module ends FAILED, with the reason. */
    @Test
    public void anInterruptedStartIsStoppedAndRecorded() throws Exception {
        Module m = registry.install(ModuleSource.of(example("hanging")));
        java.util.concurrent.atomic.AtomicReference<Exception> thrown = new java.util.concurrent.atomic.AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                registry.start(m.ref());
            } catch (Exception e) {
                thrown.set(e);
            }
        });
        caller.start();
        Bundle b = context.getBundle(m.bundleId());
        await("its start under way", () -> b.getState() == Bundle.STARTING);
        caller.interrupt();
        caller.join(10_000);
        assertTrue(String.valueOf(thrown.get()), thrown.get() instanceof LifecycleException
                && thrown.get().getMessage().contains("start interrupted: its caller was interrupted while it ran"));
        await("the activator interrupted too", () -> b.getState() == Bundle.RESOLVED);
        Module after = registry.get(m.bundleId()).orElseThrow();
        assertEquals(ModuleState.FAILED, after.state());
        assertTrue(after.errors().toString(), after.lastError().orElseThrow().message().contains("start interrupted"));
        await("not marked to start at the next boot",
                () -> !b.adapt(org.osgi.framework.startlevel.BundleStartLevel.class).isPersistentlyStarted(), 10);
    }

    @Test
    public void badInputGetsItsOwnErrorAndChangesNothing() throws Exception {
        registry.install(ModuleSource.of(example("processor")), InstallOption.START);
        List<String> snapshot = states();

        Path notZip = Files.writeString(jars.resolve("not-a-zip.jar"), "this is text, not a jar");
        assertInvalid(notZip, "not a zip or jar archive");
        Path empty = Files.write(jars.resolve("empty.jar"), new byte[0]);
        assertInvalid(empty, "empty file");
        assertInvalid(TestJars.zipWithoutManifest(jars, "no-manifest.jar"), "no manifest");
        assertInvalid(TestJars.jar(jars, "no-bsn.jar", Map.of("Bundle-ManifestVersion", "2", "Bundle-Version", "1.0.0")),
                "no Bundle-SymbolicName");
        assertInvalid(TestJars.bundle(jars, "bad-version.jar", "test.badversion", "1.x.0"), "invalid Bundle-Version \"1.x.0\"");
        assertInvalid(TestJars.jar(jars, "bad-import.jar", Map.of("Bundle-ManifestVersion", "2",
                "Bundle-SymbolicName", "test.badimport", "Import-Package", "org.foo;version=\"[1,\"")), "malformed Import-Package header");
        assertInvalid(TestJars.jar(jars, "bad-capability.jar", Map.of("Bundle-ManifestVersion", "2",
                "Bundle-SymbolicName", "test.badcap", "Require-Capability", "x;filter:=\"(&(a=b)\"")), "malformed Require-Capability header");
        // a header only the framework's own parser rejects
        assertInvalid(TestJars.jar(jars, "bad-export.jar", Map.of("Bundle-ManifestVersion", "2",
                "Bundle-SymbolicName", "test.badexport", "Export-Package", "org.foo;version=\"x\"")), "invalid manifest");
        Path missing = jars.resolve("does-not-exist.jar");
        assertInvalid(missing, "no such file");

        Path copy = Files.copy(example("processor"), jars.resolve("processor-copy.jar"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        DuplicateModuleException dup = assertThrows(DuplicateModuleException.class, () -> registry.install(ModuleSource.of(copy)));
        assertTrue(dup.getMessage(), dup.getMessage().startsWith(copy.toString() + ": org.modreg.example.processor 0.1.0.SNAPSHOT is installed already"));

        assertEquals("nothing else changed", snapshot, states());
        try (var stale = Files.list(Path.of(context.getProperty("modreg.data"), "content"))) {
            assertTrue("no staging files left", stale.noneMatch(p -> p.getFileName().toString().startsWith("staging-")));
        }
    }

    /** Regression: the content store was built once, and a new {@code content.store} was ignored until a restart. */
    @Test
    public void aContentStoreMovedThroughConfigAdminTakesTheNextInstall() throws Exception {
        Path moved = jars.resolve("moved-store");
        org.osgi.service.cm.Configuration c = context.getService(context.getServiceReference(
                org.osgi.service.cm.ConfigurationAdmin.class)).getConfiguration(PID, "?");
        java.util.Dictionary<String, Object> props = new java.util.Hashtable<>();
        props.put("content.store", moved.toString());
        c.update(props);
        try {
            await("content.store = " + moved, () -> moved.toString().equals(registryProperty("content.store")));
            Module m = registry.install(ModuleSource.of(TestJars.bundle(jars, "moved.jar", "test.moved", "1.0.0")));
            assertTrue(m.content().stored(), m.content().stored().startsWith(moved.toString()));
            assertTrue(Files.isRegularFile(Path.of(m.content().stored())));
        } finally {
            props.put("content.store", ""); // the default: under modreg.data
            c.update(props);
            await("content.store back to its default", () -> "".equals(registryProperty("content.store")));
        }
    }

    private Object registryProperty(String key) {
        try {
            org.osgi.framework.ServiceReference<?>[] r = context.getAllServiceReferences(null,
                    "(component.name=org.modreg.core.ModuleRegistryImpl)");
            return r == null ? null : r[0].getProperty(key);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    public void updateMustKeepTheModuleId() throws Exception {
        Module m = registry.install(ModuleSource.of(TestJars.bundle(jars, "one.jar", "test.one", "1.0.0")));
        Path other = TestJars.bundle(jars, "two.jar", "test.two", "1.0.0");
        InvalidModuleException e = assertThrows(InvalidModuleException.class, () -> registry.update(m.ref(), ModuleSource.of(other)));
        assertTrue(e.getMessage(), e.getMessage().contains("Bundle-SymbolicName is test.two, not test.one"));
        Module v2 = registry.update(m.ref(), ModuleSource.of(TestJars.bundle(jars, "one-v2.jar", "test.one", "2.0.0")));
        assertEquals("2.0.0", v2.version().toString());
        assertEquals(m.bundleId(), v2.bundleId());
    }

    @Test
    public void ambiguousAndUnknownReferences() throws Exception {
        registry.install(ModuleSource.of(TestJars.bundle(jars, "a1.jar", "test.twice", "1.0.0")));
        registry.install(ModuleSource.of(TestJars.bundle(jars, "a2.jar", "test.twice", "2.0.0")));
        Exception e = assertThrows(org.modreg.api.AmbiguousModuleException.class, () -> registry.get("test.twice"));
        assertTrue(e.getMessage(), e.getMessage().contains("test.twice/1.0.0") && e.getMessage().contains("test.twice/2.0.0"));
        assertEquals("2.0.0", registry.get("test.twice/2.0.0").version().toString());
        e = assertThrows(ModuleNotFoundException.class, () -> registry.get("test.nothing"));
        assertEquals("No module matching \"test.nothing\"", e.getMessage());
    }

    @Test
    public void frameworkErrorsOfOtherToolsBecomeModuleState() throws Exception {
        // no caller to throw to: the framework starts it at a start-level change and reports a framework event
        FrameworkStartLevel fsl = context.getBundle(0).adapt(FrameworkStartLevel.class);
        int level = fsl.getStartLevel();
        Bundle b = context.installBundle(example("failing").toUri().toString());
        b.adapt(BundleStartLevel.class).setStartLevel(level + 1);
        b.start(); // above the active start level: only marks it to be started
        assertEquals(ModuleState.INSTALLED, registry.get(b.getBundleId()).orElseThrow().state());
        try {
            fsl.setStartLevel(level + 1);
            await("failure recorded", () -> registry.get(b.getBundleId()).orElseThrow().state() == ModuleState.FAILED);
            assertTrue(registry.get(b.getBundleId()).orElseThrow().lastError().orElseThrow().message().contains("refuses to start"));
        } finally {
            fsl.setStartLevel(level);
            await("start level back", () -> fsl.getStartLevel() == level);
        }
    }

    private void assertInvalid(Path jar, String problem) {
        InvalidModuleException e = assertThrows(InvalidModuleException.class, () -> registry.install(ModuleSource.of(jar)));
        assertTrue(e.getMessage(), e.getMessage().startsWith(jar.toAbsolutePath().normalize() + ": "));
        assertTrue(e.getMessage(), e.getMessage().contains(problem));
    }

    private List<String> states() {
        return registry.list().stream().map(m -> m.bundleId() + " " + m.ref() + " " + m.state()).toList();
    }

    private Set<String> topics() {
        return events.stream().map(e -> e.getTopic().substring(ModuleEvents.TOPIC_PREFIX.length())).collect(Collectors.toSet());
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
