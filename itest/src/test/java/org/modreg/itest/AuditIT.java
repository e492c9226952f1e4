package org.modreg.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.modreg.api.InstallOption;
import org.modreg.api.LifecycleException;
import org.modreg.api.ModuleAudit;
import org.modreg.api.ModuleDeployer;
import org.modreg.api.ModuleSource;
import org.modreg.api.ModuleState;
import org.modreg.api.UnresolvableModuleException;
import org.modreg.api.dto.AuditEntry;
import org.modreg.api.dto.AuditEntry.Result;
import org.modreg.api.dto.Module;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** The audit trail: each mutating operation once, with its origin, module, version and result. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AuditIT extends ModregTestSupport {

    private static final String TEXT = "org.modreg.example.text";

    @Inject
    protected ModuleAudit audit;

    @Inject
    protected ModuleDeployer deployer;

    @After
    public void tearDown() throws Exception {
        clean(deployer, "org.modreg.example");
    }

    /** The entries written since a point in time, this test's. */
    private List<AuditEntry> since(Instant t0) {
        return audit.trail(null, t0, 0);
    }

    private String me() {
        return "api:" + context.getBundle().getSymbolicName();
    }

    @Test
    public void everyOperationThroughTheApiIsOneEntryWithItsOriginAndResult() throws Exception {
        Instant t0 = Instant.now();
        registry.install(ModuleSource.of(example("processor")));
        Module text = registry.install(ModuleSource.of(example("text")), InstallOption.START);
        registry.stop(TEXT);
        registry.start(TEXT);
        registry.refresh(TEXT);
        registry.uninstall(TEXT);

        List<AuditEntry> trail = since(t0);
        assertEquals(trail.toString(), List.of("install org.modreg.example.processor OK", "install " + TEXT + " OK",
                "stop " + TEXT + " OK", "start " + TEXT + " OK", "refresh " + TEXT + " OK", "uninstall " + TEXT + " OK"),
                trail.stream().map(e -> e.operation() + " " + e.moduleId() + " " + e.result()).toList());
        for (AuditEntry e : trail) {
            assertEquals(me(), e.origin());
            assertNull(e.error());
            assertTrue(e.sequence() > 0 && !e.time().isBefore(t0.minusMillis(1)));
        }
        AuditEntry install = trail.get(1);
        assertEquals("0.1.0.SNAPSHOT", install.version());
        assertEquals(text.bundleId(), install.bundleId());
        assertEquals(ModuleSource.of(example("text")).name(), install.target());
        // filters: by module, and the newest n
        assertEquals(5, audit.trail(TEXT, t0, 0).size());
        assertEquals(List.of("refresh", "uninstall"), audit.trail(null, t0, 2).stream().map(AuditEntry::operation).toList());
    }

    @Test
    public void refusalsFailuresAndRollbacksSayWhy() throws Exception {
        Instant t0 = Instant.now();
        assertThrows(UnresolvableModuleException.class, () -> registry.install(ModuleSource.of(example("unresolvable"))));
        registry.install(ModuleSource.of(example("processor")));
        registry.install(ModuleSource.of(example("failing")));
        assertThrows(LifecycleException.class, () -> registry.start("org.modreg.example.failing"));
        registry.install(ModuleSource.of(example("text")), InstallOption.START);
        assertThrows(LifecycleException.class, () -> registry.update(TEXT, ModuleSource.of(example("text-broken"))));
        assertEquals(ModuleState.ACTIVE, registry.get(TEXT).state());
        Path junk = Files.writeString(Files.createTempFile(Path.of(System.getProperty("paxexam.work.dir", "target/paxexam")),
                "junk", ".jar"), "not a jar");
        assertThrows(RuntimeException.class, () -> registry.install(ModuleSource.of(junk)));

        List<AuditEntry> trail = since(t0);
        AuditEntry refused = trail.get(0);
        assertEquals("install", refused.operation());
        assertEquals(Result.REFUSED, refused.result());
        assertEquals("the jar was read: its id is known though it was refused", "org.modreg.example.unresolvable",
                refused.moduleId());
        assertEquals(-1, refused.bundleId());
        assertTrue(refused.error(), refused.error().contains("missing"));

        AuditEntry failed = trail.stream().filter(e -> e.operation().equals("start")).findFirst().orElseThrow();
        assertEquals("org.modreg.example.failing", failed.moduleId());
        assertEquals(Result.FAILED, failed.result());
        assertTrue(failed.error(), failed.error().contains("start failed"));

        AuditEntry rolledBack = trail.stream().filter(e -> e.operation().equals("update")).findFirst().orElseThrow();
        assertEquals(TEXT, rolledBack.moduleId());
        assertEquals(Result.ROLLED_BACK, rolledBack.result());
        assertTrue(rolledBack.error(), rolledBack.error().contains("rolled back"));

        AuditEntry notAZip = trail.get(trail.size() - 1);
        assertEquals(Result.REFUSED, notAZip.result());
        assertNull(notAZip.moduleId());
        assertTrue(notAZip.error(), notAZip.error().contains(junk.toString()) && notAZip.error().contains("not a zip"));
    }

    @Test
    public void theDeployDirectoryIsItsOwnOriginAndACallerKeepsTheirs() throws Exception {
        Instant t0 = Instant.now();
        Files.copy(example("processor"), deployer.directory().resolve("processor.jar"));
        await("deployed from the directory", () -> since(t0).stream().anyMatch(e -> e.operation().equals("start")));
        org.modreg.api.dto.DeployResult text = deployer.deploy(ModuleSource.of(example("text")));
        assertEquals(text.message(), org.modreg.api.dto.DeployResult.Outcome.INSTALLED, text.outcome());
        Files.copy(example("text-broken"), deployer.directory().resolve("text.jar"), StandardCopyOption.REPLACE_EXISTING);
        await("the broken update rolled back", () -> since(t0).stream().anyMatch(e -> e.result() == Result.ROLLED_BACK));

        List<AuditEntry> trail = since(t0);
        List<String> seen = trail.stream().map(e -> e.origin() + " " + e.operation() + " " + e.moduleId() + " " + e.result())
                .toList();
        assertEquals(seen.toString(), List.of(
                "deploy install org.modreg.example.processor OK",
                "deploy start org.modreg.example.processor OK",
                me() + " install " + TEXT + " OK",
                me() + " start " + TEXT + " OK",
                "deploy update " + TEXT + " ROLLED_BACK"), seen);
    }
}
