package org.modreg.core.index;

import org.modreg.core.records.Records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.modreg.api.ModuleQuery;
import org.modreg.api.ModuleState;
import org.modreg.api.dto.CapabilityInfo;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleContent;
import org.modreg.api.dto.ModuleMatch;
import org.modreg.api.dto.ServiceInfo;
import org.osgi.framework.Version;

public class ModuleIndexTest {

    private static final String[] WORDS = { "alpha", "beta", "gamma", "delta", "render", "renderer", "codec", "video" };

    private static Module module(long id, Random rnd) {
        String name = WORDS[rnd.nextInt(WORDS.length)] + " " + WORDS[rnd.nextInt(WORDS.length)];
        String cap = "cap-" + rnd.nextInt(5);
        List<CapabilityInfo> caps = List.of(
                new CapabilityInfo("modreg.capability", Map.of("modreg.capability", cap, "version", new Version(rnd.nextInt(3), 0, 0),
                        "tier", rnd.nextBoolean() ? "gold" : "silver"), Map.of()),
                new CapabilityInfo("osgi.wiring.package", Map.of("osgi.wiring.package", "p" + id), Map.of()));
        List<ServiceInfo> services = rnd.nextInt(4) == 0
                ? List.of(new ServiceInfo(1000 + id, List.of("x.Api"), Map.of("modreg.capability", List.of("svc-" + rnd.nextInt(3)))))
                : List.of();
        List<String> tags = List.of(WORDS[rnd.nextInt(WORDS.length)]);
        String bsn = "m" + id + "." + WORDS[rnd.nextInt(WORDS.length)];
        List<CapabilityInfo> all = caps;
        return new Module(id, bsn, new Version(1, rnd.nextInt(4), 0), name, WORDS[rnd.nextInt(WORDS.length)], null, null, null, tags,
                rnd.nextBoolean() ? "plugin" : "library", Records.keywords(bsn, name, null, tags, all), all, List.of(), services,
                rnd.nextBoolean() ? ModuleState.ACTIVE : ModuleState.RESOLVED, "x:" + id, ModuleContent.UNKNOWN, Instant.EPOCH,
                List.of());
    }

    /** The reference: every record checked one by one, ranked the same way. */
    private static List<Long> scan(List<Module> all, ModuleQuery q) {
        List<ModuleMatch> out = new ArrayList<>();
        for (Module m : all) {
            ModuleMatch match = ModuleIndex.match(m, q);
            if (match != null) {
                out.add(match);
            }
        }
        // the ranking spelled out again, independently of the index's comparator
        out.sort(Comparator.comparingDouble(ModuleMatch::score).reversed()
                .thenComparing(x -> x.module().version(), Comparator.reverseOrder())
                .thenComparing(x -> x.module().id()).thenComparingLong(x -> x.module().bundleId()));
        int from = Math.min(q.offset(), out.size());
        int to = (int) Math.min((long) from + q.limit(), out.size());
        return out.subList(from, to).stream().map(m -> m.module().bundleId()).toList();
    }

