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

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.modreg.api.ModuleState;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/** The module:* commands end to end through a Gogo session, asserting on what a user would read. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShellIT extends ModregTestSupport {

    private CommandSession session;
    private ByteArrayOutputStream out;

    @Before
    public void openSession() throws Exception {
        CommandProcessor processor = context.getService(context.getServiceReference(CommandProcessor.class));
        out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        session = processor.createSession(new ByteArrayInputStream(new byte[0]), ps, ps);
        await("module commands", () -> {
            try {
                return context.getServiceReferences((String) null, "(modreg.shell=ready)") != null;
            } catch (Exception e) {
                return false;
            }
        });
    }

    @After
    public void closeSession() throws Exception {
        session.close();
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName().startsWith("org.modreg.example")) {
                b.uninstall();
            }
        }
    }

    /** Runs a command as the shell does and returns what it prints. */
    private String run(String command) throws Exception {
        out.reset();
        Object result = session.execute(command);
        String printed = out.toString(StandardCharsets.UTF_8);
        return printed + (result == null ? "" : session.format(result, Converter.INSPECT));
    }

    @Test
    public void listShowsEveryModuleAsATable() throws Exception {
        String list = run("module:list");
        String[] lines = list.split("\n");
        assertTrue(list, lines[0].matches("ID +\\| Module +\\| Version +\\| State +\\| Type +\\| Tags"));
        assertTrue(list, lines[1].matches("[-+]+"));
        assertTrue(list, list.contains("org.modreg.core"));
        assertEquals("header, rule and one line a bundle", context.getBundles().length + 2, lines.length);
        assertTrue(list, list.matches("(?s).*\\n0 +\\| org.apache.felix.framework +\\| [^|]+\\| ACTIVE +\\| framework.*"));
    }

    @Test
    public void lifecycleThroughTheCommands() throws Exception {
        String first = run("module:install " + example("processor"));
        assertTrue(first, first.matches("org.modreg.example.processor 0.1.0.SNAPSHOT \\(bundle \\d+\\) installed: INSTALLED"));
        String installed = run("module:install --start " + example("text"));
        assertTrue(installed, installed.matches("org.modreg.example.text 0.1.0.SNAPSHOT \\(bundle \\d+\\) installed: ACTIVE"));

        String info = run("module:info org.modreg.example.text");
        assertTrue(info, info.contains("State        ACTIVE"));
        assertTrue(info, info.contains("Type         plugin"));
        assertTrue(info, info.contains("Tags         text, plugin"));
        assertTrue(info, info.contains("Digest       sha256:"));
        assertTrue(info, info.contains("modreg.capability modreg.capability=text-processing; version=1.2.0"));
        assertTrue(info, info.contains("osgi.wiring.package (&(osgi.wiring.package=org.modreg.example.processor)"));
        assertTrue(info, info.matches("(?s).*Services \\(1\\)\\n  \\[\\d+\\] org.modreg.example.processor.DataProcessor .*modreg.capability=\\[text-processing\\].*"));

        assertTrue(run("module:list --state ACTIVE --type plugin").contains("org.modreg.example.text"));
        String resolved = run("module:list -s RESOLVED");
        assertTrue("wired to text, never started: " + resolved, resolved.contains("org.modreg.example.processor"));

        String stopped = run("module:stop org.modreg.example.text");
        assertTrue(stopped, stopped.contains("| STOPPED"));
        assertTrue(run("module:list -s STOPPED").contains("org.modreg.example.text"));
        assertTrue(run("module:start org.modreg.example.text").contains("| ACTIVE"));
        assertTrue(run("module:update org.modreg.example.text").endsWith("updated: ACTIVE"));
        assertTrue(run("module:uninstall org.modreg.example.text").contains("| UNINSTALLED"));
        assertEquals("No modules", run("module:list --type plugin"));
    }

    @Test
    public void errorsNameTheModuleOrTheFile() throws Exception {
        Exception e = assertThrows(Exception.class, () -> run("module:info nope"));
        assertEquals("No module matching \"nope\"", e.getMessage());
        e = assertThrows(Exception.class, () -> run("module:install /no/such/plugin.jar"));
        assertEquals("/no/such/plugin.jar: no such file", e.getMessage());
        e = assertThrows(Exception.class, () -> run("module:list --state SLEEPING"));
        assertTrue(e.getMessage(), e.getMessage().startsWith("Unknown state \"SLEEPING\""));
        run("module:install " + example("processor"));
        e = assertThrows(Exception.class, () -> run("module:install --start " + example("failing")));
        assertTrue(e.getMessage(), e.getMessage().contains("org.modreg.example.failing 0.1.0.SNAPSHOT"));
        assertTrue(e.getMessage(), e.getMessage().contains("did not start: its activator threw java.lang.IllegalStateException"));
        String failed = run("module:list -s FAILED");
        assertTrue(failed, failed.contains("org.modreg.example.failing"));
        String info = run("module:info org.modreg.example.failing");
        assertTrue(info, info.contains("Errors (1)"));
        assertTrue(info, info.contains("start: org.modreg.example.failing"));
    }

    @Test
    public void bulkCommandsReportEachFailureAndDoTheRest() throws Exception {
        run("module:install " + example("processor"));
        run("module:install " + example("text"));
        Exception e = assertThrows(Exception.class, () -> run("module:start nope org.modreg.example.text ghost"));
        assertTrue(e.getMessage(), e.getMessage().contains("No module matching \"nope\""));
        assertTrue(e.getMessage(), e.getMessage().contains("No module matching \"ghost\""));
        assertTrue(e.getMessage(), e.getMessage().contains("done: org.modreg.example.text/0.1.0.SNAPSHOT"));
        assertEquals(ModuleState.ACTIVE, registry.get("org.modreg.example.text").state());
    }

    @Test
    public void wiringCommandsCheckRefuseAndDrawTheGraph() throws Exception {
        String check = run("module:check " + example("unresolvable"));
        assertTrue(check, check.matches("(?s)org.modreg.example.unresolvable 0.1.0.SNAPSHOT \\(\\S*unresolvable.jar\\) would NOT resolve\n.*"));
        assertTrue(check, check.contains("missing: package org.apache.felix.utils.version"));
        // a file: URL is the same jar
        assertEquals(check, run("module:check " + example("unresolvable").toUri()));
        // any scheme of two letters or more makes a URL, not a module reference
        Exception unknown = assertThrows(Exception.class, () -> run("module:check nope:x"));
        assertTrue(unknown.getMessage(), unknown.getMessage().startsWith("nope:x: cannot be read: "));
        assertTrue(unknown.getMessage(), unknown.getMessage().contains("Unknown protocol: nope"));
        Exception missing = assertThrows(Exception.class, () -> run("module:check no.such.module"));
        assertEquals("No module matching \"no.such.module\"", missing.getMessage());
        Exception e = assertThrows(Exception.class, () -> run("module:install " + example("unresolvable")));
        assertTrue(e.getMessage(), e.getMessage().contains("would NOT resolve"));
        assertTrue(e.getMessage(), e.getMessage().contains("Force it with --force"));
        assertTrue(run("module:install --force " + example("unresolvable")).endsWith("installed: FAILED"));
        String installed = run("module:check org.modreg.example.unresolvable");
        assertTrue(installed, installed.contains("(bundle ") && installed.contains("would NOT resolve"));

        run("module:install " + example("processor"));
        run("module:install --start " + example("text"));
        String deps = run("module:deps org.modreg.example.text");
        assertTrue(deps, deps.matches("(?s).*\\| org.modreg.example.processor +\\| .*\\| 1 +\\| package org.modreg.example.processor.*"));
        String transitive = run("module:deps --transitive org.modreg.example.text");
        // text -> SCR (its extender) -> org.osgi.util.promise -> org.osgi.util.function
        assertTrue(transitive, transitive.matches("(?s).*\\| org.modreg.example.processor +\\| .*\\| 1 +\\| package org.modreg.example.processor.*"));
        assertTrue(transitive, transitive.matches("(?s).*\\| org.apache.felix.scr +\\| .*\\| 1 +\\| extender osgi.component.*"));
        assertTrue(transitive, transitive.matches("(?s).*\\| org.osgi.util.promise +\\| .*\\| 2 +\\| package org.osgi.util.promise .*"));
        assertTrue(transitive, transitive.matches("(?s).*\\| org.osgi.util.function +\\| .*\\| 3 +\\| package org.osgi.util.function .*"));
        assertFalse(deps, deps.contains("org.osgi.util.promise"));
        String dependents = run("module:dependents org.modreg.example.processor");
        assertTrue(dependents, dependents.contains("org.modreg.example.text"));
        String why = run("module:why org.modreg.example.text org.modreg.example.processor");
        assertTrue(why, why.contains("-> org.modreg.example.processor/0.1.0.SNAPSHOT: package org.modreg.example.processor"));
        String dot = run("module:graph --dot org.modreg.example.text");
        assertTrue(dot, dot.startsWith("digraph modules {"));
        String json = run("module:graph --json org.modreg.example.text");
        assertTrue(json, json.startsWith("{\"nodes\":[") && json.contains("\"id\":\"org.modreg.example.processor\""));
        String summary = run("module:graph");
        assertTrue(summary, summary.contains("Cycles (") && summary.contains("Start order") && summary.contains("Conflicts ("));
        String update = run("module:check --update org.modreg.example.processor " + example("processor"));
        assertTrue(update, update.contains("would resolve") && update.contains("would refresh: org.modreg.example.text"));
    }

    @Test
    public void deployCommandsPlanDeployReloadAndUndeploy() throws Exception {
        String plan = run("module:deploy --dry-run " + example("processor"));
        assertTrue(plan, plan.startsWith("INSTALL   processor.jar  org.modreg.example.processor 0.1.0.SNAPSHOT  (new file; would resolve)"));
        assertTrue("a dry run installs nothing", registry.list().stream().noneMatch(m -> m.id().equals("org.modreg.example.processor")));

        assertTrue(run("module:deploy " + example("processor")).startsWith("INSTALLED: processor.jar: org.modreg.example.processor"));
        String deployed = run("module:deploy " + example("text"));
        assertTrue(deployed, deployed.matches("INSTALLED: text.jar: org.modreg.example.text/0.1.0.SNAPSHOT installed \\(bundle \\d+\\), ACTIVE"));
        assertTrue(run("module:deploy --dry-run").contains("NONE      text.jar  org.modreg.example.text/0.1.0.SNAPSHOT  (deployed already, the same bytes)"));

        String reloaded = run("module:reload org.modreg.example.text");
        assertTrue(reloaded, reloaded.startsWith("UPDATED: text.jar: org.modreg.example.text/0.1.0.SNAPSHOT updated"));
        assertEquals(ModuleState.ACTIVE, registry.get("org.modreg.example.text").state());

        Exception e = assertThrows(Exception.class, () -> run("module:deploy " + example("unresolvable")));
        assertTrue(e.getMessage(), e.getMessage().startsWith("unresolvable.jar: org.modreg.example.unresolvable 0.1.0.SNAPSHOT"));
        assertTrue(e.getMessage(), e.getMessage().contains("would NOT resolve"));

        String undeployed = run("module:undeploy org.modreg.example.processor");
        assertTrue(undeployed, undeployed.startsWith("UNDEPLOYED: processor.jar removed: org.modreg.example.processor"));
        assertTrue(undeployed, undeployed.contains("org.modreg.example.text 0.1.0.SNAPSHOT (bundle "));
        assertTrue(undeployed, undeployed.contains("is left without a provider"));
        run("module:undeploy org.modreg.example.text");
        org.modreg.api.ModuleDeployer deployer = context.getService(context.getServiceReference(org.modreg.api.ModuleDeployer.class));
        java.nio.file.Files.delete(deployer.directory().resolve("unresolvable.jar"));
        assertEquals("Nothing to do", run("module:deploy --dry-run"));
    }

    @Test
    public void historyRollbackResolveAndVerifyInTheShell() throws Exception {
        run("module:install " + example("processor"));
        run("module:install --start " + example("text"));
        run("module:update org.modreg.example.text " + example("text"));
        String h = run("module:history org.modreg.example.text");
        String[] lines = h.split("\n");
        assertTrue(h, lines[0].matches("Time +\\| Event +\\| Version +\\| Digest +\\| Size +\\| Origin +\\| Bytes"));
        assertTrue(h, lines[lines.length - 1].matches(".*\\| updated +\\| 0\\.1\\.0\\.SNAPSHOT +\\| [0-9a-f]{12} +\\| \\d+ +"
                + "\\| shell +\\| installed"));
        assertTrue(run("module:resolve org.modreg.example.text \"[0.1,1)\"")
                .matches("org.modreg.example.text 0.1.0.SNAPSHOT \\(installed\\) sha256:[0-9a-f]{64}"));
        assertTrue(run("module:verify org.modreg.example.text").matches("OK: \\d+ jars hashed, all match"));
        Exception e = assertThrows(Exception.class, () -> run("module:rollback org.modreg.example.text"));
        assertTrue(e.getMessage(), e.getMessage().contains("no earlier version is kept"));
        assertEquals("No history for no.such.module", run("module:history no.such.module"));
    }

    @Test
    public void lifecycleMarksInTheShell() throws Exception {
        run("module:install " + example("processor"));
        run("module:install --start " + example("text"));
        try {
            assertTrue(run("module:deprecate --reason \"too old\" --use org.modreg.example.markdown org.modreg.example.text")
                    .startsWith("Mark         DEPRECATED: too old (use org.modreg.example.markdown), since "));
            assertTrue(run("module:list --type plugin").matches("(?s).*\\| org.modreg.example.text +\\| 0.1.0.SNAPSHOT +\\| "
                    + "ACTIVE, deprecated .*"));
            assertTrue(run("module:find text-processing").contains("ACTIVE, deprecated"));
            String info = run("module:info org.modreg.example.text");
            assertTrue(info, info.matches("(?s).*\nMark         DEPRECATED: too old \\(use org.modreg.example.markdown\\), since .* by shell"));
            run("module:archive org.modreg.example.text");
            Exception e = assertThrows(Exception.class, () -> run("module:start org.modreg.example.text"));
            assertTrue(e.getMessage(), e.getMessage().contains("it is archived"));
            assertEquals("org.modreg.example.text: no longer archived", run("module:unmark org.modreg.example.text"));
            assertEquals("org.modreg.example.text had no mark", run("module:unmark org.modreg.example.text"));
        } finally {
            run("module:unmark org.modreg.example.text");
        }
    }

    @Test
    public void theAuditTrailInTheShell() throws Exception {
        run("module:install " + example("processor"));
        run("module:install --start " + example("text"));
        run("module:stop org.modreg.example.text");
        String audit = run("module:audit --module org.modreg.example.text -n 2 --since 1h");
        String[] lines = audit.split("\n");
        assertTrue(audit, lines[0].matches("# +\\| Time +\\| Origin +\\| Operation +\\| Module +\\| Version +\\| Result .*"));
        assertEquals(audit, 4, lines.length);
        assertTrue(audit, lines[2].matches(".*\\| shell +\\| install +\\| org.modreg.example.text +\\| 0.1.0.SNAPSHOT +\\| OK .*"));
        assertTrue(audit, lines[3].matches(".*\\| shell +\\| stop +\\| org.modreg.example.text +\\| 0.1.0.SNAPSHOT +\\| OK .*"));
        assertEquals("No audit entries", run("module:audit --module no.such.module"));
        Exception e = assertThrows(Exception.class, () -> run("module:audit --since yesterday"));
        assertTrue(e.getMessage(), e.getMessage().startsWith("--since yesterday: not a date"));
    }

    @Test
    public void statisticsCommands() throws Exception {
        run("module:install " + example("processor"));
        run("module:install --start " + example("text"));
        run("module:services text-processing");
        String one = run("module:stats org.modreg.example.text");
        assertTrue(one, one.startsWith("Module       org.modreg.example.text"));
        assertTrue(one, one.matches("(?s).*Starts       \\d+ \\(0 failed, 100% success\\).*"));
        assertTrue("the shell's look-ups through the registry count as the shell's: " + one,
                one.matches("(?s).*\n  by org\\.modreg\\.shell: \\d+\n.*"));
        String table = run("module:stats");
        assertTrue(table, table.startsWith("Module") && table.contains("\norg.modreg.example.text "));
        assertEquals(2 + 2, run("module:top -n 2").split("\n").length);
        assertTrue(run("module:recent --days 1").contains("org.modreg.example.text"));
        assertEquals("--number 0: at least 1", assertThrows(Exception.class, () -> run("module:top -n 0")).getMessage());
        assertEquals("--days -2: at least 1", assertThrows(Exception.class, () -> run("module:recent -d -2")).getMessage());
        assertEquals("--number -1: at least 0", assertThrows(Exception.class, () -> run("module:audit -n -1")).getMessage());
        String health = run("module:health");
        assertTrue(health, health.matches("(?s)\\d+ modules, \\d+% healthy, \\d+ errors in their histories\n.*  ACTIVE: \\d+.*"));
    }

    /**
     * A command's output redirected to a file goes there, as with any shell command (Gogo prints
     * what a command returns on the terminal only); in parentheses it stays data. (Pipes into
     * grep are in TourIT: this framework has no Gogo JLine, where grep is.)
     */
    @Test
    public void outputRedirectedGoesThereAndParenthesesKeepTheData() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory(
                java.nio.file.Path.of(System.getProperty("paxexam.work.dir", "target/paxexam")), "redirect");
        java.nio.file.Path dot = dir.resolve("core.dot");
        java.nio.file.Path list = dir.resolve("list.txt");
        assertEquals("", run("module:graph --dot org.modreg.core > " + dot));
        assertTrue(java.nio.file.Files.readString(dot).startsWith("digraph modules {"));
        assertEquals("", run("module:list >> " + list));
        String table = java.nio.file.Files.readString(list);
        assertTrue(table, table.startsWith("ID ") && table.contains("| org.modreg.core "));

        Object kept = session.execute("x = (module:list --type framework)");
        assertEquals("org.modreg.shell.format.ModuleTable", kept.getClass().getName());
        List<?> modules = (List<?>) kept.getClass().getMethod("modules").invoke(kept);
        assertEquals("org.apache.felix.framework", ((org.modreg.api.dto.Module) modules.get(0)).id());
    }

    /** The framework is not stopped, updated or uninstalled by a slip of the keyboard: only with --force. */
    @Test
    public void theFrameworkIsGuardedUnlessForced() throws Exception {
        for (String c : List.of("module:stop 0", "module:uninstall 0", "module:update 0", "module:archive org.apache.felix.framework")) {
            Exception e = assertThrows(Exception.class, () -> run(c));
            assertTrue(c + ": " + e.getMessage(), e.getMessage().startsWith("org.apache.felix.framework ")
                    && e.getMessage().contains("is the framework: to ") && e.getMessage().endsWith(" it anyway"));
        }
        assertEquals(Bundle.ACTIVE, context.getBundle(0).getState());
    }
}
