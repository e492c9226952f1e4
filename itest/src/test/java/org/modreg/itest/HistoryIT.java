package org.modreg.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.modreg.api.DuplicateModuleException;
import org.modreg.api.InstallOption;
import org.modreg.api.InvalidQueryException;
import org.modreg.api.ModuleAudit;
import org.modreg.api.ModuleDeployer;
import org.modreg.api.ModuleHistory;
import org.modreg.api.ModuleNotFoundException;
import org.modreg.api.ModuleSource;
import org.modreg.api.ModuleState;
import org.modreg.api.dto.AuditEntry;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleDiff;
import org.modreg.api.dto.ModuleVersion;
import org.modreg.api.dto.VerifyReport;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;

/** Version history, rollback to a kept version, version ranges, immutable releases, verify. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HistoryIT extends ModregTestSupport {

    @Inject
    protected ModuleHistory history;

    @Inject
    protected ModuleAudit audit;

    @Inject
    protected ModuleDeployer deployer;

    @Inject
    protected org.modreg.api.ModuleWiring wiring;

    private Path jars;

    @Before
    public void setUp() throws Exception {
        jars = Files.createTempDirectory(Path.of(System.getProperty("paxexam.work.dir", "target/paxexam")), "history");
    }

    @After
    public void tearDown() throws Exception {
        clean(deployer, "h.");
    }

    /** A bundle whose bytes differ by a marker, with a name and a version. */
    private Path jar(String bsn, String version, String marker) throws Exception {
        return TestJars.jar(jars, bsn + "-" + version + "-" + marker + ".jar", Map.of("Bundle-ManifestVersion", "2",
                "Bundle-SymbolicName", bsn, "Bundle-Version", version, "X-Marker", marker));
    }

    @Test
    public void everyVersionIsKeptAndAnyCanBeRolledBackTo() throws Exception {
        registry.install(ModuleSource.of(jar("h.mod", "1.0.0", "a")), InstallOption.START);
        registry.update("h.mod", ModuleSource.of(jar("h.mod", "1.1.0", "a")));
        Module v2 = registry.update("h.mod", ModuleSource.of(jar("h.mod", "2.0.0", "a")));

        List<ModuleVersion> h = history.history("h.mod");
        assertEquals(List.of("installed 1.0.0", "updated 1.1.0", "updated 2.0.0"),
                h.stream().map(v -> v.event() + " " + v.version()).toList());
        assertTrue(h.stream().allMatch(ModuleVersion::kept));
        assertEquals(List.of(false, false, true), h.stream().map(ModuleVersion::installed).toList());
        assertEquals(v2.content().digest(), h.get(2).digest());
        assertEquals("api:" + context.getBundle().getSymbolicName(), h.get(0).origin());

        // back one version, then to a named one
        Module back = history.rollback("h.mod", null);
        assertEquals(Version.parseVersion("1.1.0"), back.version());
        assertEquals(ModuleState.ACTIVE, back.state());
        Module first = history.rollback("h.mod", "1.0.0");
        assertEquals(Version.parseVersion("1.0.0"), first.version());
        assertEquals(h.get(0).digest(), first.content().digest());
        assertEquals(List.of("rolled back 1.1.0", "rolled back 1.0.0"), history.history("h.mod").stream().skip(3)
                .map(v -> v.event() + " " + v.version()).toList());
        List<AuditEntry> rollbacks = audit.trail("h.mod", null, 0).stream().filter(e -> e.operation().equals("rollback"))
                .toList();
        assertEquals(2, rollbacks.size());
        assertEquals("from 1.1.0", rollbacks.get(1).detail());

        ModuleNotFoundException e = assertThrows(ModuleNotFoundException.class, () -> history.rollback("h.mod", "9.9"));
        assertEquals("h.mod 9.9.0: no such version is kept (module:history h.mod lists them)", e.getMessage());
        assertEquals("h.mod", e.ref());
    }

    @Test
    public void theBestVersionInARange() throws Exception {
        registry.install(ModuleSource.of(jar("h.range", "1.0.0", "a")));
        registry.update("h.range", ModuleSource.of(jar("h.range", "1.4.0", "a")));
        registry.update("h.range", ModuleSource.of(jar("h.range", "2.1.0", "a")));
        registry.update("h.range", ModuleSource.of(jar("h.range", "1.2.0", "a")));

        assertEquals(Version.parseVersion("1.4.0"), history.resolve("h.range", "[1.0,2)").version());
        ModuleVersion installed = history.resolve("h.range", "[1.2,1.3)");
        assertEquals(Version.parseVersion("1.2.0"), installed.version());
        assertTrue(installed.installed());
        assertEquals(Version.parseVersion("2.1.0"), history.resolve("h.range", "2").version());
        assertThrows(ModuleNotFoundException.class, () -> history.resolve("h.range", "[3,4)"));
        InvalidQueryException bad = assertThrows(InvalidQueryException.class, () -> history.resolve("h.range", "[1,"));
        assertTrue(bad.getMessage(), bad.getMessage().startsWith("\"[1,\" is not an OSGi version range"));
    }

    @Test
    public void aReleasedVersionIsImmutableUnlessForcedButASnapshotIsNot() throws Exception {
        registry.install(ModuleSource.of(jar("h.imm", "1.0.0", "a")));
        registry.update("h.imm", ModuleSource.of(jar("h.imm", "1.1.0", "a")));
        Path other = jar("h.imm", "1.0.0", "b");
        DuplicateModuleException e = assertThrows(DuplicateModuleException.class,
                () -> registry.update("h.imm", ModuleSource.of(other)));
        assertTrue(e.getMessage(), e.getMessage().contains("h.imm 1.0.0 was installed before with other bytes"));
        assertTrue(e.getMessage(), e.getMessage().startsWith(ModuleSource.of(other).name()));
        assertEquals(Version.parseVersion("1.1.0"), registry.get("h.imm").version());
        // the same bytes again are fine, and force overrides
        assertEquals(Version.parseVersion("1.0.0"), registry.update("h.imm", ModuleSource.of(jar("h.imm", "1.0.0", "a"))).version());
        registry.update("h.imm", ModuleSource.of(other), InstallOption.FORCE);

        registry.install(ModuleSource.of(jar("h.snap", "1.0.0.SNAPSHOT", "a")));
        Module rebuilt = registry.update("h.snap", ModuleSource.of(jar("h.snap", "1.0.0.SNAPSHOT", "b")));
        assertEquals("a SNAPSHOT may be rebuilt", history.history("h.snap").get(1).digest(), rebuilt.content().digest());
    }

    @Test
    public void verifyFindsBytesChangedOnDisk() throws Exception {
        Module m = registry.install(ModuleSource.of(jar("h.verify", "1.0.0", "a")));
        VerifyReport ok = history.verify("h.verify");
        assertTrue(ok.problems().toString(), ok.ok());
        assertEquals(1, ok.checked());
        Path stored = Path.of(m.content().stored());
        byte[] bytes = Files.readAllBytes(stored);
        stored.toFile().setWritable(true);
        Files.writeString(stored, "tampered");
        try {
            VerifyReport bad = history.verify(null);
            assertEquals(bad.problems().toString(), 1, bad.problems().size());
            assertTrue(bad.problems().get(0), bad.problems().get(0).startsWith(stored + ": its SHA-256 is "));
            assertTrue("every jar of the store is hashed", bad.checked() >= ok.checked());
        } finally {
            Files.write(stored, bytes);
        }
        VerifyReport again = history.verify(null);
        assertTrue(again.problems().toString(), again.ok());
        assertThrows(ModuleNotFoundException.class, () -> history.verify("h.none"));
    }

    @Test
    public void aDeployedModuleIsRolledBackThroughItsFile() throws Exception {
        Path file = deployer.directory().resolve("h-dep.jar");
        Files.copy(jar("h.dep", "1.0.0", "a"), file);
        await("deployed", () -> registry.list().stream().anyMatch(x -> x.id().equals("h.dep") && x.state() == ModuleState.ACTIVE));
        Files.copy(jar("h.dep", "2.0.0", "a"), file, StandardCopyOption.REPLACE_EXISTING);
        await("updated, the old version retired", () -> registry.list().stream().filter(x -> x.id().equals("h.dep"))
                .map(x -> x.version() + " " + x.state()).toList().equals(List.of("2.0.0 ACTIVE")));

        Module back = history.rollback("h.dep", null);
        assertEquals(Version.parseVersion("1.0.0"), back.version());
        assertEquals(ModuleState.ACTIVE, back.state());
        assertEquals("the file holds the version that runs, so the directory does not update it again",
                history.history("h.dep").get(0).digest(), sha256(file));
        assertTrue(history.history("h.dep").get(0).installed());
    }

    /** Real jars from Maven Central: jackson-core 2.13.5 and 2.17.2, baselined by bnd. */
    @Test
    public void twoVersionsCompareByManifestAndByApi() throws Exception {
        Path corpus = Path.of(System.getProperty("corpus.dir", "target/corpus"));
        String id = "com.fasterxml.jackson.core.jackson-core";
        registry.install(ModuleSource.of(corpus.resolve("jackson-core-2.13.5.jar")));
        Path consumer = TestJars.jar(jars, "h-consumer.jar", Map.of("Bundle-ManifestVersion", "2", "Bundle-SymbolicName",
                "h.consumer", "Bundle-Version", "1.0.0", "Import-Package", "com.fasterxml.jackson.core;version=\"[2.13,3)\""));
        registry.install(ModuleSource.of(consumer), InstallOption.START);
        try {
            // the check of the update says what the consumer is in for, and does not refuse it
            org.modreg.api.dto.CheckReport check = wiring.checkUpdate(id, ModuleSource.of(corpus.resolve("jackson-core-2.17.2.jar")));
            assertTrue(check.describe(), check.safe());
            assertEquals(check.describe(), List.of("package com.fasterxml.jackson.core changes its API (MAJOR: it needs version "
                    + "3.0.0) but declares 2.17.2; used by h.consumer, which would resolve against it and may fail at run time"),
                    check.warnings());
            assertTrue(check.describe().contains("\n  warning: package com.fasterxml.jackson.core changes its API"));
            registry.update(id, ModuleSource.of(corpus.resolve("jackson-core-2.17.2.jar")));

            ModuleDiff up = history.diff(id, "2.13.5", "2.17.2");
            // Jackson adds abstract methods to classes its users extend within 2.x: by OSGi's semantic
            // versioning a major change, declared as a minor one
            ModuleDiff.PackageBaseline core = baseline(up, "com.fasterxml.jackson.core");
            assertEquals("MAJOR", core.delta());
            assertEquals(Version.parseVersion("2.13.5"), core.previous());
            assertEquals(Version.parseVersion("2.17.2"), core.declared());
            assertEquals(Version.parseVersion("3.0.0"), core.suggested());
            assertTrue(core.mismatch());
            assertTrue(up.breaking());
            assertTrue(up.mismatched());
            // and the rest, package by package
            assertEquals("MINOR", baseline(up, "com.fasterxml.jackson.core.util").delta());
            assertFalse(baseline(up, "com.fasterxml.jackson.core.util").mismatch());
            assertEquals("UNCHANGED", baseline(up, "com.fasterxml.jackson.core.type").delta());
            assertEquals("ADDED", baseline(up, "com.fasterxml.jackson.core.io.schubfach").delta());
            assertTrue(up.changes().toString(), up.changes().stream().anyMatch(c -> c.kind().equals("changed")
                    && c.namespace().equals("osgi.wiring.package") && c.name().equals("com.fasterxml.jackson.core")
                    && c.after().contains("2.17.2")));
            assertTrue(up.changes().toString(), up.changes().stream().anyMatch(c -> c.kind().equals("added")
                    && c.name().equals("com.fasterxml.jackson.core.io.schubfach")));
            assertThrows(ModuleNotFoundException.class, () -> history.diff(id, "2.13.5", "9.0.0"));
        } finally {
            registry.uninstall("h.consumer");
            registry.uninstall(id);
        }
    }

    private static ModuleDiff.PackageBaseline baseline(ModuleDiff d, String pkg) {
        return d.packages().stream().filter(p -> p.packageName().equals(pkg)).findFirst()
                .orElseThrow(() -> new AssertionError(pkg + " not in " + d.packages()));
    }

    private static String sha256(Path p) throws Exception {
        java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
        return java.util.HexFormat.of().formatHex(d.digest(Files.readAllBytes(p)));
    }
}
