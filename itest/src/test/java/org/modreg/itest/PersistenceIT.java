package org.modreg.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Statistics, records and the audit trail in the database, across restarts and a kill -9 of the
 * real launcher process.
 */
public class PersistenceIT {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder(new java.io.File("target"));

    private Path home;
    private Launcher launcher;

    @Before
    public void setUp() throws Exception {
        home = tmp.newFolder("home").toPath();
        launcher = new Launcher(home);
    }

    private ProcessBuilder command(String... args) {
        return launcher.command(args);
    }

    private Launcher.Run modreg(String... args) throws Exception {
        return launcher.run(null, args);
    }

    private String example(String name) {
        return launcher.example(name);
    }

    @Test
    public void countsRecordsAndTheAuditTrailSurviveARestart() throws Exception {
        Launcher.Run first = modreg("-c", "module:install " + example("processor"),
                "-c", "module:install --start " + example("text"),
                "-c", "module:stop org.modreg.example.text",
                "-c", "module:start org.modreg.example.text",
                "-c", "module:services text-processing",
                "-c", "module:services text-processing",
                "-c", "module:install " + example("failing"),
                "-c", "try { module:start org.modreg.example.failing } { echo start refused }",
                "-c", "module:deprecate --reason old org.modreg.example.text");
        assertEquals(first.err(), 0, first.status());
        assertTrue(first.out(), first.out().contains("start refused"));

        Launcher.Run second = modreg("-c", "module:stats org.modreg.example.text",
                "-c", "module:stats org.modreg.example.failing",
                "-c", "module:info org.modreg.example.failing",
                "-c", "module:audit --module org.modreg.example.text",
                "-c", "module:list --type plugin");
        assertEquals(second.err(), 0, second.status());
        String out = second.out();
        // three starts (the install's, the explicit one, and this boot's), two look-ups, both by the shell
        assertTrue(out, out.contains("Starts       3 (0 failed, 100% success)"));
        assertTrue(out, out.matches("(?s).*Look-ups     2( \\(last [^)]+\\))?\n  by org.modreg.shell: 2\n.*"));
        // OSGi keeps a module whose start failed marked to start: it failed again at this boot
        assertTrue(out, out.contains("Starts       0 (2 failed, 0% success)"));
        // the failing module's error history is part of its record: the first run's failure is there
        assertTrue(out, out.matches("(?s).*Errors \\(2\\)\n  \\S+ \\S+ start: org.modreg.example.failing 0.1.0.SNAPSHOT "
                + "\\(bundle \\d+\\): start failed: .*"));
        // the audit trail of the text module: install, stop, start, from the shell, in order
        List<String> ops = new ArrayList<>();
        for (String line : out.split("\n")) {
            String[] cells = line.split("\\|");
            // # | time | origin | operation | module | version | result | ...
            if (cells.length > 6 && cells[2].trim().equals("shell")) {
                ops.add(cells[3].trim() + " " + cells[6].trim());
            }
        }
        assertEquals(out, List.of("install OK", "stop OK", "start OK", "deprecate OK"), ops);
        // and the lifecycle mark, shown beside the state
        assertTrue(out, out.matches("(?s).*\\| org.modreg.example.text +\\| 0.1.0.SNAPSHOT +\\| ACTIVE, deprecated +\\| plugin .*"));

        Launcher.Run audit = modreg("-c", "module:audit --module org.modreg.example.failing");
        assertTrue(audit.out(), audit.out().matches("(?s).*\\| shell +\\| start +\\| org.modreg.example.failing .*\\| FAILED .*"));
    }

    /**
     * A daemon deploying a directory of bundles is killed with SIGKILL in the middle of it. The
     * next start opens the database, finishes the directory, and every module is there once,
     * ACTIVE, with its history in the audit trail.
     */
    @Test
    public void aKillDuringDeploysRestartsToAConsistentState() throws Exception {
        Path deploy = Files.createDirectories(home.resolve("deploy"));
        Path src = tmp.newFolder("jars").toPath();
        int n = 40;
        List<Path> jars = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            jars.add(TestJars.bundle(src, "k" + i + ".jar", "kill.m" + i, "1.0.0"));
        }
        Process daemon = command("--daemon").redirectErrorStream(true).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(daemon.getInputStream(), StandardCharsets.UTF_8));
        String ready = lines.readLine();
        while (ready != null && !ready.startsWith("modreg ready in ")) {
            ready = lines.readLine();
        }
        assertTrue("daemon ready", ready != null);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Thread pump = new Thread(() -> lines.lines().forEach(l -> log.writeBytes((l + "\n").getBytes(StandardCharsets.UTF_8))));
        pump.start();
        for (Path jar : jars) {
            Files.copy(jar, deploy.resolve(jar.getFileName()));
            Thread.sleep(5);
        }
        // kill once some, not all, are deployed: in the middle of installs, starts and database writes
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (count(log, "installed") < n / 4 && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        daemon.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
        assertTrue(daemon.waitFor(10, TimeUnit.SECONDS));
        pump.join();
        int before = count(log, "installed");
        assertTrue("killed in the middle: " + before + " of " + n + " installed\n" + log, before > 0);

        Launcher.Run after = modreg("-c", "module:list --type bundle", "-c", "module:health", "-c", "module:audit -n 0");
        assertEquals(after.err() + after.out(), 0, after.status());
        Pattern row = Pattern.compile("\\| (kill\\.m\\d+) +\\| 1\\.0\\.0 +\\| (\\w+) ");
        List<String> ids = new ArrayList<>();
        Matcher m = row.matcher(after.out());
        Set<String> audited = new LinkedHashSet<>();
        while (m.find()) {
            if (after.out().lastIndexOf("\n", m.start()) < after.out().indexOf("Performance:")) {
                ids.add(m.group(1));
                assertEquals(m.group(1) + " is ACTIVE", "ACTIVE", m.group(2));
            }
        }
        // the deploy directory's installs, before or after the kill (a bundle Felix had half written to its cache
        // is dropped by Felix at the restart and installed again); a reconcile if the kill fell between an
        // install and its entry
        Matcher a = Pattern.compile("\\| (?:deploy|framework) +\\| (?:install|reconcile) +\\| (kill\\.m\\d+) ").matcher(after.out());
        while (a.find()) {
            audited.add(a.group(1));
        }
        assertEquals("every file deployed, once: " + after.out(), n, ids.size());
        assertEquals(n, new LinkedHashSet<>(ids).size());
        assertTrue(after.out(), after.out().matches("(?s).*\\d+ modules, 100% healthy.*"));
        for (String id : ids) {
            assertTrue(id + " has an install (or a reconcile, if the kill came between install and its entry): " + after.out(),
                    audited.contains(id));
        }
    }

    private static int count(ByteArrayOutputStream log, String word) {
        String s = log.toString(StandardCharsets.UTF_8);
        int c = 0;
        for (int i = s.indexOf(word); i >= 0; i = s.indexOf(word, i + 1)) {
            c++;
        }
        return c;
    }
}
