package org.modreg.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.modreg.api.InstallOption;
import org.modreg.api.LifecycleException;
import org.modreg.api.ModuleSource;
import org.modreg.api.ModuleState;
import org.modreg.api.ModuleStatistics;
import org.modreg.api.dto.Health;
import org.modreg.api.dto.ModuleStats;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/** Usage statistics: exact counts after a known sequence of operations and look-ups. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class StatsIT extends ModregTestSupport {

    private static final String TEXT = "org.modreg.example.text";
    private static final String FAILING = "org.modreg.example.failing";
    private static final String PROCESSOR_API = "org.modreg.example.processor.DataProcessor";

    @Inject
    protected ModuleStatistics statistics;

    @After
    public void tearDown() throws Exception {
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName().startsWith("org.modreg.example")) {
                b.uninstall();
            }
        }
    }

    /** Statistics are kept per module id for the life of the container: tests of this class compare differences. */
    @Test
    public void countsAreExactAfterAKnownSequence() throws Exception {
        registry.install(ModuleSource.of(example("processor")));
        registry.install(ModuleSource.of(example("text")), InstallOption.START);
        ModuleStats s0 = statistics.stats(TEXT);
        assertNotNull(s0.installed());
        assertTrue(s0.starts() >= 1);
        registry.stop(TEXT);
        registry.start(TEXT);
        ModuleStats s = statistics.stats(TEXT);
        assertEquals(s0.starts() + 1, s.starts());
        assertEquals(s0.startFailures(), s.startFailures());
        assertTrue(s.averageStartMillis() >= 0 && s.maxStartMillis() >= s.averageStartMillis());
        assertTrue(s.size() > 0 && s.compressedSize() > 0);

        // the framework's look-ups (FindHook) and the registry's (through this bundle's view of it) both count
        // under this bundle, once each
        String probe = context.getBundle().getSymbolicName();
        for (int i = 0; i < 3; i++) {
            assertEquals(1, context.getServiceReferences(PROCESSOR_API, null).length);
        }
        for (int i = 0; i < 2; i++) {
            assertEquals(1, registry.services(PROCESSOR_API, "text-processing", null).size());
        }
        ModuleStats s2 = statistics.stats(TEXT);
        assertEquals(s.lookups() + 5, s2.lookups());
        assertEquals(count(s, probe) + 5, count(s2, probe));
        assertEquals(s.lookupsByService().getOrDefault(PROCESSOR_API, 0L) + 5, (long) s2.lookupsByService().get(PROCESSOR_API));

        ServiceReference<?> ref = context.getServiceReference(PROCESSOR_API);
        context.getService(ref);
        try {
            assertEquals(List.of(probe), statistics.stats(TEXT).consumers());
        } finally {
            context.ungetService(ref);
        }
        assertEquals(List.of(), statistics.stats(TEXT).consumers());
        await("used in the last second", () -> statistics.stats(TEXT).lastUsed() != null);

        long updates = statistics.stats(TEXT).updates();
        long starts = statistics.stats(TEXT).starts();
        registry.update(TEXT);
        await("the update counted", () -> statistics.stats(TEXT).updates() == updates + 1);
        assertEquals("an update restarts it", starts + 1, statistics.stats(TEXT).starts());
        assertTrue(statistics.recent(Duration.ofDays(1)).stream().anyMatch(x -> x.id().equals(TEXT)));
    }

    private static long count(ModuleStats s, String consumer) {
        return s.lookupsByConsumer().getOrDefault(consumer, 0L);
    }

    @Test
    public void failedStartsLowerTheSuccessRateAndShowInHealth() throws Exception {
        registry.install(ModuleSource.of(example("processor")));
        assertThrows(LifecycleException.class, () -> registry.install(ModuleSource.of(example("failing")), InstallOption.START));
        assertThrows(LifecycleException.class, () -> registry.start(FAILING));
        await("two failed starts", () -> statistics.stats(FAILING).startFailures() == 2);
        ModuleStats s = statistics.stats(FAILING);
        assertEquals(0, s.starts());
        assertEquals(0.0, s.successRate(), 0.0);

        Health h = statistics.health();
        assertEquals(FAILING, h.failed().get(0).id());
        assertEquals(1, (int) h.byState().get(ModuleState.FAILED));
        assertEquals(registry.list().size(), h.modules());
        assertTrue(h.healthyPercent() < 100.0);
        assertTrue(h.errors() >= 2);

        // performance: queries counted and timed, the index's size, the average start
        long queries = h.performance().queries();
        registry.find(org.modreg.api.ModuleQuery.all().capability("text-processing"));
        registry.services(PROCESSOR_API, null, null);
        Health.Performance p = statistics.health().performance();
        assertEquals(queries + 2, p.queries());
        assertTrue(p.averageQueryMillis() >= 0);
        assertEquals(registry.list().size(), p.indexedModules());
        assertTrue(p.indexKeys() > 0 && p.indexPostings() >= p.indexKeys());
        assertTrue("boot bundles started with timing", p.averageStartMillis() >= 0);
    }

    @Test
    public void topIsOrderedByLookups() throws Exception {
        registry.install(ModuleSource.of(example("processor")));
        registry.install(ModuleSource.of(example("text")), InstallOption.START);
        for (int i = 0; i < 50; i++) {
            context.getServiceReferences(PROCESSOR_API, null);
        }
        List<ModuleStats> top = statistics.top(100);
        for (int i = 1; i < top.size(); i++) {
            assertTrue(top.get(i - 1).lookups() >= top.get(i).lookups());
        }
        assertTrue(top.stream().anyMatch(x -> x.id().equals(TEXT) && x.lookups() >= 50));
        assertEquals(3, statistics.top(3).size());
    }

    @Test
    public void countingLookupsCanBeSwitchedOff() throws Exception {
        registry.install(ModuleSource.of(example("processor")));
        registry.install(ModuleSource.of(example("text")), InstallOption.START);
        org.osgi.service.cm.ConfigurationAdmin ca = context.getService(context.getServiceReference(org.osgi.service.cm.ConfigurationAdmin.class));
        org.osgi.service.cm.Configuration c = ca.getConfiguration("org.modreg.stats", "?");
        try {
            c.update(new java.util.Hashtable<>(Map.of("count.lookups", false)));
            await("counting off", () -> Boolean.FALSE.equals(
                    context.getServiceReference(ModuleStatistics.class).getProperty("count.lookups")));
            long before = statistics.stats(TEXT).lookups();
            context.getServiceReferences(PROCESSOR_API, null);
            registry.services(PROCESSOR_API, "text-processing", null);
            assertEquals(before, statistics.stats(TEXT).lookups());
        } finally {
            c.update(new java.util.Hashtable<>(Map.of("count.lookups", true)));
            await("counting on", () -> Boolean.TRUE.equals(
                    context.getServiceReference(ModuleStatistics.class).getProperty("count.lookups")));
        }
        long before = statistics.stats(TEXT).lookups();
        context.getServiceReferences(PROCESSOR_API, null);
        assertEquals(before + 1, statistics.stats(TEXT).lookups());
    }
}
