package org.modreg.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.modreg.api.ModuleQuery;
import org.modreg.api.ModuleRegistry;
import org.modreg.api.ModuleState;
import org.modreg.api.dto.CapabilityInfo;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleContent;
import org.modreg.core.index.IndexProbe;
import org.modreg.runtime.Container;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.resource.Capability;

/**
 * Query latency of the registry's index against the naive ways, at 1,000 and 10,000 modules, in
 * one run, interleaved: p50 and p99 of each. Also the heap the index takes per module.
 *
 * <pre>
 * mvn -q -DskipTests install
 * java -cp "bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" org.modreg.bench.QueryBench [1000 10000]
 * </pre>
 */
public final class QueryBench {

    private static final String[] WORDS = ("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike "
            + "november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu parser render codec "
            + "stream image audio video search index cache queue ledger report").split(" ");
    private static final int CAPABILITIES = 100;
    private static final int ITERATIONS = 2_000;

    public static void main(String[] args) throws Exception {
        System.setProperty("org.jline.terminal.dumb", "true");
        int[] sizes = args.length == 0 ? new int[] { 1_000, 10_000 } : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        Path dist = Path.of(System.getProperty("modreg.dist", "runtime/target/modreg"));
        System.out.printf("modreg query benchmark: %s, %d cores, Java %s; %d iterations a query, p50/p99 in microseconds%n",
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                ITERATIONS);
        for (int n : sizes) {
            run(n, dist);
        }
        indexMemory(sizes[sizes.length - 1]);
        System.exit(0); // Gogo's threads are not daemons
    }