    @Test
    void theIndexAnswersAsAScanWouldAfterAnyUpdates() {
        Random rnd = new Random(1);
        ModuleIndex index = new ModuleIndex();
        List<Module> live = new ArrayList<>();
        for (long id = 1; id <= 400; id++) {
            Module m = module(id, rnd);
            live.add(m);
            index.put(m);
        }
        // re-index some (an update) and drop some (an uninstall)
        for (int i = 0; i < 100; i++) {
            int at = rnd.nextInt(live.size());
            if (rnd.nextBoolean()) {
                Module m = module(live.get(at).bundleId(), rnd);
                live.set(at, m);
                index.put(m);
            } else {
                index.remove(live.remove(at).bundleId());
            }
        }
        assertEquals(live.size(), index.size());
        List<ModuleQuery> queries = List.of(
                ModuleQuery.all(),
                ModuleQuery.all().capability("cap-1"),
                ModuleQuery.all().capability("svc-2"),
                ModuleQuery.all().capability("cap-1", "svc-0"),
                ModuleQuery.all().filter("modreg.capability", "(&(modreg.capability=cap-2)(tier=gold))"),
                ModuleQuery.all().filter("modreg.capability", "(version>=1)"),
                ModuleQuery.all().filter("modreg.capability", "(version=2)"),
                ModuleQuery.all().filter("osgi.wiring.package", "(osgi.wiring.package=p17)"),
                ModuleQuery.all().filter("osgi.wiring.package", null).type("plugin"),
                ModuleQuery.all().keywords("render"),
                ModuleQuery.all().keywords("rend codec").limit(7),
                ModuleQuery.all().keywords("video").offset(3).limit(5),
                ModuleQuery.all().keywords("alpha").state(ModuleState.ACTIVE).anyTag("beta", "gamma"),
                ModuleQuery.all().versions("[1.1,1.3)").allTags("delta"),
                ModuleQuery.all().capability("cap-3").keywords("m1").limit(3));
        for (ModuleQuery q : queries) {
            List<Long> indexed = index.find(q).stream().map(m -> m.module().bundleId()).toList();
            assertEquals(scan(live, q), indexed, "query " + describe(q));
        }
        assertFalse(index.find(ModuleQuery.all().keywords("render")).isEmpty(), "the data exercises keywords");
    }

    @Test
    void concurrentUpdatesAndQueriesStayConsistent() throws Exception {
        ModuleIndex index = new ModuleIndex();
        java.util.concurrent.ConcurrentHashMap<Long, Module> live = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            long base = w * 1000L;
            threads.add(new Thread(() -> {
                Random rnd = new Random(base);
                for (int i = 0; i < 3000; i++) {
                    long id = base + rnd.nextInt(200);
                    if (rnd.nextInt(3) == 0) {
                        index.remove(id);
                        live.remove(id);
                    } else {
                        Module m = module(id, rnd);
                        index.put(m);
                        live.put(id, m);
                    }
                }
            }));
        }
        for (int r = 0; r < 2; r++) {
            threads.add(new Thread(() -> {
                try {
                    for (int i = 0; i < 2000; i++) {
                        for (ModuleMatch m : index.find(ModuleQuery.all().capability("cap-1").keywords("render"))) {
                            // every result must really match: never a half-indexed module
                            assertTrue(ModuleIndex.match(m.module(), ModuleQuery.all().capability("cap-1").keywords("render")) != null);
                        }
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        List<Module> all = new ArrayList<>(live.values());
        assertEquals(all.size(), index.size());
        ModuleQuery q = ModuleQuery.all().capability("cap-2");
        assertEquals(scan(all, q), index.find(q).stream().map(m -> m.module().bundleId()).toList());
    }

    private static String describe(ModuleQuery q) {
        return q.capabilities() + " " + q.filters() + " " + q.keywords() + " " + q.type() + " " + q.states() + " " + q.versions()
                + " " + q.offset() + "/" + q.limit();
    }

    @Test
    void longSetKeepsOrderAndMerges() {
        LongSet a = new LongSet();
        for (long v : new long[] { 5, 1, 9, 3, 9, 7 }) {
            a.add(v);
        }
        assertEquals(5, a.size());
        assertTrue(a.contains(9));
        assertTrue(a.remove(3));
        assertFalse(a.remove(3));
        LongSet b = LongSet.of(1, 2, 7, 10);
        LongSet and = a.and(b);
        assertEquals(List.of(1L, 7L), List.of(and.get(0), and.get(1)));
        assertEquals(2, and.size());
        LongSet or = a.or(b);
        List<Long> merged = new ArrayList<>();
        for (int i = 0; i < or.size(); i++) {
            merged.add(or.get(i));
        }
        assertEquals(List.of(1L, 2L, 5L, 7L, 9L, 10L), merged);
    }
}
