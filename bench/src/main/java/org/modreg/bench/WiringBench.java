package org.modreg.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.modreg.api.ModuleSource;
import org.modreg.api.ModuleWiring;
import org.modreg.api.dto.CheckReport;
import org.modreg.runtime.Container;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The wiring check of one candidate against 100 and 1,000 installed, resolved bundles, in two shapes
 * (plugins on a tenth as many shared libraries; a deep layered graph), compared in
 * the same run with doing it for real: install, resolve, uninstall and refresh through the
 * framework API. Interleaved, one of each in turn. The check is timed twice: right after the real
 * operation changed the framework (the check reads the framework again), and once more with nothing
 * changed in between (the snapshot of the framework is reused). Both a candidate that resolves and
 * one that does not (which adds the diagnosis) are measured.
 *
 * <pre>
 * mvn -q -DskipTests install
 * java -cp "bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" org.modreg.bench.WiringBench [100 1000]
 * (-Xms1g keeps heap growth out of the figures)
 * </pre>
 */
public final class WiringBench {

    private static final int ITERATIONS = 200;
    private static final int IMPORTS = 4;

    public static void main(String[] args) throws Exception {
        System.setProperty("org.jline.terminal.dumb", "true");
        int[] sizes = args.length == 0 ? new int[] { 100, 1_000 } : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        Path dist = Path.of(System.getProperty("modreg.dist", "runtime/target/modreg"));
        System.out.printf("modreg wiring-check benchmark: %s, %d cores, Java %s; %d iterations, p50/p99 in milliseconds%n",
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                ITERATIONS);
        for (int n : sizes) {
            for (boolean layered : new boolean[] { false, true }) {
                run(n, layered, dist);
            }
        }
        System.exit(0); // Gogo's threads are not daemons
    }

    private static void run(int n, boolean layered, Path dist) throws Exception {
        Path home = Files.createTempDirectory("modreg-wbench-");
        try (Container c = Container.builder().home(home).systemBundles(dist.resolve("system")).start()) {
            BundleContext ctx = c.context();
            FrameworkWiring fw = ctx.getBundle(0).adapt(FrameworkWiring.class);
            ModuleWiring wiring = c.wiring();
            Random rnd = new Random(42);
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                ctx.installBundle("bench:" + i, new ByteArrayInputStream(jar("bench.module" + i, i, rnd, layered ? i : libraries(n), n, false)));
            }
            if (!fw.resolveBundles(null)) {
                throw new IllegalStateException("the installed bundles do not all resolve");
            }
            System.out.printf("%n%,d installed bundles, %s, all resolved (%.1f s); the candidate imports %d packages%n",
                    ctx.getBundles().length, layered ? "layered (each imports 4 packages of any lower bundle)"
                            : "plugins (" + libraries(n) + " libraries, each plugin imports 4 of their packages)",
                    (System.nanoTime() - t0) / 1e9, IMPORTS);

            Path good = home.resolve("candidate.jar");
            int pool = layered ? n : libraries(n);
            Files.write(good, jar("bench.candidate", n, new Random(1), pool, n, false));
            Path bad = home.resolve("broken.jar");
            Files.write(bad, jar("bench.broken", n, new Random(1), pool, n, true));
            ModuleSource goodSource = ModuleSource.of(good);
            ModuleSource badSource = ModuleSource.of(bad);
            if (!wiring.check(goodSource).resolvable() || wiring.check(badSource).resolvable()) {
                throw new IllegalStateException("the candidates do not behave as built");
            }
            byte[] goodBytes = Files.readAllBytes(good);

            long[] real = new long[ITERATIONS];
            long[] cold = new long[ITERATIONS];
            long[] warm = new long[ITERATIONS];
            long[] warmBad = new long[ITERATIONS];
            for (int i = 0; i < ITERATIONS + 20; i++) {
                int k = i - 20; // the first 20 warm the JIT up
                long a = System.nanoTime();
                Bundle b = ctx.installBundle("bench:candidate", new ByteArrayInputStream(goodBytes));
                boolean ok = fw.resolveBundles(List.of(b));
                b.uninstall();
                refresh(fw, b);
                long bt = System.nanoTime();
                CheckReport r1 = wiring.check(goodSource);
                long ct = System.nanoTime();
                CheckReport r2 = wiring.check(goodSource);
                long dt = System.nanoTime();
                CheckReport r3 = wiring.check(badSource);
                long et = System.nanoTime();
                if (!ok || !r1.resolvable() || !r2.resolvable() || r3.resolvable()) {
                    throw new IllegalStateException("prediction and reality differ");
                }
                if (k >= 0) {
                    real[k] = bt - a;
                    cold[k] = ct - bt;
                    warm[k] = dt - ct;
                    warmBad[k] = et - dt;
                }
            }
            print("install + resolve + uninstall + refresh (real)", real, real);
            print("check, framework changed just before", cold, real);
            print("check, framework unchanged", warm, real);
            print("check of a jar that does not resolve", warmBad, real);
        } finally {
            BenchSupport.deleteTree(home);
        }
    }

    private static void refresh(FrameworkWiring fw, Bundle b) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        fw.refreshBundles(List.of(b), e -> done.countDown());
        done.await(30, TimeUnit.SECONDS);
    }

    private static void print(String what, long[] times, long[] floor) {
        double p50 = BenchSupport.percentile(times, 0.5) / 1e6;
        double p99 = BenchSupport.percentile(times, 0.99) / 1e6;
        double ratio = (double) BenchSupport.percentile(floor, 0.5) / BenchSupport.percentile(times, 0.5);
        System.out.printf("  %-50s p50 %7.2f  p99 %7.2f%s%n", what, p50, p99,
                times == floor ? "" : String.format("   (%.1fx faster than real)", ratio));
    }

    /** The first tenth of the bundles are libraries, the rest plugins on them. */
    private static int libraries(int n) {
        return Math.max(10, n / 10);
    }

    /**
     * Bundle i exports its package at 1.(i%10) with a uses directive on its imports, and imports
     * {@value #IMPORTS} packages of bundles below {@code min(i, pool)} with [1,2) ranges. A broken
     * candidate also imports a package nobody exports.
     */
    private static byte[] jar(String bsn, int i, Random rnd, int pool, int n, boolean broken) throws IOException {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", bsn);
        a.putValue("Bundle-Version", "1." + (i % 10) + ".0");
        StringBuilder imports = new StringBuilder();
        StringBuilder uses = new StringBuilder();
        int limit = Math.min(i, pool);
        for (int k = 0; k < IMPORTS && limit > 0; k++) {
            String p = "bench.pkg" + rnd.nextInt(limit);
            if (imports.indexOf(p + ";") >= 0) {
                continue;
            }
            imports.append(imports.length() == 0 ? "" : ",").append(p).append(";version=\"[1,2)\"");
            uses.append(uses.length() == 0 ? "" : ",").append(p);
        }
        if (broken) {
            imports.append(",bench.nowhere;version=\"[1,2)\"");
        }
        if (imports.length() > 0) {
            a.putValue("Import-Package", imports.toString());
        }
        if (i < n) {
            a.putValue("Export-Package", "bench.pkg" + i + ";version=1." + (i % 10)
                    + (uses.length() == 0 ? "" : ";uses:=\"" + uses + "\""));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new JarOutputStream(out, mf).close();
        return out.toByteArray();
    }
}
