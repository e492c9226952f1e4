package org.modreg.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.modreg.api.InstallOption;
import org.modreg.api.LifecycleException;
import org.modreg.api.ModuleAudit;
import org.modreg.api.ModuleHistory;
import org.modreg.api.ModuleLifecycle;
import org.modreg.api.ModuleNotFoundException;
import org.modreg.api.ModuleSource;
import org.modreg.api.ModuleState;
import org.modreg.api.dto.AuditEntry;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleMark;
import org.modreg.api.dto.ModuleVersion;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/** Lifecycle marks (deprecate, archive, delete) and retention of kept versions. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LifecycleIT extends ModregTestSupport {

    private static final String TEXT = "org.modreg.example.text";
    private static final String PROCESSOR = "org.modreg.example.processor";

    @Inject
    protected ModuleLifecycle lifecycle;

    @Inject
    protected ModuleHistory history;

    @Inject
    protected ModuleAudit audit;

    @After
    public void tearDown() throws Exception {
        for (ModuleMark m : lifecycle.marks()) {
            lifecycle.unmark(m.moduleId());
        }
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName().startsWith("org.modreg.example") || b.getSymbolicName().startsWith("l.")) {
                b.uninstall();
            }
        }
    }

    private void installText() {
        registry.install(ModuleSource.of(example("processor")));
        registry.install(ModuleSource.of(example("text")), InstallOption.START);
    }

    private String me() {
        return "api:" + context.getBundle().getSymbolicName();
    }

    @Test
    public void aDeprecatedModuleKeepsWorkingAndSaysSo() throws Exception {
        installText();
        ModuleMark m = lifecycle.deprecate(TEXT, "replaced by the markdown plugin", "org.modreg.example.markdown");
        assertEquals(ModuleMark.Kind.DEPRECATED, m.kind());
        assertEquals(me(), m.origin());
        assertEquals(m, lifecycle.mark(TEXT).orElseThrow());
        assertEquals(List.of(m), lifecycle.marks());
        assertEquals("it still works", ModuleState.ACTIVE, registry.get(TEXT).state());
        List<org.osgi.service.event.Event> uses = new java.util.concurrent.CopyOnWriteArrayList<>();
        var handler = context.registerService(org.osgi.service.event.EventHandler.class, uses::add,
                new Hashtable<>(Map.of(org.osgi.service.event.EventConstants.EVENT_TOPIC,
                        org.modreg.api.ModuleEvents.TOPIC_DEPRECATED_USE)));
        try {
            for (int i = 0; i < 3; i++) {
                assertEquals(1, registry.services("org.modreg.example.processor.DataProcessor", "text-processing", null).size());
            }
            await("a look-up of a deprecated module is warned", () -> !uses.isEmpty());
            Thread.sleep(200);
            assertEquals("once per consumer", 1, uses.size());
            assertEquals(TEXT, uses.get(0).getProperty(org.modreg.api.ModuleEvents.MODULE_ID));
            assertEquals(context.getBundle().getSymbolicName(), uses.get(0).getProperty(org.modreg.api.ModuleEvents.CONSUMER));
        } finally {
            handler.unregister();
        }
        AuditEntry e = last(TEXT);
        assertEquals("deprecate", e.operation());
        assertEquals("replaced by the markdown plugin (use org.modreg.example.markdown)", e.detail());

        assertEquals(m, lifecycle.unmark(TEXT).orElseThrow());
        assertTrue(lifecycle.mark(TEXT).isEmpty());
        assertThrows(ModuleNotFoundException.class, () -> lifecycle.deprecate("no.such.module", "", null));
    }

    @Test
    public void anArchivedModuleIsStoppedAndCannotStartUntilUnmarked() throws Exception {
        installText();
        List<Module> archived = lifecycle.archive(TEXT, "end of life");
        assertEquals(1, archived.size());
        assertFalse(archived.get(0).state() == ModuleState.ACTIVE);
        LifecycleException e = assertThrows(LifecycleException.class, () -> registry.start(TEXT));
        assertTrue(e.getMessage(), e.getMessage().contains("cannot start: it is archived (end of life); module:unmark " + TEXT));
        assertEquals(AuditEntry.Result.FAILED, last(TEXT).result());
        lifecycle.unmark(TEXT);
        assertEquals(ModuleState.ACTIVE, registry.start(TEXT).state());
    }

    @Test
    public void deleteIsRefusedWhileUsedAndRemovesEverythingButTheTrail() throws Exception {
        installText();
        Path stored = Path.of(registry.get(TEXT).content().stored());
        LifecycleException used = assertThrows(LifecycleException.class, () -> lifecycle.delete(PROCESSOR, false));
        assertTrue(used.getMessage(), used.getMessage().startsWith(PROCESSOR + " is used by " + TEXT));
        assertEquals("nothing changed", ModuleState.ACTIVE, registry.get(TEXT).state());

        List<Module> gone = lifecycle.delete(TEXT, false);
        assertEquals(1, gone.size());
        assertThrows(ModuleNotFoundException.class, () -> registry.get(TEXT));
        assertFalse("its bytes are removed", Files.exists(stored));
        assertFalse("the history stays", history.history(TEXT).isEmpty());
        assertTrue(history.history(TEXT).stream().noneMatch(ModuleVersion::kept));
        AuditEntry e = last(TEXT);
        assertEquals("delete", e.operation());
        assertEquals(me(), e.origin());
        assertTrue(e.detail(), e.detail().startsWith("1 installed version(s) uninstalled, "));
    }

    @Test
    public void retentionKeepsTheNewestVersions() throws Exception {
        configure(Map.of("versions", 1, "archived.days", 0));
        try {
            Path dir = Files.createTempDirectory(Path.of(System.getProperty("paxexam.work.dir", "target/paxexam")), "ret");
            for (String v : List.of("1.0.0", "1.1.0", "1.2.0")) {
                ModuleSource s = ModuleSource.of(TestJars.bundle(dir, "l-" + v + ".jar", "l.ret", v));
                if (v.equals("1.0.0")) {
                    registry.install(s);
                } else {
                    registry.update("l.ret", s);
                }
            }
            List<String> done = lifecycle.retain();
            assertEquals(done.toString(), 1, done.size());
            assertTrue(done.get(0), done.get(0).startsWith("removed the kept bytes of l.ret 1.0.0"));
            List<ModuleVersion> h = history.history("l.ret");
            assertEquals(List.of(false, true, true), h.stream().map(ModuleVersion::kept).toList());
            assertEquals(List.of(), lifecycle.retain());
            assertThrows(ModuleNotFoundException.class, () -> history.rollback("l.ret", "1.0.0"));
        } finally {
            configure(Map.of("versions", 5, "archived.days", 30));
        }
    }

    private AuditEntry last(String moduleId) {
        List<AuditEntry> t = audit.trail(moduleId, null, 1);
        return t.get(t.size() - 1);
    }

    private void configure(Map<String, Object> values) throws Exception {
        ServiceReference<ConfigurationAdmin> ref = context.getServiceReference(ConfigurationAdmin.class);
        org.osgi.service.cm.Configuration c = context.getService(ref).getConfiguration("org.modreg.retention", "?");
        Dictionary<String, Object> props = new Hashtable<>(values);
        c.update(props);
        await("retention configured", () -> {
            try {
                ServiceReference<?>[] r = context.getServiceReferences((String) null, "(component.name=org.modreg.core.lifecycle.LifecycleService)");
                return r != null && values.get("versions").equals(r[0].getProperty("versions"));
            } catch (org.osgi.framework.InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
