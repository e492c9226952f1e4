package org.modreg.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.modreg.runtime.Container;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;

/**
 * Deploy-directory latency against the floor, in one run: from a jar written and closed in the
 * deploy directory (written under a temporary name and renamed, as a copy tool does) to its module
 * {@code ACTIVE}; for one bundle, for a batch of 100, and for an update of a running bundle. The
 * floor is the framework API with the same bytes from memory: {@code installBundle} + {@code start},
 * and {@code Bundle.update}. Time is taken from bundle events (STARTED), in the same JVM.
 *
 * <p>It also measures, for every update, how long no version of the module was ACTIVE: from a
 * STOPPING event that leaves no started bundle of the id, to the next STARTED of it.
 *
 * <pre>
 * mvn -q -DskipTests install
 * java -Xms1g -cp "bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" org.modreg.bench.DeployBench [rounds]
 * </pre>
 */
public final class DeployBench {

    private static final int BATCH = 100;

    /** STARTED times and gaps without an active bundle, per symbolic name. */
    private static final class Events implements SynchronousBundleListener {
        final Map<String, CountDownLatch> started = new ConcurrentHashMap<>();
        final Map<String, Long> startedAt = new ConcurrentHashMap<>();
        final Map<String, Integer> active = new ConcurrentHashMap<>();
        final Map<String, Long> downSince = new ConcurrentHashMap<>();
        volatile long gapNanos;

        void expect(String bsn) {
            started.put(bsn, new CountDownLatch(1));
        }

        @Override
        public void bundleChanged(BundleEvent e) {
            String bsn = e.getBundle().getSymbolicName();
            long now = System.nanoTime();
            if (e.getType() == BundleEvent.STARTED) {
                startedAt.put(bsn, now);
                if (active.merge(bsn, 1, Integer::sum) == 1) {
                    Long since = downSince.remove(bsn);
                    if (since != null) {
                        gapNanos += now - since;
                    }
                }
                CountDownLatch l = started.get(bsn);
                if (l != null) {
                    l.countDown();
                }
            } else if (e.getType() == BundleEvent.STOPPING) {
                if (active.merge(bsn, -1, Integer::sum) == 0) {
                    downSince.put(bsn, now);
                }
            }
        }

