package org.modreg.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.modreg.api.InstallOption;
import org.modreg.api.ModuleSource;
import org.modreg.api.ModuleState;
import org.modreg.api.ModuleWiring;
import org.modreg.api.UnresolvableModuleException;
import org.modreg.api.dto.CheckReport;
import org.modreg.api.dto.CheckReport.Unsatisfied;
import org.modreg.api.dto.Dependency;
import org.modreg.api.dto.DependencyGraph;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.WireInfo;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.hooks.resolver.ResolverHook;
import org.osgi.framework.hooks.resolver.ResolverHookFactory;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Wiring checks and the dependency graph on purpose-built bundles (manifests written by the test):
 * each kind of report, refusal on install and update, graph queries, cycles and conflicts.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WiringIT extends ModregTestSupport {

    @Inject
    protected ModuleWiring wiring;

    private Set<Long> before;
    private Path jars;
    private int n;

    @Before
    public void setUp() throws Exception {
        before = new HashSet<>();
        for (Bundle b : context.getBundles()) {
            before.add(b.getBundleId());
        }
        jars = Files.createDirectories(Path.of(System.getProperty("paxexam.work.dir", "target/paxexam"), "jars-wiring"));
    }

    @After
    public void tearDown() throws Exception {
        List<Bundle> gone = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (!before.contains(b.getBundleId())) {
                b.uninstall();
                gone.add(b);
            }
        }
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(null);
        await("clean framework", () -> context.getBundles().length == before.size());
    }

    /** A manifest-only bundle: id, version, then header pairs. */
    private ModuleSource jar(String bsn, String version, String... headers) throws Exception {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Bundle-ManifestVersion", "2");
        h.put("Bundle-SymbolicName", bsn);
        h.put("Bundle-Version", version);
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        return ModuleSource.of(TestJars.jar(jars, bsn + "-" + version + "-" + (n++) + ".jar", h));
    }

    private Module force(ModuleSource s) {
        return registry.install(s, InstallOption.FORCE);
    }

    private boolean resolved(Module m) {
        Bundle b = context.getBundle(m.bundleId());
        return (b.getState() & (Bundle.RESOLVED | Bundle.ACTIVE | Bundle.STARTING)) != 0;
    }

    @Test
    public void missingPackageWithANearMissAndAnOptionalImportNotBlamed() throws Exception {
        registry.install(jar("w.lib", "1.4.0", "Export-Package", "w.api;version=1.4"));
        CheckReport r = wiring.check(jar("w.app", "1.0.0",
                "Import-Package", "w.api;version=\"[2,3)\",w.opt;resolution:=optional"));

        assertFalse(r.describe(), r.resolvable());
        assertEquals(r.describe(), 1, r.unsatisfied().size());
        Unsatisfied u = r.unsatisfied().get(0);
        assertTrue(u.rootCause());
        assertEquals("osgi.wiring.package", u.namespace());
        assertEquals("w.api", u.name());
        assertEquals("[2.0.0,3.0.0)", u.versionRange());
        assertEquals(1, u.nearMisses().size());
        assertEquals("package w.api is exported by w.lib 1.4.0 at 1.4.0, but the version needed is 2.0.0 or later, before 3.0.0",
                u.nearMisses().get(0).reason());
        assertTrue(r.describe(), r.describe().contains("missing: package w.api 2.0.0 or later, before 3.0.0, needed by w.app 1.0.0"));
    }

    /**
     * Issue 13: a module importing ten packages of jackson-core at a range the installed jackson-core
     * does not satisfy read as ten "missing" lines and nine "near miss" lines. The nine that miss at
     * jackson-core for the same reason now read as one entry naming jackson-core once; the report's
     * data still lists each requirement and each near miss.
     */
    @Test
    public void packagesThatMissAtOneProviderForOneReasonReadAsOneEntry() throws Exception {
        java.io.File dir = new java.io.File(System.getProperty("corpus.dir", "target/corpus"));
        Bundle core = context.installBundle(new java.io.File(dir, "jackson-core-2.13.5.jar").toURI().toString());
        CheckReport r = wiring.check(ModuleSource.of(new java.io.File(dir, "jackson-databind-2.17.2.jar").toPath()));
        String text = r.describe();

        assertFalse(text, r.resolvable());
        assertEquals(text, 10, r.unsatisfied().size());
        assertEquals(text, 9, r.unsatisfied().stream().filter(u -> u.nearMisses().size() == 1
                && u.nearMisses().get(0).bundleId() == core.getBundleId()).count());
        List<String> lines = text.lines().filter(l -> l.startsWith("  missing: ") || l.startsWith("    near miss: ")).toList();
        String databind = "com.fasterxml.jackson.core.jackson-databind 2.17.2";
        assertEquals(text, List.of(
                "  missing: package com.fasterxml.jackson.annotation 2.17.0 or later, before 3.0.0, needed by " + databind,
                "  missing: 9 packages 2.17.0 or later, before 3.0.0, needed by " + databind + ": com.fasterxml.jackson.core, "
                        + "com.fasterxml.jackson.core.base, com.fasterxml.jackson.core.exc, com.fasterxml.jackson.core.filter, "
                        + "com.fasterxml.jackson.core.format, com.fasterxml.jackson.core.io, com.fasterxml.jackson.core.json, "
                        + "com.fasterxml.jackson.core.type, com.fasterxml.jackson.core.util",
                "    near miss: com.fasterxml.jackson.core.jackson-core 2.13.5 (bundle " + core.getBundleId()
                        + ") exports them at 2.13.5"), lines);
    }

    @Test
    public void rootCauseComesFirstThroughAnUnresolvedProvider() throws Exception {
        force(jar("w.mid", "1.0.0", "Export-Package", "w.mid.api", "Import-Package", "w.gone"));
        CheckReport r = wiring.check(jar("w.top", "1.0.0", "Import-Package", "w.mid.api"));

        assertFalse(r.resolvable());
        assertEquals(r.describe(), 2, r.unsatisfied().size());
        Unsatisfied root = r.unsatisfied().get(0);
        assertTrue(root.rootCause());
        assertEquals("w.gone", root.name());
        assertEquals("w.mid 1.0.0", root.module());
        assertEquals(List.of("w.top 1.0.0 needs package w.mid.api from w.mid 1.0.0"), root.via());
        Unsatisfied direct = r.unsatisfied().get(1);
        assertFalse(direct.rootCause());
        assertEquals("w.mid.api", direct.name());

        // an installed module can be checked as it is
        CheckReport mid = wiring.check("w.mid");
        assertEquals(CheckReport.Kind.INSTALLED, mid.kind());
        assertFalse(mid.resolvable());
        assertEquals("w.gone", mid.unsatisfied().get(0).name());
    }

    @Test
    public void usesConflictIsExplainedWithBothChains() throws Exception {
        registry.install(jar("u.a1", "1.0.0", "Export-Package", "u.p;version=1.0"));
        registry.install(jar("u.a2", "2.0.0", "Export-Package", "u.p;version=2.0"));
        registry.install(jar("u.b", "1.0.0", "Export-Package", "u.q;uses:=\"u.p\"", "Import-Package", "u.p;version=\"[2,3)\""));
        ModuleSource c = jar("u.c", "1.0.0", "Import-Package", "u.p;version=\"[1,2)\",u.q");
        CheckReport r = wiring.check(c);

        assertFalse(r.describe(), r.resolvable());
        assertTrue("nothing is missing: " + r.describe(), r.unsatisfied().isEmpty());
        assertEquals(r.describe(), 1, r.usesConflicts().size());
        CheckReport.UsesConflict conflict = r.usesConflicts().get(0);
        assertEquals("u.p", conflict.packageName());
        assertEquals("u.c 1.0.0", conflict.module());
        assertEquals("package u.p would reach u.c 1.0.0 from u.a1 1.0.0 (chain 1) and from u.a2 2.0.0 (chain 2)",
                conflict.summary());
        // chain 1: u.c's own import of u.p [1,2) is wired to u.a1
        assertEquals(List.of("u.c 1.0.0", "import: (&(osgi.wiring.package=u.p)(version>=1.0.0)(!(version>=2.0.0)))",
                "export: osgi.wiring.package: u.p", "u.a1 1.0.0"), conflict.chain1());
        // chain 2: u.c imports u.q from u.b, whose u.q uses u.p, which u.b imports at [2,3) from u.a2
        assertEquals(List.of("u.c 1.0.0", "import: (osgi.wiring.package=u.q)", "export: osgi.wiring.package=u.q; uses:=u.p",
                "u.b 1.0.0", "import: (&(osgi.wiring.package=u.p)(version>=2.0.0)(!(version>=3.0.0)))",
                "export: osgi.wiring.package: u.p", "u.a2 2.0.0"), conflict.chain2());
        assertTrue(r.describe(), r.describe().contains("uses conflict: " + conflict.summary() + "\n"
                + "    chain 1: u.c 1.0.0 -> import: "));

        // and the framework agrees
        Module forced = force(c);
        context.getBundle(0).adapt(FrameworkWiring.class).resolveBundles(List.of(context.getBundle(forced.bundleId())));
        assertFalse(resolved(forced));
    }

    @Test
    public void usesConflictOfAModuleThatExportsThePackageItselfNamesBothProviders() throws Exception {
        registry.install(jar("v.a2", "2.0.0", "Export-Package", "v.p;version=2.0"));
        registry.install(jar("v.b", "1.0.0", "Export-Package", "v.q;uses:=\"v.p\"", "Import-Package", "v.p;version=\"[2,3)\""));
        // v.d exports v.p 1.0 without importing it, and v.q brings it v.p 2.0 from v.a2
        ModuleSource d = jar("v.d", "1.0.0", "Export-Package", "v.p;version=1.0", "Import-Package", "v.q");
        CheckReport r = wiring.check(d);

        assertFalse(r.describe(), r.resolvable());
        assertEquals(r.describe(), 1, r.usesConflicts().size());
        CheckReport.UsesConflict conflict = r.usesConflicts().get(0);
        assertEquals("v.p", conflict.packageName());
        assertEquals("v.d 1.0.0", conflict.module());
        assertEquals("package v.p would reach v.d 1.0.0 from itself, as it exports it (chain 1), and from v.a2 2.0.0 (chain 2)",
                conflict.summary());
        assertEquals(List.of("v.d 1.0.0 exports package v.p"), conflict.chain1());
        assertEquals(List.of("v.d 1.0.0", "import: (osgi.wiring.package=v.q)", "export: osgi.wiring.package=v.q; uses:=v.p",
                "v.b 1.0.0", "import: (&(osgi.wiring.package=v.p)(version>=2.0.0)(!(version>=3.0.0)))",
                "export: osgi.wiring.package: v.p", "v.a2 2.0.0"), conflict.chain2());

        Module forced = force(d);
        context.getBundle(0).adapt(FrameworkWiring.class).resolveBundles(List.of(context.getBundle(forced.bundleId())));
        assertFalse(resolved(forced));
    }

    @Test
    public void updateThatWouldNotResolveItselfIsRefusedAndLeavesTheModuleAsItWas() throws Exception {
        // not started: a forced update of an active module that cannot start again is rolled back
        Module lib = registry.install(jar("r.lib", "1.0.0", "Export-Package", "r.api;version=1.0"));
        assertTrue(context.getBundle(0).adapt(FrameworkWiring.class).resolveBundles(List.of(context.getBundle(lib.bundleId()))));
        assertEquals(ModuleState.RESOLVED, registry.get("r.lib").state());
        ModuleSource v2 = jar("r.lib", "2.0.0", "Export-Package", "r.api;version=2.0", "Import-Package", "r.gone");

        UnresolvableModuleException e = assertThrows(UnresolvableModuleException.class, () -> registry.update("r.lib", v2));
        assertEquals(CheckReport.Kind.UPDATE, e.report().kind());
        assertEquals(lib.bundleId(), e.report().bundleId());
        assertFalse(e.report().resolvable());
        assertEquals(List.of("r.gone"), e.report().unsatisfied().stream().map(Unsatisfied::name).toList());
        assertTrue(e.report().broken().isEmpty());
        assertTrue(e.getMessage(), e.getMessage().contains("would NOT resolve"));
        assertTrue(e.getMessage(), e.getMessage().contains("missing: package r.gone, needed by r.lib 2.0.0"));
        Module after = registry.get("r.lib");
        assertEquals(lib.bundleId(), after.bundleId());
        assertEquals("1.0.0", after.version().toString());
        assertEquals(ModuleState.RESOLVED, after.state());
        assertEquals("1.0.0", context.getBundle(lib.bundleId()).getVersion().toString());

        // forced: the same bundle takes the new bytes, and cannot resolve
        Module forced = registry.update("r.lib", v2, InstallOption.FORCE);
        assertEquals(lib.bundleId(), forced.bundleId());
        assertEquals("2.0.0", forced.version().toString());
        assertEquals(ModuleState.FAILED, forced.state());
        assertEquals("2.0.0", context.getBundle(lib.bundleId()).getVersion().toString());
        assertFalse(context.getBundle(0).adapt(FrameworkWiring.class).resolveBundles(List.of(context.getBundle(lib.bundleId()))));
    }

    @Test
    public void updateReportsTheBlastRadiusAndIsRefusedWhenItBreaksAConsumer() throws Exception {
        Module lib = registry.install(jar("b.lib", "1.0.0", "Export-Package", "b.api;version=1.0"));
        Module strict = registry.install(jar("b.strict", "1.0.0", "Import-Package", "b.api;version=\"[1,2)\""));
        Module loose = registry.install(jar("b.loose", "1.0.0", "Import-Package", "b.api;version=\"[1,3)\""));
        registry.install(jar("b.other", "1.0.0"));
        FrameworkWiring fw = context.getBundle(0).adapt(FrameworkWiring.class);
        assertTrue(fw.resolveBundles(null));
        ModuleSource v2 = jar("b.lib", "2.0.0", "Export-Package", "b.api;version=2.0");

        CheckReport r = wiring.checkUpdate("b.lib", v2);
        assertEquals(CheckReport.Kind.UPDATE, r.kind());
        assertTrue(r.describe(), r.resolvable());
        assertEquals(List.of(strict.bundleId(), loose.bundleId()), r.refreshed().stream().map(CheckReport.Impact::bundleId).toList());
        assertTrue(r.refreshed().get(0).reason(), r.refreshed().get(0).reason().contains("package b.api"));
        assertEquals(r.describe(), 1, r.broken().size());
        assertEquals(strict.bundleId(), r.broken().get(0).bundleId());
        assertTrue(r.broken().get(0).reason(), r.broken().get(0).reason().contains("package b.api 1.0.0 or later, before 2.0.0"));
        assertFalse(r.safe());

        // refused: nothing changes
        UnresolvableModuleException e = assertThrows(UnresolvableModuleException.class, () -> registry.update("b.lib", v2));
        assertTrue(e.getMessage(), e.getMessage().contains("would break: b.strict"));
        assertEquals("1.0.0", registry.get(lib.bundleId()).orElseThrow().version().toString());
        assertTrue(resolved(strict));

        // forced: reality is what the check said
        registry.update("b.lib", v2, InstallOption.FORCE);
        fw.resolveBundles(null);
        assertFalse("b.strict lost its wire", resolved(strict));
        assertTrue("b.loose rewired", resolved(loose));
    }

    @Test
    public void aCheckChangesNothing() throws Exception {
        registry.install(jar("n.lib", "1.0.0", "Export-Package", "n.api"));
        List<BundleEvent> events = new ArrayList<>();
        BundleListener l = events::add;
        context.addBundleListener(l);
        int count = context.getBundles().length;
        try {
            assertTrue(wiring.check(jar("n.app", "1.0.0", "Import-Package", "n.api")).resolvable());
            assertFalse(wiring.check(jar("n.bad", "1.0.0", "Import-Package", "n.nothing")).resolvable());
            assertTrue(wiring.checkUpdate("n.lib", jar("n.lib", "1.1.0", "Export-Package", "n.api")).resolvable());
        } finally {
            context.removeBundleListener(l);
        }
        assertEquals(List.of(), events);
        assertEquals(count, context.getBundles().length);
        assertEquals(ModuleState.INSTALLED, registry.get("n.lib").state());
    }

    @Test
    public void refusedInstallInstallsNothing() throws Exception {
        int count = context.getBundles().length;
        UnresolvableModuleException e = assertThrows(UnresolvableModuleException.class,
                () -> registry.install(jar("r.app", "1.0.0", "Import-Package", "r.missing;version=1.5")));
        assertTrue(e.getMessage(), e.getMessage().contains("missing: package r.missing 1.5.0 or later, needed by r.app 1.0.0"));
        assertFalse(e.report().resolvable());
        assertEquals(count, context.getBundles().length);
    }

    @Test
    public void graphFindsCyclesStartOrderDependenciesAndWhy() throws Exception {
        Module base = registry.install(jar("g.base", "1.0.0", "Export-Package", "g.base"));
        Module a = force(jar("g.a", "1.0.0", "Export-Package", "g.a", "Import-Package", "g.b,g.base"));
        Module b = registry.install(jar("g.b", "1.0.0", "Export-Package", "g.b", "Import-Package", "g.a"));
        Module top = registry.install(jar("g.top", "1.0.0", "Import-Package", "g.a"));
        assertTrue(context.getBundle(0).adapt(FrameworkWiring.class).resolveBundles(null));

        DependencyGraph g = wiring.graph("g.top");
        assertEquals(List.of(List.of(a.bundleId(), b.bundleId())), g.cycles());
        List<Long> order = g.startOrder().stream().map(grp -> grp.get(0)).toList();
        assertTrue("base before the cycle before top: " + g.startOrder(),
                order.indexOf(base.bundleId()) < order.indexOf(a.bundleId()) && order.indexOf(a.bundleId()) < order.indexOf(top.bundleId()));
        assertTrue(g.startOrder().contains(List.of(a.bundleId(), b.bundleId())));

        List<Dependency> deps = wiring.dependencies("g.top", true);
        assertEquals(a.bundleId(), deps.get(0).module().bundleId());
        assertEquals(1, deps.get(0).distance());
        assertTrue(deps.stream().anyMatch(d -> d.module().bundleId() == base.bundleId() && d.distance() == 2));
        assertEquals(List.of(a.bundleId()), wiring.dependencies("g.top", false).stream()
                .map(d -> d.module().bundleId()).filter(id -> id != 0).toList());
        assertEquals(Set.of(a.bundleId()), Set.copyOf(wiring.dependents("g.base", false).stream().map(d -> d.module().bundleId()).toList()));
        assertTrue(wiring.dependents("g.base", true).stream().anyMatch(d -> d.module().bundleId() == top.bundleId()));

        List<WireInfo> why = wiring.why("g.a", "g.b");
        assertEquals(2, why.size());
        assertTrue(why.stream().anyMatch(w -> w.requirer() == a.bundleId() && w.name().equals("g.b")));
        assertTrue(why.stream().anyMatch(w -> w.requirer() == b.bundleId() && w.name().equals("g.a")));
        List<WireInfo> chain = wiring.why("g.top", "g.base");
        assertEquals(List.of("g.a", "g.base"), chain.stream().map(WireInfo::name).toList());

        String dot = g.toDot();
        assertTrue(dot, dot.contains("m" + top.bundleId() + " -> m" + a.bundleId() + " [label=\"g.a\"]"));
        String json = g.toJson();
        assertTrue(json, json.contains("\"cycles\":[[" + a.bundleId() + "," + b.bundleId() + "]]"));
    }

    @Test
    public void unresolvedModulesContributeDeclaredEdges() throws Exception {
        Module lib = registry.install(jar("d.lib", "1.0.0", "Export-Package", "d.api", "Import-Package", "d.missing"), InstallOption.FORCE);
        Module app = force(jar("d.app", "1.0.0", "Import-Package", "d.api"));
        DependencyGraph g = wiring.graph("d.app");
        DependencyGraph.Edge e = g.edges().stream().filter(x -> x.from() == app.bundleId()).findFirst().orElseThrow();
        assertEquals(lib.bundleId(), e.to());
        assertTrue(e.declared());
    }

    @Test
    public void conflictsSingletonTwiceAndAPackageFromTwoProviders() throws Exception {
        Module s1 = registry.install(jar("k.single", "1.0.0", "Bundle-SymbolicName", "k.single;singleton:=true"));
        assertTrue(context.getBundle(0).adapt(FrameworkWiring.class).resolveBundles(List.of(context.getBundle(s1.bundleId()))));
        ModuleSource s2 = jar("k.single", "2.0.0", "Bundle-SymbolicName", "k.single;singleton:=true");
        CheckReport r = wiring.check(s2);
        assertFalse(r.resolvable());
        assertTrue(r.describe(), r.problems().get(0).contains("singleton"));
        Module second = force(s2);

        Module pa = registry.install(jar("k.a", "1.0.0", "Export-Package", "k.p;version=1.0"));
        Module pb = registry.install(jar("k.b", "2.0.0", "Export-Package", "k.p;version=2.0"));
        Module c = registry.install(jar("k.c", "1.0.0", "Require-Bundle", "k.a,k.b"));
        assertTrue(context.getBundle(0).adapt(FrameworkWiring.class).resolveBundles(List.of(context.getBundle(c.bundleId()))));

        List<DependencyGraph.Conflict> conflicts = wiring.graph().conflicts();
        DependencyGraph.Conflict single = conflicts.stream().filter(x -> x.kind().equals("singleton")).findFirst().orElseThrow();
        assertEquals(List.of(s1.bundleId(), second.bundleId()), single.modules());
        DependencyGraph.Conflict pkg = conflicts.stream().filter(x -> x.kind().equals("package")).findFirst().orElseThrow();
        assertEquals(List.of(c.bundleId(), pa.bundleId(), pb.bundleId()), pkg.modules());
        assertTrue(pkg.description(), pkg.description().startsWith("package k.p reaches k.c 1.0.0 (bundle " + c.bundleId()
                + ") at incompatible versions"));
        assertEquals(1, conflicts.stream().filter(x -> x.kind().equals("package")).count());
    }

    /** What OSGi allows is no conflict: a split package at one version, a required bundle's package an import hides. */
    @Test
    public void aSplitPackageAndAnImportHidingARequiredBundlesPackageAreNoConflicts() throws Exception {
        Module x1 = registry.install(jar("k.x1", "1.0.0", "Export-Package", "k.split;version=1.0"));
        Module x2 = registry.install(jar("k.x2", "1.0.0", "Export-Package", "k.split;version=1.0"));
        Module y = registry.install(jar("k.y", "1.0.0", "Require-Bundle", "k.x1,k.x2"));
        Module q1 = registry.install(jar("k.q1", "1.0.0", "Export-Package", "k.q;version=1.0"));
        Module q2 = registry.install(jar("k.q2", "2.0.0", "Export-Package", "k.q;version=2.0"));
        // k.z sees k.q only through its import of 2.0: q1's k.q, reached through Require-Bundle, is hidden
        Module z = registry.install(jar("k.z", "1.0.0", "Require-Bundle", "k.q1", "Import-Package", "k.q;version=\"[2,3)\""));
        assertTrue(context.getBundle(0).adapt(FrameworkWiring.class).resolveBundles(
                List.of(context.getBundle(y.bundleId()), context.getBundle(z.bundleId()))));
        List<DependencyGraph.Conflict> conflicts = wiring.graph().conflicts();
        for (long id : List.of(x1.bundleId(), x2.bundleId(), y.bundleId(), q1.bundleId(), q2.bundleId(), z.bundleId())) {
            assertTrue(conflicts.toString(), conflicts.stream().noneMatch(c -> c.modules().contains(id)));
        }
    }

    // ---------------------------------------------------------------- resolver hooks

    /** A resolver hook that does nothing but what a test overrides. */
    private abstract static class QuietHook implements ResolverHook {
        @Override
        public void filterResolvable(Collection<BundleRevision> candidates) {
        }

        @Override
        public void filterSingletonCollisions(BundleCapability singleton, Collection<BundleCapability> collisions) {
        }

        @Override
        public void filterMatches(BundleRequirement requirement, Collection<BundleCapability> candidates) {
        }

        @Override
        public void end() {
        }
    }

    private ServiceRegistration<ResolverHookFactory> hook(ResolverHookFactory factory) {
        return context.registerService(ResolverHookFactory.class, factory, null);
    }

    /** @return how a report names the hook of a registration */
    private static String named(ServiceRegistration<?> reg) {
        ServiceReference<?> ref = reg.getReference();
        Bundle b = ref.getBundle();
        return "the resolver hook of " + b.getSymbolicName() + " " + b.getVersion() + " (bundle " + b.getBundleId() + "), service "
                + ref.getProperty(Constants.SERVICE_ID);
    }

    private boolean frameworkResolves(Module m) {
        return context.getBundle(0).adapt(FrameworkWiring.class).resolveBundles(List.of(context.getBundle(m.bundleId())));
    }

    /**
     * Issue 13: the check resolved without the framework's resolver hooks, so a hook that hides a
     * capability (modreg's own during a replacement, or anyone's) was not honoured and the check said
     * "would resolve" where the framework then refused. A hook that hides a provider's package from
     * a module leaves the requirement unmet in the check, as in the framework; each hook the check
     * began has ended.
     */
    @Test
    public void aResolverHookThatHidesAProvidersCapabilityLeavesTheRequirementUnmet() throws Exception {
        Module lib = registry.install(jar("h.lib", "1.0.0", "Export-Package", "h.api;version=1.0"));
        ModuleSource app = jar("h.app", "1.0.0", "Import-Package", "h.api");
        assertTrue("without the hook it resolves", wiring.check(app).resolvable());

        AtomicInteger begun = new AtomicInteger();
        AtomicInteger ended = new AtomicInteger();
        ServiceRegistration<ResolverHookFactory> reg = hook(triggers -> {
            begun.incrementAndGet();
            return new QuietHook() {
                @Override
                public void filterMatches(BundleRequirement requirement, Collection<BundleCapability> candidates) {
                    if ("h.app".equals(requirement.getRevision().getSymbolicName())) {
                        candidates.removeIf(c -> c.getRevision().getBundle().getBundleId() == lib.bundleId());
                    }
                }

                @Override
                public void end() {
                    ended.incrementAndGet();
                }
            };
        });
        try {
            CheckReport r = wiring.check(app);
            assertFalse(r.describe(), r.resolvable());
            assertEquals(r.describe(), List.of("h.api"), r.unsatisfied().stream().map(Unsatisfied::name).toList());
            Unsatisfied u = r.unsatisfied().get(0);
            assertTrue(u.rootCause());
            assertEquals(r.describe(), 1, u.nearMisses().size());
            assertEquals(lib.bundleId(), u.nearMisses().get(0).bundleId());
            assertEquals("package h.api is exported by h.lib 1.0.0 at 1.0.0, but " + named(reg)
                    + " hides it from h.app 1.0.0 (filterMatches)", u.nearMisses().get(0).reason());
            assertTrue("the check began the hook", begun.get() > 0);
            assertEquals("and ended each it began", begun.get(), ended.get());

            // the framework agrees
            assertFalse(frameworkResolves(force(app)));
        } finally {
            reg.unregister();
        }
    }

    /** A hook that keeps the only provider from resolving (filterResolvable) leaves its consumer unmet, as in the framework. */
    @Test
    public void aResolverHookThatKeepsTheProviderFromResolvingLeavesItsConsumerUnmet() throws Exception {
        Module lib = registry.install(jar("h2.lib", "1.0.0", "Export-Package", "h2.api"));
        ModuleSource app = jar("h2.app", "1.0.0", "Import-Package", "h2.api");
        assertTrue("without the hook it resolves", wiring.check(app).resolvable());
        ServiceRegistration<ResolverHookFactory> reg = hook(triggers -> new QuietHook() {
            @Override
            public void filterResolvable(Collection<BundleRevision> candidates) {
                candidates.removeIf(r -> r.getBundle().getBundleId() == lib.bundleId());
            }
        });
        try {
            CheckReport r = wiring.check(app);
            assertFalse(r.describe(), r.resolvable());
            Unsatisfied u = r.unsatisfied().get(0);
            assertEquals("h2.api", u.name());
            assertEquals("package h2.api is exported by h2.lib 1.0.0 at 0.0.0, but " + named(reg) + " keeps h2.lib 1.0.0 from resolving",
                    u.nearMisses().get(0).reason());
            // a module the hook keeps from resolving is not resolvable itself, and says why
            CheckReport itself = wiring.check("h2.lib");
            assertFalse(itself.describe(), itself.resolvable());
            assertEquals(List.of(named(reg) + " keeps it from resolving (filterResolvable)"), itself.problems());

            assertFalse(frameworkResolves(force(app)));
            assertFalse(frameworkResolves(lib));
        } finally {
            reg.unregister();
        }
    }

    /**
     * While a hook keeps any module from resolving, Felix 7 offers no capability of a module outside
     * those that may resolve, resolved ones included (its list of them is of unresolved modules):
     * a module that imports from a resolved one does not resolve. The check says what the framework
     * does; if a Felix release changes that, this test says the check must follow.
     */
    @Test
    public void theCheckAgreesWithTheFrameworkWhileAHookKeepsAnUnrelatedModuleFromResolving() throws Exception {
        Module lib = registry.install(jar("h3.lib", "1.0.0", "Export-Package", "h3.api"));
        assertTrue(frameworkResolves(lib));
        Module other = registry.install(jar("h3.other", "1.0.0"));
        ModuleSource app = jar("h3.app", "1.0.0", "Import-Package", "h3.api");
        ServiceRegistration<ResolverHookFactory> reg = hook(triggers -> new QuietHook() {
            @Override
            public void filterResolvable(Collection<BundleRevision> candidates) {
                candidates.removeIf(r -> r.getBundle().getBundleId() == other.bundleId());
            }
        });
        try {
            CheckReport r = wiring.check(app);
            boolean framework = frameworkResolves(force(app));
            assertEquals(r.describe(), framework, r.resolvable());
            assertFalse("Felix 7.0.5 refuses it", framework);
            assertTrue(r.describe(), r.unsatisfied().get(0).nearMisses().get(0).reason().endsWith(
                    "but while a resolver hook keeps modules from resolving (" + named(reg) + " keeps h3.other 1.0.0 from resolving), "
                            + "Felix offers no capability of a module outside those that may resolve, resolved ones included"));
        } finally {
            reg.unregister();
        }
    }

    /** A hook that says two singletons do not collide lets both resolve: the check agrees with the framework. */
    @Test
    public void aResolverHookThatRemovesASingletonCollisionLetsBothResolve() throws Exception {
        Module one = registry.install(jar("hs.single", "1.0.0", "Bundle-SymbolicName", "hs.single;singleton:=true"));
        assertTrue(frameworkResolves(one));
        ModuleSource two = jar("hs.single", "2.0.0", "Bundle-SymbolicName", "hs.single;singleton:=true");
        assertFalse("without the hook the second cannot resolve", wiring.check(two).resolvable());
        ServiceRegistration<ResolverHookFactory> reg = hook(triggers -> new QuietHook() {
            @Override
            public void filterSingletonCollisions(BundleCapability singleton, Collection<BundleCapability> collisions) {
                collisions.clear();
            }
        });
        try {
            CheckReport r = wiring.check(two);
            assertTrue(r.describe(), r.resolvable());
            assertTrue(frameworkResolves(force(two)));
        } finally {
            reg.unregister();
        }
    }

    /** A hook factory that throws as a resolve begins makes the framework refuse every resolve: so does the check, naming it. */
    @Test
    public void aResolverHookThatThrowsAsTheResolveBeginsFailsTheCheck() throws Exception {
        ModuleSource app = jar("h4.app", "1.0.0");
        ServiceRegistration<ResolverHookFactory> reg = hook(triggers -> {
            throw new IllegalStateException("no resolving today");
        });
        try {
            CheckReport r = wiring.check(app);
            assertFalse(r.describe(), r.resolvable());
            assertEquals(List.of(named(reg) + " threw as the resolve began: java.lang.IllegalStateException: no resolving today"),
                    r.problems());
            assertFalse(frameworkResolves(force(app)));
        } finally {
            reg.unregister();
        }
    }

    /**
     * Of two unresolved singletons of one name, Felix 7.0.5 resolves the lower version (the check
     * said the higher): a jar checked beside a lower unresolved singleton would not resolve, as the
     * framework then shows.
     */
    @Test
    public void ofTwoUnresolvedSingletonsTheCheckExpectsTheOneTheFrameworkResolves() throws Exception {
        Module low = registry.install(jar("s.pick", "1.0.0", "Bundle-SymbolicName", "s.pick;singleton:=true"));
        ModuleSource high = jar("s.pick", "2.0.0", "Bundle-SymbolicName", "s.pick;singleton:=true");
        CheckReport r = wiring.check(high);
        Module installed = force(high);
        boolean framework = frameworkResolves(installed);
        assertEquals(r.describe(), framework, r.resolvable());
        assertFalse(r.describe(), r.resolvable());
        assertEquals(List.of("s.pick is a singleton and so is s.pick 1.0.0 (bundle " + low.bundleId() + "), which the framework "
                + "would resolve instead: of singletons not resolved yet, Felix resolves the lowest version"), r.problems());
        // and the installed one it prefers would resolve, as it does
        assertTrue(wiring.check(Long.toString(low.bundleId())).resolvable());
        assertTrue(frameworkResolves(low));
    }
}
