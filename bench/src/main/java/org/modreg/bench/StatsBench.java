package org.modreg.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.modreg.api.ModuleStatistics;
import org.modreg.runtime.Container;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * The cost of usage statistics on service look-ups, and their memory. N bundles, each registering
 * one service, are installed in a modreg container; a consumer bundle looks services up with
 * {@code getServiceReferences(Runnable, filter)}, with the counting on and off (configuration
 * {@code org.modreg.stats}, {@code count.lookups}) in turn, median of many rounds; and the same in
 * a bare Felix framework, for reference. The heap
 * the statistics take is measured in the container: after GC, before and after every module has
 * been looked up by three consumers.
 *
 * <pre>
 * mvn -q -DskipTests install
 * java -Xms1g -cp "bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" org.modreg.bench.StatsBench [modules]
 * </pre>
 */
public final class StatsBench {

    private static final int ROUNDS = 5_000;

    public static void main(String[] args) throws Exception {
        System.setProperty("org.jline.terminal.dumb", "true");
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Path dist = Path.of(System.getProperty("modreg.dist", "runtime/target/modreg"));
        System.out.printf("modreg statistics benchmark: %s, %d cores, Java %s; %,d modules, %,d look-ups a side%n",
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), n,
                ROUNDS);
        Path home = Files.createTempDirectory("modreg-sbench-");
        Path bare = Files.createTempDirectory("modreg-sbench-bare-");
        Map<String, String> props = new HashMap<>();
        props.put(Constants.FRAMEWORK_STORAGE, bare.toString());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        Framework felix = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow().newFramework(props);
        try (Container c = Container.builder().home(home).systemBundles(dist.resolve("system")).start()) {
            // the database writes only when asked (trail() below): its cache then grows at known moments,
            // outside the heap measures
            configure(c.context(), "org.modreg.database", "flush.interval", 3_600_000L);
            Thread.sleep(1_000); // the components restart with the new configuration
            c.registry();
            felix.start();
            BundleContext on = populate(c.context(), n);
            BundleContext off = populate(felix.getBundleContext(), n);
            String filter = "(tier=gold)";
            long[] onTimes = new long[15];
            long[] offTimes = new long[15];
            long[] bareTimes = new long[15];
            for (int round = -3; round < 15; round++) { // three rounds of warm-up
                countLookups(c.context(), false);
                long a = lookups(on, filter);
                countLookups(c.context(), true);
                long b = lookups(on, filter);
                long d = lookups(off, filter);
                if (round >= 0) {
                    offTimes[round] = a;
                    onTimes[round] = b;
                    bareTimes[round] = d;
                }
            }
            Arrays.sort(onTimes);
            Arrays.sort(offTimes);
            Arrays.sort(bareTimes);
            double offNs = (double) offTimes[7] / ROUNDS;
            double onNs = (double) onTimes[7] / ROUNDS;
            double bareNs = (double) bareTimes[7] / ROUNDS;
            System.out.printf("%n  getServiceReferences, modreg, counting off   %8.0f ns a look-up%n", offNs);
            System.out.printf("  getServiceReferences, modreg, counting on    %8.0f ns a look-up (%+.1f%%)%n", onNs,
                    100 * (onNs - offNs) / offNs);
            System.out.printf("  getServiceReferences, bare Felix             %8.0f ns a look-up (for reference)%n", bareNs);

            // memory: every module looked up by three consumers, after a GC before and after
            ModuleStatistics stats = c.context().getService(c.context().getServiceReference(ModuleStatistics.class));
            BundleContext[] consumers = new BundleContext[3];
            for (int i = 0; i < consumers.length; i++) {
                Bundle b = c.context().installBundle("consumer:" + i, new ByteArrayInputStream(jar("bench.consumer" + i)));
                b.start();
                consumers[i] = b.getBundleContext();
            }
            long before = heap();
            for (BundleContext ctx : consumers) {
                for (int i = 0; i < n; i++) {
                    ctx.getServiceReferences(Runnable.class, "(index=" + i + ")");
                }
            }
            long after = heap();
            long counted = stats.all().stream().filter(s -> s.id().startsWith("bench.module")).mapToLong(s -> s.lookups()).sum();
            System.out.printf("  look-up counts heap: %,d bytes for %,d modules = %,d bytes a module (%,d look-ups counted)%n",
                    after - before, n, (after - before) / n, counted);
            // everything the statistics hold: the heap with the component, minus the heap once SCR disabled it
            // after the sampler has marked them used and everything is written (reading the audit trail
            // flushes): the disable's last flush writes nothing, so the database's cache is in both measures
            stats = null;
            Thread.sleep(1_500);
            c.audit().trail(null, null, 1);
            long with = heap();
            disableStatistics(c.context());
            long without = heap();
            long ids = java.util.Arrays.stream(c.context().getBundles()).map(Bundle::getSymbolicName).distinct().count();
            System.out.printf("  statistics heap, all of it: %,d bytes for %,d modules = %,d bytes a module%n",
                    with - without, ids, (with - without) / ids);
        } finally {
            felix.stop();
            felix.waitForStop(10_000);
            BenchSupport.deleteTree(home);
            BenchSupport.deleteTree(bare);
        }
        System.exit(0); // Gogo's threads are not daemons
    }

    /** Switches the counting of look-ups through Config Admin (by reflection: the host does not share its API). */
    private static void countLookups(BundleContext ctx, boolean on) throws Exception {
        configure(ctx, "org.modreg.stats", "count.lookups", on);
        Thread.sleep(300); // Config Admin calls @Modified asynchronously
    }

    private static void configure(BundleContext ctx, String pid, String key, Object value) throws Exception {
        Object ca = ctx.getService(ctx.getServiceReference("org.osgi.service.cm.ConfigurationAdmin"));
        ClassLoader cl = ca.getClass().getClassLoader();
        Object conf = cl.loadClass("org.osgi.service.cm.ConfigurationAdmin").getMethod("getConfiguration", String.class, String.class)
                .invoke(ca, pid, "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(key, value);
        cl.loadClass("org.osgi.service.cm.Configuration").getMethod("update", java.util.Dictionary.class).invoke(conf, props);
    }

    /** N bundles with a Runnable service each, one in ten "gold"; returns a consumer bundle's context. */
    private static BundleContext populate(BundleContext ctx, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            Bundle b = ctx.installBundle("bench:" + i, new ByteArrayInputStream(jar("bench.module" + i)));
            b.start();
            Hashtable<String, Object> props = new Hashtable<>();
            props.put("index", i);
            props.put("tier", i % 10 == 0 ? "gold" : "silver");
            b.getBundleContext().registerService(Runnable.class, () -> { }, props);
        }
        Bundle consumer = ctx.installBundle("bench:consumer", new ByteArrayInputStream(jar("bench.lookups")));
        consumer.start();
        return consumer.getBundleContext();
    }

    private static long lookups(BundleContext ctx, String filter) throws Exception {
        long t0 = System.nanoTime();
        int found = 0;
        for (int i = 0; i < ROUNDS; i++) {
            found += ctx.getServiceReferences(Runnable.class, filter).size();
        }
        long t = System.nanoTime() - t0;
        if (found == 0) {
            throw new IllegalStateException("nothing found");
        }
        return t;
    }

    /**
     * Disables the statistics component through SCR's runtime service, reflectively: the host
     * does not share SCR's API classes with the framework.
     */
    private static void disableStatistics(BundleContext ctx) throws Exception {
        var ref = ctx.getServiceReference("org.osgi.service.component.runtime.ServiceComponentRuntime");
        Object scr = ctx.getService(ref);
        Bundle core = java.util.Arrays.stream(ctx.getBundles()).filter(b -> "org.modreg.core".equals(b.getSymbolicName()))
                .findFirst().orElseThrow();
        Class<?> api = scr.getClass().getClassLoader().loadClass("org.osgi.service.component.runtime.ServiceComponentRuntime");
        Object dto = api.getMethod("getComponentDescriptionDTO", Bundle.class, String.class).invoke(scr, core,
                "org.modreg.core.stats.StatsCollector");
        Object promise = api.getMethod("disableComponent", dto.getClass()).invoke(scr, dto);
        scr.getClass().getClassLoader().loadClass("org.osgi.util.promise.Promise").getMethod("getValue").invoke(promise);
        Thread.sleep(500);
        if (ctx.getServiceReference(ModuleStatistics.class) != null) {
            throw new IllegalStateException("the statistics component is still there");
        }
    }

    private static long heap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static byte[] jar(String bsn) throws IOException {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", bsn);
        a.putValue("Bundle-Version", "1.0.0");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new JarOutputStream(out, mf).close();
        return out.toByteArray();
    }
}
