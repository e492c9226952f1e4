package org.modreg.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.modreg.api.InstallOption;
import org.modreg.api.InvalidQueryException;
import org.modreg.api.ModuleEvents;
import org.modreg.api.ModuleQuery;
import org.modreg.api.ModuleSource;
import org.modreg.api.ModuleState;
import org.modreg.api.dto.CapabilityInfo;
import org.modreg.api.dto.ModuleMatch;
import org.modreg.api.dto.ServiceMatch;
import org.modreg.example.processor.DataProcessor;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/** Capability discovery and service look-up by capability, on the example plugins. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FindIT extends ModregTestSupport {

    @Before
    public void plugins() throws Exception {
        // once for the class: the tests put everything back as they found it
        if (registry.find(ModuleQuery.all().type("plugin")).isEmpty()) {
            registry.install(ModuleSource.of(example("processor")), InstallOption.START);
            for (String p : List.of("text", "markdown", "compress")) {
                registry.install(ModuleSource.of(example(p)), InstallOption.START);
            }
        }
    }

    private List<String> ids(ModuleQuery q) {
        return registry.find(q).stream().map(m -> m.module().id()).toList();
    }

    @Test
    public void byNamedCapabilityFromHeaderOrServiceProperty() {
        // text declares it in Provide-Capability and on its service; markdown only on its service
        assertEquals(List.of("org.modreg.example.markdown", "org.modreg.example.text"),
                ids(ModuleQuery.all().capability("text-processing")).stream().sorted().toList());
        assertEquals(List.of("org.modreg.example.markdown"), ids(ModuleQuery.all().capability("text-processing", "markdown")));
        assertEquals(List.of(), ids(ModuleQuery.all().capability("teleportation")));
        ModuleMatch md = registry.find(ModuleQuery.all().capability("markdown")).get(0);
        assertTrue(md.matched().stream().anyMatch(c -> "markdown".equals(c.attributes().get("modreg.capability"))));
    }

    @Test
    public void byNamespaceAndFilterInAnyNamespace() {
        assertEquals(List.of("org.modreg.example.processor"), ids(ModuleQuery.all()
                .filter("osgi.wiring.package", "(&(osgi.wiring.package=org.modreg.example.processor)(version>=1.0))")));
        assertEquals(List.of("org.modreg.example.compress"), ids(ModuleQuery.all()
                .filter("modreg.capability", "(&(modreg.capability=compression)(algorithm=gzip)(version>=2))")));
        assertEquals(List.of(), ids(ModuleQuery.all().filter("modreg.capability", "(&(modreg.capability=compression)(version>=3))")));
        assertTrue(ids(ModuleQuery.all().filter("osgi.identity", "(osgi.identity=org.modreg.example.*)")).size() >= 4);
        assertTrue(ids(ModuleQuery.all().filter("osgi.service", "(objectClass=org.modreg.example.processor.DataProcessor)"))
                .containsAll(List.of("org.modreg.example.text", "org.modreg.example.markdown", "org.modreg.example.compress")));
        // a version given as 1.2 matches the typed attribute 1.2.0
        assertEquals(List.of("org.modreg.example.text"), ids(ModuleQuery.all().filter("modreg.capability", "(version=1.2)")));
    }

    /** The framework gives some attributes as arrays (the system bundle's names): found, and given as lists. */
    @Test
    public void attributesTheFrameworkGivesAsArraysAreFoundAndListed() {
        assertEquals(List.of("org.apache.felix.framework"),
                ids(ModuleQuery.all().filter("osgi.wiring.bundle", "(osgi.wiring.bundle=org.apache.felix.framework)")));
        assertEquals(List.of("org.apache.felix.framework"), ids(ModuleQuery.all()
                .filter("osgi.wiring.package", "(&(osgi.wiring.package=org.osgi.framework)(bundle-symbolic-name=org.apache.felix.framework))")));
        CapabilityInfo host = registry.get(0).orElseThrow().capabilities().stream()
                .filter(c -> c.namespace().equals("osgi.wiring.host")).findFirst().orElseThrow();
        assertEquals(List.of("org.apache.felix.framework", "system.bundle"), host.attributes().get("osgi.wiring.host"));
    }

    @Test
    public void keywordsAreRankedByRelevance() {
        List<ModuleMatch> m = registry.find(ModuleQuery.all().keywords("Markdown"));
        assertEquals("org.modreg.example.markdown", m.get(0).module().id());
        assertTrue(m.get(0).score() > 0);
        // a prefix finds it too; a word in the id outranks one in the description only
        assertEquals("org.modreg.example.compress", registry.find(ModuleQuery.all().keywords("compress")).get(0).module().id());
        assertEquals(List.of(), ids(ModuleQuery.all().keywords("nonexistentword")));
    }

    @Test
    public void typeTagsVersionsStateLimitAndOffset() throws Exception {
        assertEquals(3, ids(ModuleQuery.all().type("plugin")).size());
        assertEquals(List.of("org.modreg.example.markdown"), ids(ModuleQuery.all().anyTag("markdown")));
        assertEquals(2, ids(ModuleQuery.all().allTags("text", "plugin")).size());
        assertEquals(3, ids(ModuleQuery.all().type("plugin").versions("[0.1,1)")).size());
        assertEquals(0, ids(ModuleQuery.all().type("plugin").versions("1.0")).size());
        assertEquals(List.of("org.modreg.example.processor"), ids(ModuleQuery.all().state(ModuleState.ACTIVE)
                .filter("osgi.wiring.package", "(osgi.wiring.package=org.modreg.example.processor)")));
        List<String> all = ids(ModuleQuery.all().type("plugin"));
        assertEquals(all.subList(1, 2), ids(ModuleQuery.all().type("plugin").offset(1).limit(1)));
        // combined
        assertEquals(List.of("org.modreg.example.text"), ids(ModuleQuery.all().capability("text-processing")
                .type("plugin").allTags("text").keywords("upper").state(ModuleState.ACTIVE).versions("[0,1)")));
    }

    @Test
    public void resultsFollowStopsUpdatesAndUninstalls() throws Exception {
        List<Event> index = new CopyOnWriteArrayList<>();
        var reg = context.registerService(EventHandler.class, index::add,
                new java.util.Hashtable<>(Map.of(EventConstants.EVENT_TOPIC, ModuleEvents.TOPIC_INDEX_UPDATED)));
        try {
            registry.stop("org.modreg.example.markdown");
            // its text-processing was only on its service, which is gone
            assertEquals(List.of("org.modreg.example.text"), ids(ModuleQuery.all().capability("text-processing")));
            assertEquals(List.of("org.modreg.example.markdown"), ids(ModuleQuery.all().state(ModuleState.STOPPED)));
            registry.start("org.modreg.example.markdown");
            assertEquals(2, ids(ModuleQuery.all().capability("text-processing")).size());
            registry.update("org.modreg.example.compress");
            assertEquals(List.of("org.modreg.example.compress"), ids(ModuleQuery.all().capability("compression")));
            registry.uninstall("org.modreg.example.compress");
            assertEquals(List.of(), ids(ModuleQuery.all().capability("compression")));
            registry.install(ModuleSource.of(example("compress")), InstallOption.START);
            assertEquals(List.of("org.modreg.example.compress"), ids(ModuleQuery.all().capability("compression")));
            await("index events", () -> index.stream().anyMatch(e -> "org.modreg.example.compress".equals(e.getProperty(ModuleEvents.MODULE_ID))));
        } finally {
            reg.unregister();
        }
    }

    @Test
    public void theBestServiceIsTheHighestRankedAndChangesWhenItStops() {
        List<ServiceMatch<DataProcessor>> all = registry.services(DataProcessor.class, "text-processing", null);
        assertEquals(2, all.size());
        ServiceMatch<DataProcessor> best = registry.service(DataProcessor.class, "text-processing", null).orElseThrow();
        assertEquals("markdown has service.ranking 10", "org.modreg.example.markdown", best.provider().id());
        DataProcessor p = context.getService(best.reference());
        assertEquals("<h1>Hi</h1>\n", new String(p.process("# Hi".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));
        context.ungetService(best.reference());

        registry.stop("org.modreg.example.markdown");
        try {
            assertEquals("org.modreg.example.text",
                    registry.service(DataProcessor.class, "text-processing", null).orElseThrow().provider().id());
        } finally {
            registry.start("org.modreg.example.markdown");
        }
        // by a property filter, and by the module's generic capability with no service property
        assertEquals("org.modreg.example.compress",
                registry.service(DataProcessor.class, "compression", "(algorithm=gzip)").orElseThrow().provider().id());
        assertTrue(registry.services(DataProcessor.class, "compression", "(algorithm=zstd)").isEmpty());
    }

    @Test
    public void servicesOfAModuleThatDeclaresTheCapabilityInItsManifest() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createDirectories(
                java.nio.file.Path.of(System.getProperty("paxexam.work.dir", "target/paxexam"), "jars-find"));
        java.nio.file.Path jar = TestJars.jar(dir, "generic.jar", Map.of("Bundle-ManifestVersion", "2",
                "Bundle-SymbolicName", "test.generic", "Provide-Capability", "modreg.capability;modreg.capability=teleport"));
        long id = registry.install(ModuleSource.of(jar), InstallOption.START).bundleId();
        try {
            // a service with no modreg.capability property: found through its module's declaration
            var reg = context.getBundle(id).getBundleContext().registerService(Runnable.class, () -> { },
                    new java.util.Hashtable<>(Map.of("speed", "fast")));
            List<ServiceMatch<Object>> found = registry.services(Runnable.class.getName(), "teleport", "(speed=fast)");
            assertEquals(1, found.size());
            assertEquals("test.generic", found.get(0).provider().id());
            assertTrue(registry.services(Runnable.class.getName(), "teleport", "(speed=slow)").isEmpty());
            reg.unregister();
            assertTrue(registry.services(Runnable.class.getName(), "teleport", null).isEmpty());
        } finally {
            registry.uninstall(Long.toString(id));
        }
    }

    @Test
    public void badFiltersAndRangesNameTheBadPart() {
        InvalidQueryException e = assertThrows(InvalidQueryException.class,
                () -> ModuleQuery.all().filter("osgi.wiring.package", "(osgi.wiring.package=a"));
        assertTrue(e.getMessage(), e.getMessage().startsWith("invalid filter \"(osgi.wiring.package=a\" for namespace osgi.wiring.package"));
        e = assertThrows(InvalidQueryException.class, () -> ModuleQuery.all().versions("[1.0,2"));
        assertTrue(e.getMessage(), e.getMessage().startsWith("invalid version range \"[1.0,2\""));
        e = assertThrows(InvalidQueryException.class, () -> registry.services(DataProcessor.class, "x", "(a="));
        assertTrue(e.getMessage(), e.getMessage().contains("(a="));
    }

    @Test
    public void shellCommands() throws Exception {
        CommandProcessor processor = context.getService(context.getServiceReference(CommandProcessor.class));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        try (CommandSession s = processor.createSession(new ByteArrayInputStream(new byte[0]), ps, ps)) {
            String found = String.valueOf(s.format(s.execute("module:find -c text-processing -t plugin"), Converter.INSPECT));
            assertTrue(found, found.startsWith("ID | Module"));
            assertTrue(found, found.contains("org.modreg.example.markdown") && found.contains("org.modreg.example.text"));
            assertFalse(found, found.contains("compress"));
            String kw = String.valueOf(s.format(s.execute("module:find markdown"), Converter.INSPECT));
            assertTrue(kw, kw.split("\n")[2].contains("org.modreg.example.markdown"));
            String filtered = String.valueOf(s.format(s.execute(
                    "module:find -n osgi.wiring.package -f '(osgi.wiring.package=org.modreg.example.*)'"), Converter.INSPECT));
            assertTrue(filtered, filtered.contains("osgi.wiring.package=org.modreg.example.processor"));
            String services = String.valueOf(s.format(s.execute("module:services text-processing"), Converter.INSPECT));
            String[] lines = services.split("\n");
            assertTrue(services, lines[0].startsWith("Service | Interface"));
            assertTrue("best first: " + services, lines[2].contains("org.modreg.example.markdown") && lines[2].contains("| 10 "));
            String caps = String.valueOf(s.format(s.execute("module:capabilities -n 'osgi.wiring.*' org.modreg.example.processor"),
                    Converter.INSPECT));
            assertTrue(caps, caps.contains("osgi.wiring.package") && !caps.contains("osgi.identity"));
            String reqs = String.valueOf(s.format(s.execute("module:requirements org.modreg.example.text"), Converter.INSPECT));
            assertTrue(reqs, reqs.contains("osgi.extender (&(osgi.extender=osgi.component)"));
            Exception e = assertThrows(Exception.class, () -> s.execute("module:find -v '[1,'"));
            assertTrue(e.getMessage(), e.getMessage().startsWith("invalid version range \"[1,\""));
        }
    }
}
