package org.modreg.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The launcher as a real process: scripted mode, exit codes, restart, SIGTERM. */
public class RuntimeProcessIT {

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

    private Launcher.Run modreg(String stdin, String... args) throws Exception {
        return launcher.run(stdin, args);
    }

    private String example(String name) {
        return launcher.example(name);
    }

    @Test
    public void commandsRunPrintAndExitZero() throws Exception {
        Launcher.Run r = modreg(null, "-c", "module:list", "-c", "module:install " + example("processor"),
                "-c", "module:install --start " + example("text"));
        assertEquals(r.err(), 0, r.status());
        assertTrue(r.out(), r.out().startsWith("ID | Module"));
        assertTrue(r.out(), r.out().contains("| org.modreg.core "));
        assertTrue(r.out(), r.out().matches("(?s).*org.modreg.example.text 0.1.0.SNAPSHOT \\(bundle \\d+\\) installed: ACTIVE.*"));
        assertTrue(Files.isDirectory(home.resolve("deploy")));
        assertTrue(Files.isDirectory(home.resolve("data/framework")));
    }

    /**
     * The interactive shell on a real terminal (a pseudo-terminal, through python3's pty module):
     * the prompt, a command and its output, Ctrl-D stopping the container. JLine sets the terminal
     * up through Jansi's native library from the distribution, not by forking {@code stty}.
     */
    @Test
    public void theInteractiveShellRunsOnANativeTerminal() throws Exception {
        Path driver = Path.of(getClass().getResource("/pty-drive.py").toURI());
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("python3", driver.toString(),
                "module:list -s ACTIVE;;((${.reader} terminal) pty) getClass"));
        cmd.addAll(command().command());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(out, p.waitFor(90, TimeUnit.SECONDS));
        assertEquals(out, 0, p.exitValue());
        assertTrue(out, out.contains("modreg> "));
        // the profile ran to its end: its completions are set, and its greeting is the last thing it does
        assertFalse(out, out.contains("gosh_profile: ERROR"));
        assertTrue(out, out.contains("modreg: help lists the commands"));
        assertTrue(out, out.contains("| org.modreg.core "));
        assertTrue(out, out.contains("org.jline.terminal.impl.jansi."));
        assertFalse(out, out.contains("dumb terminal"));
    }

    /**
     * A module whose activator hangs, marked to start (here: the container was killed while it
     * hung), cannot hold the container's start for ever: the framework's start of it is
     * interrupted after the lifecycle timeout, the module is left with the reason, the container
     * starts, and the next start does not wait for it again.
     */
    @Test
    public void aStartHangingAtBootIsInterruptedAndTheContainerStarts() throws Exception {
        Process first = command("--script", "-").redirectErrorStream(true).start();
        try (var in = first.getOutputStream()) {
            in.write(("cm = $.context getService ($.context getServiceReference org.osgi.service.cm.ConfigurationAdmin)\n"
                    + "($cm getConfiguration org.modreg.registry \"?\") update (new java.util.Hashtable [lifecycle.timeout=15000])\n"
                    + "module:install --start " + example("hanging") + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Thread.sleep(8_000); // the start hangs (for 15 s at most): the crash comes in the middle of it
        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

        long t0 = System.nanoTime();
        Launcher.Run boot = modreg(null, "-c", "module:info org.modreg.example.hanging");
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
        assertEquals(boot.out() + boot.err(), 0, boot.status());
        assertTrue(boot.out(), boot.out().contains("start by the framework (FelixStartLevel) did not finish within 15000 ms"
                + " and was interrupted (a blocking activator?)"));
        assertTrue("the start waited the timeout, not for ever: " + seconds + " s", seconds < 50);

        t0 = System.nanoTime();
        Launcher.Run again = modreg(null, "-c", "module:list");
        assertEquals(again.err(), 0, again.status());
        assertTrue(again.out(), again.out().matches("(?s).*\\| org\\.modreg\\.example\\.hanging +\\| [^|]+\\| (INSTALLED|RESOLVED) .*"));
        assertTrue("not waited for again", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0) < 14);
    }

    @Test
    public void aFailingCommandExitsOneAndStopsTheScript() throws Exception {
        Launcher.Run r = modreg(null, "-c", "module:info nope", "-c", "module:list");
        assertEquals(1, r.status());
        assertTrue(r.err(), r.err().contains("Error: No module matching \"nope\""));
        assertFalse("the second command did not run: " + r.out(), r.out().contains("ID | Module"));
    }

    /** The container's own modules (the boot bundles of system/) are not stopped by a slip of the keyboard. */
    @Test
    public void theContainersOwnModulesAreGuardedUnlessForced() throws Exception {
        Launcher.Run r = modreg(null, "-c", "module:stop org.modreg.shell");
        assertEquals(r.out(), 1, r.status());
        assertTrue(r.err(), r.err().contains("org.modreg.shell 0.1.0.SNAPSHOT (bundle ")
                && r.err().contains("is one of the container's own modules (a boot bundle, file:")
                && r.err().contains("--force to stop it anyway"));
        r = modreg(null, "-c", "module:uninstall org.modreg.core");
        assertEquals(r.out(), 1, r.status());
        r = modreg(null, "-c", "module:stop --force org.apache.felix.metatype", "-c", "module:list -s STOPPED");
        assertEquals(r.err(), 0, r.status());
        assertTrue(r.out(), r.out().matches("(?s).*\\| org\\.apache\\.felix\\.metatype +\\| [^|]+\\| STOPPED .*"));
    }

    @Test
    public void commandsFromStandardInput() throws Exception {
        Launcher.Run r = modreg("# install the processor API\nmodule:install " + example("processor") + "\nmodule:list --type library\n",
                "--script", "-");
        assertEquals(r.err(), 0, r.status());
        assertTrue(r.out(), r.out().contains("installed: INSTALLED"));
        assertTrue(r.out(), r.out().contains("| org.modreg.example.processor "));
    }

    /**
     * A second container on the same home is refused, naming the process that holds it; a killed one
     * holds nothing. (Without --local, -c attaches to the running one: HttpIT.)
     */
    @Test
    public void aSecondContainerOnTheSameHomeIsRefused() throws Exception {
        Process daemon = command("--daemon").redirectErrorStream(true).start();
        try {
            String ready = new BufferedReader(new InputStreamReader(daemon.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertTrue(ready, ready.startsWith("modreg ready"));
            Launcher.Run second = modreg(null, "--local", "-c", "module:list");
            assertEquals(second.err(), 3, second.status());
            assertTrue(second.err(), second.err().contains("modreg: the data directory " + home.toAbsolutePath().resolve("data")
                    + " is in use by another modreg container (process " + daemon.pid() + "): stop it first"));
        } finally {
            daemon.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        Launcher.Run after = modreg(null, "-c", "module:list -s FAILED");
        assertEquals(after.err(), 0, after.status());
    }

    @Test
    public void usageErrorsExitTwo() throws Exception {
        Launcher.Run r = modreg(null, "--frobnicate");
        assertEquals(2, r.status());
        assertTrue(r.err(), r.err().contains("unknown option \"--frobnicate\""));
    }

    @Test
    public void sigtermStopsCleanlyAndTheNextStartFindsTheModules() throws Exception {
        assertEquals(0, modreg(null, "-c", "module:install " + example("processor"),
                "-c", "module:install --start " + example("text")).status());

        Process daemon = command("--daemon").redirectErrorStream(true).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(daemon.getInputStream(), StandardCharsets.UTF_8));
        String first = lines.readLine();
        assertTrue("daemon ready: " + first, first != null && first.startsWith("modreg ready in "));
        daemon.destroy(); // SIGTERM
        assertTrue("stopped within 10 s", daemon.waitFor(10, TimeUnit.SECONDS));
        assertEquals("exit status of a JVM ended by SIGTERM", 143, daemon.exitValue());

        Launcher.Run again = modreg(null, "-c", "module:info org.modreg.example.text");
        assertEquals(again.err(), 0, again.status());
        assertTrue(again.out(), again.out().contains("State        ACTIVE"));
    }

    @Test
    public void theDeployDirectoryIsReconciledWithWhatChangedWhileStopped() throws Exception {
        Path deploy = home.resolve("deploy");
        Files.createDirectories(deploy);
        Files.copy(Path.of(example("processor")), deploy.resolve("processor.jar"));
        Files.copy(Path.of(example("text")), deploy.resolve("text.jar"));
        Launcher.Run first = modreg(null, "-c", "module:list --type plugin");
        assertEquals(first.err(), 0, first.status());
        assertTrue(first.out(), first.out().matches("(?s).*\\| org.modreg.example.text +\\| 0.1.0.SNAPSHOT +\\| ACTIVE .*"));

        // while it is down: one file removed, one added, one garbage
        Files.delete(deploy.resolve("text.jar"));
        Files.copy(Path.of(example("compress")), deploy.resolve("compress.jar"));
        Files.writeString(deploy.resolve("broken.jar"), "not a jar");
        Launcher.Run second = modreg(null, "-c", "module:list --type plugin");
        assertEquals(second.err(), 0, second.status());
        assertFalse("the removed file's module is gone: " + second.out(), second.out().contains("org.modreg.example.text"));
        assertTrue(second.out(), second.out().matches("(?s).*\\| org.modreg.example.compress +\\| 0.1.0.SNAPSHOT +\\| ACTIVE .*"));
        assertTrue("the bad file is reported with its name: " + second.err(), second.err().contains("broken.jar: not a zip"));
    }

    @Test
    public void aBrokenUpdateMadeWhileStoppedIsRolledBackAtStart() throws Exception {
        Path deploy = home.resolve("deploy");
        Files.createDirectories(deploy);
        Files.copy(Path.of(example("processor")), deploy.resolve("processor.jar"));
        Files.copy(Path.of(example("text")), deploy.resolve("text.jar"));
        assertEquals(0, modreg(null, "-c", "module:list").status());

        Files.copy(Path.of(example("text-broken")), deploy.resolve("text.jar"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Launcher.Run r = modreg(null, "-c", "module:info org.modreg.example.text");
        assertEquals(r.err(), 0, r.status());
        assertTrue(r.out(), r.out().contains("Version      0.1.0.SNAPSHOT"));
        assertTrue(r.out(), r.out().contains("State        ACTIVE"));
        assertTrue(r.err(), r.err().contains("text.jar: org.modreg.example.text 0.1.0.SNAPSHOT (bundle "));
        assertTrue(r.err(), r.err().contains("was rolled back (its activator threw java.lang.IllegalStateException: text 0.2.0 cannot start"));
    }
}
