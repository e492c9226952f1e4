package org.modreg.shell.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.felix.service.command.Converter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.modreg.api.ModuleState;
import org.modreg.api.dto.AuditEntry;
import org.modreg.api.dto.CapabilityInfo;
import org.modreg.api.dto.CheckReport;
import org.modreg.api.dto.Dependency;
import org.modreg.api.dto.DependencyGraph;
import org.modreg.api.dto.DeployPlan;
import org.modreg.api.dto.DeployResult;
import org.modreg.api.dto.Health;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleContent;
import org.modreg.api.dto.ModuleDiff;
import org.modreg.api.dto.ModuleError;
import org.modreg.api.dto.ModuleMark;
import org.modreg.api.dto.ModuleMatch;
import org.modreg.api.dto.ModuleStats;
import org.modreg.api.dto.ModuleVersion;
import org.modreg.api.dto.RequirementInfo;
import org.modreg.api.dto.ServiceInfo;
import org.modreg.api.dto.ServiceMatch;
import org.modreg.api.dto.VerifyReport;
import org.modreg.api.dto.WireInfo;
import org.osgi.framework.Version;

/**
 * What every command result prints, byte for byte, at both levels Gogo asks for: the terminal
 * (INSPECT) and one line (LINE). The expected text is in {@code src/test/resources/formats/}; it was
 * written from the formatter before the shell was split by topic, and pins its output. After a
 * deliberate change of the output, write the files again with {@code -Dformats.write=true} and read
 * the diff.
 */
class FormatsTest {

    private static final Path EXPECTED = Path.of("src/test/resources/formats");
    private static final Instant T1 = Instant.parse("2026-11-26T14:30:00Z");
    private static final Instant T2 = Instant.parse("2026-11-27T09:05:07Z");

    private static final List<Converter> CONVERTERS = FormatsTestSupport.converters();

    /** The converters as Gogo asks them: in turn, until one formats the object; here, exactly one must. */
    private static CharSequence format(Object o, int level) throws Exception {
        CharSequence found = null;
        for (Converter c : CONVERTERS) {
            CharSequence s = c.format(o, level, null);
            if (s != null) {
                assertNull(found, o.getClass().getName() + " is formatted by two converters, one of them " + c.getClass().getName());
                found = s;
            }
        }
        return found;
    }

    private static Module module(long bundle, String id, ModuleState state, List<String> tags, List<ModuleError> errors) {
        return new Module(bundle, id, Version.parseVersion("1.2.0"), "Text", "Does text", "acme", "MIT", "https://x/doc", tags,
                "plugin", Set.of("text", "words"),
                List.of(new CapabilityInfo("modreg.capability", Map.of("modreg.capability", "text-processing", "v", 2),
                        Map.of("uses", "a.b"))),
                List.of(new RequirementInfo("osgi.wiring.package", "(osgi.wiring.package=a)", true, Map.of()),
                        new RequirementInfo("osgi.ee", "(osgi.ee=JavaSE)", false, Map.of())),
                List.of(new ServiceInfo(30, List.of("a.Api"), Map.of("service.id", 30L, "rank", 5, "objectClass", "x"))),
                state, "file:/deploy/" + id + ".jar", new ModuleContent("abc123", 10_240, 7_000, "/store/abc.jar"), T1, errors);
    }

