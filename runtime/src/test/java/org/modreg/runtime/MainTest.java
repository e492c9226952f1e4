package org.modreg.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void optionsInBothSpellings() throws Exception {
        Main.Options o = Main.Options.parse(new String[] { "--home", "/h", "--data=/d", "-c", "module:list", "--command=help" });
        assertEquals(Path.of("/h"), o.home);
        assertEquals(Path.of("/d"), o.data);
        assertEquals(List.of("module:list", "help"), o.commands(null));
    }

    @Test
    void scriptFromStdinSkipsBlanksAndComments() throws Exception {
        Main.Options o = Main.Options.parse(new String[] { "--script", "-" });
        List<String> cmds = o.commands(new ByteArrayInputStream("# a comment\n\nmodule:list\n  module:info 0 \n".getBytes()));
        assertEquals(List.of("module:list", "module:info 0"), cmds);
        assertNull(Main.Options.parse(new String[0]).commands(null), "no commands: interactive");
    }

    @Test
    void usageErrors() {
        assertThrows(IllegalArgumentException.class, () -> Main.Options.parse(new String[] { "--bogus" }));
        assertThrows(IllegalArgumentException.class, () -> Main.Options.parse(new String[] { "-c" }));
        assertThrows(IllegalArgumentException.class, () -> Main.Options.parse(new String[] { "-c", "x", "--script", "f" }));
        assertThrows(IllegalArgumentException.class, () -> Main.Options.parse(new String[] { "--daemon", "-c", "x" }));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new String[] { "--bogus" }, System.in, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(Main.USAGE, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("modreg: unknown option \"--bogus\""));
    }

    @Test
    void bootOrderPutsScrFirstAndTheConsoleLast() {
        assertTrue(Container.bootRank("org.osgi.util.promise") < Container.bootRank("org.apache.felix.scr"));
        assertTrue(Container.bootRank("org.apache.felix.scr") < Container.bootRank("org.modreg.core"));
        assertTrue(Container.bootRank("org.modreg.core") < Container.bootRank("org.modreg.shell"));
        assertTrue(Container.bootRank("org.modreg.shell") < Container.bootRank("org.apache.felix.gogo.jline"));
    }

    /**
     * Issue 13: a scripted run stopped the framework under a console profile still running after
     * 3 s on a loaded machine ("Command not found: echo" on stderr, exit 0). The wait lasts as long
     * as the profile does, up to its bound.
     */
    @Test
    void aScriptWaitsForTheConsoleProfilePastTheOldThreeSeconds() throws Exception {
        Thread profile = new Thread(() -> {
            try {
                Thread.sleep(3_500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "Gogo shell");
        profile.start();
        Main.awaitConsoleProfile(java.time.Duration.ofSeconds(20));
        assertTrue(!profile.isAlive(), "the wait ended before the profile");

        Thread endless = new Thread(() -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "Gogo shell");
        endless.setDaemon(true);
        endless.start();
        long t0 = System.nanoTime();
        Main.awaitConsoleProfile(java.time.Duration.ofMillis(300));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(endless.isAlive());
        assertTrue(ms < 10_000, "a profile that never ends is waited for up to the bound: " + ms + " ms");
        endless.interrupt();
    }
}