    private static void run(int n, Path dist) throws Exception {
        Path home = Files.createTempDirectory("modreg-qbench-");
        try (Container c = Container.builder().home(home).systemBundles(dist.resolve("system")).start()) {
            BundleContext ctx = c.context();
            ModuleRegistry registry = c.registry();
            Random rnd = new Random(42);
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Bundle b = ctx.installBundle("bench:" + i, new ByteArrayInputStream(jar(i, rnd)));
                b.start();
                // each module registers its own service, as a plugin would
                Dictionary<String, Object> props = new Hashtable<>();
                props.put("modreg.capability", "cap-" + (i % CAPABILITIES));
                props.put("tier", i % 7 == 0 ? "gold" : "silver");
                b.getBundleContext().registerService(Runnable.class, () -> { }, props);
            }
            System.out.printf("%n%,d modules (%,d installed in %.1f s, %d indexed)%n", n, n, (System.nanoTime() - t0) / 1e9,
                    registry.list().size());

            String cap = "cap-17";
            Filter byName = ctx.createFilter("(modreg.capability=" + cap + ")");
            Filter byAttr = ctx.createFilter("(&(modreg.capability=" + cap + ")(tier=gold))");
            check(registry.find(ModuleQuery.all().capability(cap)).size(), scan(ctx, byName).size(), "exact name");
            compare("exact capability name", () -> registry.find(ModuleQuery.all().capability(cap)), () -> scan(ctx, byName));
            ModuleQuery attr = ModuleQuery.all().filter("modreg.capability", "(&(modreg.capability=" + cap + ")(tier=gold))");
            check(registry.find(attr).size(), scan(ctx, byAttr).size(), "attribute filter");
            compare("attribute equality filter", () -> registry.find(attr), () -> scan(ctx, byAttr));
            compare("keywords \"render codec\"", () -> registry.find(ModuleQuery.all().keywords("render codec").limit(20)), null);
            compare("keyword prefix \"vid\"", () -> registry.find(ModuleQuery.all().keywords("vid").limit(20)), null);
            compare("service look-up by capability",
                    () -> registry.services(Runnable.class, cap, "(tier=gold)"),
                    () -> refs(ctx, "(&(modreg.capability=" + cap + ")(tier=gold))"));
        } finally {
            BenchSupport.deleteTree(home);
        }
    }

    private static void check(int indexed, int scanned, String what) {
        if (indexed != scanned) {
            throw new IllegalStateException(what + ": the index found " + indexed + ", the scan " + scanned);
        }
    }

    /** The naive way: every bundle revision's capabilities, each matched with the filter. */
    private static List<Bundle> scan(BundleContext ctx, Filter f) {
        List<Bundle> found = new ArrayList<>();
        for (Bundle b : ctx.getBundles()) {
            BundleRevision rev = b.adapt(BundleRevision.class);
            if (rev == null) {
                continue;
            }
            for (Capability cap : rev.getCapabilities("modreg.capability")) {
                if (f.matches(cap.getAttributes())) {
                    found.add(b);
                    break;
                }
            }
        }
        return found;
    }

    private static Object refs(BundleContext ctx, String filter) {
        try {
            return ctx.getServiceReferences(Runnable.class, filter);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Times both ways interleaved, one call of each in turn, so that garbage collection and the
     * JIT fall on both alike; the naive way is left out when there is none.
     */
    private static void compare(String what, Supplier<Object> indexed, Supplier<Object> naive) {
        long[][] t = time(indexed, naive);
        long[] a = t[0];
        if (naive == null) {
            System.out.printf("  %-32s index p50 %8.1f  p99 %8.1f%n", what, a[0] / 1e3, a[1] / 1e3);
            return;
        }
        long[] b = t[1];
        System.out.printf("  %-32s index p50 %8.1f  p99 %8.1f   naive p50 %8.1f  p99 %8.1f   naive/index %6.1fx (p50)%n",
                what, a[0] / 1e3, a[1] / 1e3, b[0] / 1e3, b[1] / 1e3, (double) b[0] / a[0]);
    }

    /** p50 and p99 in nanoseconds of each, after a warm-up of the same length. */
    private static long[][] time(Supplier<Object> first, Supplier<Object> second) {
        Object sink = null;
        long[] t1 = new long[ITERATIONS];
        long[] t2 = new long[ITERATIONS];
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < ITERATIONS; i++) {
                long t0 = System.nanoTime();
                sink = first.get();
                t1[i] = System.nanoTime() - t0;
                if (second != null) {
                    t0 = System.nanoTime();
                    sink = second.get();
                    t2[i] = System.nanoTime() - t0;
                }
            }
        }
        if (sink == null) {
            throw new IllegalStateException("no result");
        }
        Arrays.sort(t1);
        Arrays.sort(t2);
        return new long[][] { { t1[ITERATIONS / 2], t1[ITERATIONS * 99 / 100] }, { t2[ITERATIONS / 2], t2[ITERATIONS * 99 / 100] } };
    }

    private static String words(Random rnd, int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            sb.append(i == 0 ? "" : " ").append(WORDS[rnd.nextInt(WORDS.length)]);
        }
        return sb.toString();
    }

    private static byte[] jar(int i, Random rnd) throws IOException {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "bench.module" + i);
        a.putValue("Bundle-Version", "1." + (i % 10) + ".0");
        a.putValue("Bundle-Name", "Bench " + words(rnd, 2) + " " + i);
        a.putValue("Bundle-Description", words(rnd, 8));
        a.putValue("Bundle-Category", WORDS[rnd.nextInt(WORDS.length)] + ",plugin");
        a.putValue("Module-Type", "plugin");
        a.putValue("Export-Package", "bench.pkg" + i + ";version=1.0");
        a.putValue("Provide-Capability", "modreg.capability;modreg.capability=cap-" + (i % CAPABILITIES)
                + ";version:Version=" + (i % 5) + ".0;tier=" + (i % 7 == 0 ? "gold" : "silver"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new JarOutputStream(out, mf).close();
        return out.toByteArray();
    }

    /** Heap taken by the index alone, for records like those above. */
    private static void indexMemory(int n) {
        Random rnd = new Random(7);
        List<Module> records = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String name = "Bench " + words(rnd, 2) + " " + i;
            String description = words(rnd, 8);
            List<String> tags = List.of(WORDS[rnd.nextInt(WORDS.length)], "plugin");
            List<CapabilityInfo> caps = List.of(
                    new CapabilityInfo("osgi.identity", Map.of("osgi.identity", "bench.module" + i, "type", "osgi.bundle",
                            "version", new Version(1, i % 10, 0)), Map.of()),
                    new CapabilityInfo("osgi.wiring.package", Map.of("osgi.wiring.package", "bench.pkg" + i,
                            "version", new Version(1, 0, 0)), Map.of()),
                    new CapabilityInfo("modreg.capability", Map.of("modreg.capability", "cap-" + (i % CAPABILITIES),
                            "version", new Version(i % 5, 0, 0), "tier", i % 7 == 0 ? "gold" : "silver"), Map.of()));
            Set<String> keywords = new java.util.TreeSet<>();
            for (String w : (name + " " + description + " " + String.join(" ", tags) + " bench module" + i + " cap-" + (i % CAPABILITIES))
                    .toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
                if (w.length() > 1) {
                    keywords.add(w);
                }
            }
            records.add(new Module(i, "bench.module" + i, new Version(1, i % 10, 0), name, description, null, null, null, tags,
                    "plugin", keywords, caps, List.of(), List.of(), ModuleState.INSTALLED, "bench:" + i, ModuleContent.UNKNOWN,
                    Instant.EPOCH, List.of()));
        }
        long before = usedHeap();
        IndexProbe index = new IndexProbe();
        for (Module m : records) {
            index.put(m);
        }
        long after = usedHeap();
        System.out.printf("%nindex heap: %,d bytes for %,d modules = %,d bytes a module (records themselves not counted)%n",
                after - before, index.size(), (after - before) / index.size());
        if (records.isEmpty()) {
            System.out.println();
        }
    }

    private static long usedHeap() {
        for (int i = 0; i < 4; i++) {
            System.gc();
        }
        var mem = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return mem.getUsed();
    }
}