    static Stream<Map.Entry<String, Object>> results() {
        Module a = module(3, "a.b", ModuleState.ACTIVE, List.of("x", "y"), List.of());
        Module f = module(12, "a.longer.name", ModuleState.FAILED, List.of(),
                List.of(new ModuleError(T1, "start", "it broke"), new ModuleError(T2, "resolve", "missing a")));
        ModuleMark deprecated = new ModuleMark("a.b", ModuleMark.Kind.DEPRECATED, "old", "a.c", T1, "shell");
        ModuleMark archived = new ModuleMark("a.longer.name", ModuleMark.Kind.ARCHIVED, "", null, T2, "http:alice");
        Map<String, ModuleMark> marks = Map.of("a.b", deprecated);
        WireInfo pkg = new WireInfo(12, 3, "osgi.wiring.package", "a", "1.0.0", false);
        WireInfo svc = new WireInfo(12, 3, "osgi.service", "a.Api", "", true);
        WireInfo p2 = new WireInfo(12, 3, "osgi.wiring.package", "b", "1.0.0", false);
        WireInfo p3 = new WireInfo(12, 3, "osgi.wiring.package", "c", "1.0.0", false);
        WireInfo p4 = new WireInfo(12, 3, "osgi.wiring.package", "d", "1.0.0", false);

        Map<String, Object> r = new LinkedHashMap<>();
        r.put("table", new ModuleTable(List.of(a, f), marks));
        r.put("table-empty", new ModuleTable(List.of()));
        r.put("info", new ModuleInfo(f, Optional.of(archived)));
        r.put("info-unmarked", new ModuleInfo(a, Optional.empty()));
        r.put("mark", deprecated);
        r.put("lifecycle", new LifecycleResult("stopped", a));
        r.put("find", new FindResult(List.of(new ModuleMatch(a, 2.5, List.of(new CapabilityInfo("modreg.capability",
                Map.of("modreg.capability", "text-processing"), Map.of()))), new ModuleMatch(f, 1.0, List.of(
                        new CapabilityInfo("osgi.service", Map.of("osgi.service", "a.Api", "service.id", 30L), Map.of())))), marks));
        r.put("find-empty", new FindResult(List.of()));
        r.put("services", new ServiceTable(List.of(new ServiceMatch<Object>(null, a, new ServiceInfo(30, List.of("a.Api", "a.Other"),
                Map.of("service.id", 30L, "service.ranking", 10, "rank", 5, "component.name", "c", "objectClass", "x"))),
                new ServiceMatch<Object>(null, f, new ServiceInfo(31, List.of("a.Api"), Map.of("service.id", 31L))))));
        r.put("services-empty", new ServiceTable(List.of()));
        r.put("capabilities", new CapabilityTable(a.ref(), a.capabilities(), List.of()));
        r.put("requirements", new CapabilityTable(a.ref(), List.of(), a.requirements()));
        r.put("capabilities-none", new CapabilityTable(a.ref(), List.of(), List.of()));
        r.put("module", a);
        r.put("check", new CheckReport(CheckReport.Kind.INSTALL, "x.jar", "a.b", Version.parseVersion("1.2.0"), -1, false,
                List.of(new CheckReport.Unsatisfied("a.b", "osgi.wiring.package", "org.x", "[1.0.0,2.0.0)",
                        "(&(osgi.wiring.package=org.x)(version>=1.0.0)(!(version>=2.0.0)))", "Import-Package: org.x", true,
                        List.of(), List.of(new CheckReport.NearMiss("org.x.impl", 7, "2.1.0", "version 2.1.0 is outside the range")))),
                List.of(), List.of(), List.of(), List.of(), "Unable to resolve", List.of("a warning")));
        r.put("deps", new DependencyTable("a.longer.name 1.2.0", List.of(new Dependency(a, 1, List.of(pkg, svc, p2, p3, p4))), true));
        r.put("dependents", new DependencyTable("a.b 1.2.0", List.of(new Dependency(f, 1, List.of(pkg))), false));
        r.put("deps-none", new DependencyTable("a.b 1.2.0", List.of(), true));
        r.put("dependents-none", new DependencyTable("a.b 1.2.0", List.of(), false));
        r.put("graph", new GraphSummary(new DependencyGraph(
                List.of(new DependencyGraph.Node(3, "a.b", "1.2.0", ModuleState.ACTIVE),
                        new DependencyGraph.Node(12, "a.longer.name", "1.2.0", ModuleState.FAILED),
                        new DependencyGraph.Node(14, "c", "2.0.0", ModuleState.ACTIVE)),
                List.of(new DependencyGraph.Edge(12, 3, false, List.of(pkg)), new DependencyGraph.Edge(3, 14, true, List.of(svc)),
                        new DependencyGraph.Edge(14, 3, false, List.of(p2))),
                List.of(List.of(3L, 14L)), List.of(List.of(3L, 14L), List.of(12L)),
                List.of(new DependencyGraph.Conflict("duplicate-package", "package a exported by a.b and c", List.of(3L, 14L))))));
        r.put("why", new WhyResult("a.longer.name 1.2.0 (bundle 12)", "a.b 1.2.0 (bundle 3)",
                Map.of(12L, "a.longer.name 1.2.0", 3L, "a.b 1.2.0"), List.of(pkg, svc)));
        r.put("why-none", new WhyResult("a.b 1.2.0 (bundle 3)", "c 2.0.0 (bundle 14)", Map.of(), List.of()));
        DeployResult installed = new DeployResult(DeployResult.Outcome.INSTALLED, "a.b.jar", a, "a.b 1.2.0 installed and started",
                List.of("refreshed a.longer.name", "took 12 ms"));
        r.put("deployed", installed);
        r.put("deploy-results", new DeployResults(List.of(installed, new DeployResult(DeployResult.Outcome.ROLLED_BACK, "f.jar", f,
                "f.jar: start failed: it broke; rolled back", List.of()))));
        r.put("deploy-results-empty", new DeployResults(List.of()));
        r.put("plan", new DeployPlan(List.of(new DeployPlan.Action(DeployPlan.Kind.INSTALL, "a.b.jar", "a.b 1.2.0", "new file"),
                new DeployPlan.Action(DeployPlan.Kind.UPDATE, "f.jar", "a.longer.name 1.2.0", "the bytes changed"))));
        ModuleStats st = new ModuleStats("a.b", T1, T2, 2, 5, 1, 12.5, 10.25, 20.0, T2, 42, Map.of("org.modreg.shell", 40L, "c", 2L),
                Map.of("a.Api", 42L), List.of("c", "d"), 10_240, 7_000);
        ModuleStats never = new ModuleStats("a.longer.name", T1, null, 0, 0, 0, -1, -1, -1, null, 0, Map.of(), Map.of(), List.of(), -1, -1);
        r.put("stats-table", new StatsTable(List.of(st, never)));
        r.put("stats-table-empty", new StatsTable(List.of()));
        r.put("stats", st);
        r.put("stats-never", never);
        r.put("health", new Health(Map.of(ModuleState.ACTIVE, 7, ModuleState.FAILED, 1), 8, 3, List.of(f, a),
                new Health.Performance(10.25, 100, 0.0125, 8, 120, 300)));
        r.put("health-no-performance", new Health(Map.of(ModuleState.ACTIVE, 1), 1, 0, List.of(), null));
        r.put("audit", new AuditTable(List.of(
                new AuditEntry(1, T1, "install", "a.b", "1.2.0", 3, "shell", AuditEntry.Result.OK, "file:/a.jar", "installed", null),
                new AuditEntry(2, T2, "start", null, null, -1, "deploy", AuditEntry.Result.FAILED, null, null, "it broke\n\tat x"))));
        r.put("audit-empty", new AuditTable(List.of()));
        r.put("history", new HistoryTable("a.b", List.of(
                new ModuleVersion("a.b", Version.parseVersion("1.0.0"), "0123456789abcdef0123", 1000, T1, "shell", "install", true, false),
                new ModuleVersion("a.b", Version.parseVersion("1.2.0"), null, -1, T2, "deploy", "update", false, true),
                new ModuleVersion("a.b", Version.parseVersion("0.9.0"), "fedcba9876543210", 900, T1, "host", "install", false, false))));
        r.put("history-empty", new HistoryTable("a.b", List.of()));
        r.put("version", new ModuleVersion("a.b", Version.parseVersion("1.2.0"), "0123abcd", 1000, T1, "shell", "install", false, true));
        r.put("version-kept", new ModuleVersion("a.b", Version.parseVersion("1.0.0"), null, 1000, T1, "shell", "install", true, false));
        r.put("diff", new ModuleDiff("a.b", Version.parseVersion("1.0.0"), Version.parseVersion("2.0.0"),
                List.of(new ModuleDiff.Change("added", "capability", "osgi.wiring.package", "b", null, "version=1.0.0"),
                        new ModuleDiff.Change("removed", "requirement", "osgi.wiring.package", "z", "(z)", null),
                        new ModuleDiff.Change("changed", "capability", "osgi.wiring.package", "a", "version=1.0.0", "version=2.0.0")),
                List.of(new ModuleDiff.PackageBaseline("a", "MAJOR", Version.parseVersion("1.0.0"), Version.parseVersion("1.1.0"),
                        Version.parseVersion("2.0.0"), true),
                        new ModuleDiff.PackageBaseline("b", "ADDED", null, Version.parseVersion("1.0.0"), null, false))));
        r.put("diff-none", new ModuleDiff("a.b", Version.parseVersion("1.0.0"), Version.parseVersion("1.0.1"), List.of(), List.of()));
        r.put("verify", new VerifyReport(4, List.of()));
        r.put("verify-problems", new VerifyReport(4, List.of("a.b 1.0.0: changed on disk", "a.b 0.9.0: missing")));
        return r.entrySet().stream();
    }

    @Test
    void theyFormatOnlyTheirOwnAndConvertNothing() throws Exception {
        assertTrue(CONVERTERS.size() > 20, "the shell's converters: " + CONVERTERS);
        for (Converter c : CONVERTERS) {
            assertNull(c.format("a string", Converter.INSPECT, null), c.getClass().getName());
            assertNull(c.convert(String.class, "x"), c.getClass().getName());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("results")
    void printsAsBefore(Map.Entry<String, Object> result) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int level : new int[] { Converter.INSPECT, Converter.LINE }) {
            CharSequence s = format(result.getValue(), level);
            assertNotNull(s, result.getKey() + ": no converter formats " + result.getValue().getClass().getName());
            sb.append("== level ").append(level).append('\n').append(s).append('\n');
        }
        // times print in the JVM's zone; the expected files are written with the zone's times as placeholders
        String actual = sb.toString().replace(FormatsTestSupport.time(T1), "<T1>").replace(FormatsTestSupport.time(T2), "<T2>");
        Path file = EXPECTED.resolve(result.getKey() + ".txt");
        if (Boolean.getBoolean("formats.write")) {
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual, file.toString());
    }
}