        long await(String bsn) throws InterruptedException {
            if (!started.get(bsn).await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException(bsn + " did not start");
            }
            return startedAt.get(bsn);
        }
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.jline.terminal.dumb", "true");
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        Path dist = Path.of(System.getProperty("modreg.dist", "runtime/target/modreg"));
        Path home = Files.createTempDirectory("modreg-dbench-");
        System.out.printf("modreg deploy benchmark: %s, %d cores, Java %s; %d rounds, milliseconds%n", System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), rounds);
        try (Container c = Container.builder().home(home).systemBundles(dist.resolve("system")).start()) {
            BundleContext ctx = c.context();
            Path deploy = c.deployer().directory();
            Events events = new Events();
            ctx.addBundleListener(events);
            long[] deploy1 = new long[rounds];
            long[] floor1 = new long[rounds];
            long[] update = new long[rounds];
            long[] floorUpdate = new long[rounds];
            long deployGaps = 0;
            long floorGaps = 0;
            for (int r = -3; r < rounds; r++) { // three rounds of warm-up
                // one bundle, through the directory
                String bsn = "bench.deploy" + r;
                events.expect(bsn);
                long t0 = System.nanoTime();
                put(deploy, bsn + ".jar", jar(bsn, "1.0.0"));
                long d = events.await(bsn) - t0;
                // the same, by the framework API
                String fbsn = "bench.floor" + r;
                byte[] fbytes = jar(fbsn, "1.0.0");
                events.expect(fbsn);
                long t1 = System.nanoTime();
                Bundle fb = ctx.installBundle("floor:" + r, new ByteArrayInputStream(fbytes));
                fb.start();
                long f = events.await(fbsn) - t1;

                // an update of the running bundle, through the directory
                events.expect(bsn);
                long gaps0 = events.gapNanos;
                long t2 = System.nanoTime();
                put(deploy, bsn + ".jar", jar(bsn, "2.0.0"));
                long u = events.await(bsn) - t2;
                waitRetired(ctx, bsn);
                long dg = events.gapNanos - gaps0;
                // and by the framework API
                byte[] fnext = jar(fbsn, "2.0.0");
                events.expect(fbsn);
                long gaps1 = events.gapNanos;
                long t3 = System.nanoTime();
                fb.update(new ByteArrayInputStream(fnext));
                long fu = events.await(fbsn) - t3;
                long fg = events.gapNanos - gaps1;
                if (r >= 0) {
                    deploy1[r] = d;
                    floor1[r] = f;
                    update[r] = u;
                    floorUpdate[r] = fu;
                    deployGaps += dg;
                    floorGaps += fg;
                }
            }
            System.out.println();
            print("deploy one bundle (file closed -> ACTIVE)", deploy1, floor1);
            print("update a running bundle", update, floorUpdate);
            System.out.printf("  time with no version ACTIVE, all %d updates: deploy directory %.3f ms, Bundle.update %.3f ms%n",
                    rounds, deployGaps / 1e6, floorGaps / 1e6);

            // a batch of 100, written at once
            List<byte[]> jars = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                String bsn = "bench.batch" + i;
                jars.add(jar(bsn, "1.0.0"));
                events.expect(bsn);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < BATCH; i++) {
                put(deploy, "batch" + i + ".jar", jars.get(i));
            }
            long last = 0;
            for (int i = 0; i < BATCH; i++) {
                last = Math.max(last, events.await("bench.batch" + i));
            }
            long batch = last - t0;
            List<byte[]> fjars = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                String bsn = "bench.fbatch" + i;
                fjars.add(jar(bsn, "1.0.0"));
                events.expect(bsn);
            }
            long t1 = System.nanoTime();
            List<Bundle> installed = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                installed.add(ctx.installBundle("fbatch:" + i, new ByteArrayInputStream(fjars.get(i))));
            }
            for (Bundle b : installed) {
                b.start();
            }
            long flast = 0;
            for (int i = 0; i < BATCH; i++) {
                flast = Math.max(flast, events.await("bench.fbatch" + i));
            }
            long fbatch = flast - t1;
            System.out.printf("  %-44s %8.1f   floor %8.1f   (%.2fx the floor)%n", "batch of " + BATCH + ", all ACTIVE", batch / 1e6,
                    fbatch / 1e6, (double) batch / fbatch);

            // and the same batch updated at once: every file overwritten with version 2.0.0
            for (int i = 0; i < BATCH; i++) {
                jars.set(i, jar("bench.batch" + i, "2.0.0"));
                events.expect("bench.batch" + i);
            }
            long gaps0 = events.gapNanos;
            long u0 = System.nanoTime();
            for (int i = 0; i < BATCH; i++) {
                put(deploy, "batch" + i + ".jar", jars.get(i));
            }
            long ulast = 0;
            for (int i = 0; i < BATCH; i++) {
                ulast = Math.max(ulast, events.await("bench.batch" + i));
            }
            long ubatch = ulast - u0;
            long ugaps = events.gapNanos - gaps0;
            for (int i = 0; i < BATCH; i++) {
                fjars.set(i, jar("bench.fbatch" + i, "2.0.0"));
                events.expect("bench.fbatch" + i);
            }
            long fgaps0 = events.gapNanos;
            long u1 = System.nanoTime();
            for (int i = 0; i < BATCH; i++) {
                installed.get(i).update(new ByteArrayInputStream(fjars.get(i)));
            }
            long fulast = 0;
            for (int i = 0; i < BATCH; i++) {
                fulast = Math.max(fulast, events.await("bench.fbatch" + i));
            }
            long fubatch = fulast - u1;
            System.out.printf("  %-44s %8.1f   floor %8.1f   (%.2fx the floor)%n", "batch of " + BATCH + " updated, all ACTIVE",
                    ubatch / 1e6, fubatch / 1e6, (double) ubatch / fubatch);
            System.out.printf("  time with no version ACTIVE, batch update: deploy directory %.3f ms, Bundle.update %.3f ms%n",
                    ugaps / 1e6, (events.gapNanos - fgaps0) / 1e6);
            ctx.removeBundleListener(events);
        } finally {
            BenchSupport.deleteTree(home);
        }
        System.exit(0); // Gogo's threads are not daemons
    }

    /** Writes under a hidden temporary name and renames, as cp to a staging name + mv does. */
    private static void put(Path dir, String name, byte[] bytes) throws IOException {
        Path tmp = dir.resolve("." + name + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void waitRetired(BundleContext ctx, String bsn) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Arrays.stream(ctx.getBundles()).filter(b -> bsn.equals(b.getSymbolicName())).count() > 1) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException(bsn + ": the old version was not retired");
            }
            Thread.sleep(1);
        }
    }

    private static void print(String what, long[] times, long[] floor) {
        double p50 = BenchSupport.percentile(times, 0.5) / 1e6;
        double f50 = BenchSupport.percentile(floor, 0.5) / 1e6;
        System.out.printf("  %-44s p50 %6.1f  p90 %6.1f   floor p50 %6.1f   goal (2x floor + 10) %6.1f%n", what, p50,
                BenchSupport.percentile(times, 0.9) / 1e6, f50, 2 * f50 + 10);
    }

    /** A bundle with an export and an import of the framework, like a small plugin's manifest. */
    private static byte[] jar(String bsn, String version) throws IOException {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", bsn);
        a.putValue("Bundle-Version", version);
        a.putValue("Export-Package", bsn + ".api;version=" + version);
        a.putValue("Import-Package", "org.osgi.framework;version=\"[1.8,2)\"");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out, mf)) {
            jar.putNextEntry(new java.util.jar.JarEntry(bsn.replace('.', '/') + "/api/readme.txt"));
            jar.write(("bench bundle " + bsn).getBytes());
            jar.closeEntry();
        }
        return out.toByteArray();
    }
}
