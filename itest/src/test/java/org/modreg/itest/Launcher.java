package org.modreg.itest;

import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The launcher of the built distribution as a real process, with a home of its own. */
final class Launcher {

    /** How a run ended, and what it printed. */
    record Run(int status, String out, String err) {
    }

    final Path dist;
    final Path home;
    /** The HTTP plane's port of this home's containers: a free one, so that tests never meet on 8181. */
    final int port;

    Launcher(Path home) {
        this.dist = Path.of(System.getProperty("dist.dir", "../runtime/target/modreg")).toAbsolutePath().normalize();
        this.home = home;
        this.port = freePort();
    }

    /** @return a port nothing listens on now */
    static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** @return {@code java -Dorg.osgi.service.http.port=PORT -jar modreg-runtime.jar --home HOME args...}, not started */
    ProcessBuilder command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.osgi.service.http.port=" + port,
                "-jar", dist.resolve("lib/modreg-runtime.jar").toString(), "--home", home.toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    /** Runs the launcher to its end (at most a minute), with this standard input (null: none). */
    Run run(String stdin, String... args) throws Exception {
        Process p = command(args).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread o = pump(p.getInputStream(), out);
        Thread e = pump(p.getErrorStream(), err);
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        assertTrue("the process ended", p.waitFor(60, TimeUnit.SECONDS));
        o.join();
        e.join();
        return new Run(p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Thread pump(InputStream in, ByteArrayOutputStream to) {
        Thread t = new Thread(() -> {
            try {
                in.transferTo(to);
            } catch (IOException ignored) {
                // the process ended
            }
        });
        t.start();
        return t;
    }

    /** @return the path of an example plugin of the distribution */
    String example(String name) {
        return dist.resolve("examples/" + name + ".jar").toString();
    }
}
