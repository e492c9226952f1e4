package org.modreg.core.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.felix.utils.resource.ResourceBuilder;
import org.junit.jupiter.api.Test;
import org.osgi.resource.Resource;

class SingletonsTest {

    private final Map<Resource, Long> ids = new IdentityHashMap<>();

    private Resource bundle(long id, String bsn, String version, String... headers) throws Exception {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Bundle-ManifestVersion", "2");
        h.put("Bundle-SymbolicName", bsn);
        h.put("Bundle-Version", version);
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        Resource r = ResourceBuilder.build("t" + id, h);
        ids.put(r, id);
        return r;
    }

    private Singletons.Selection select(List<Resource> all, Set<Resource> resolved, Singletons.Collisions hooks) {
        return Singletons.select(all, resolved::contains, r -> true, ids::get, hooks);
    }

    @Test
    void ofUnresolvedSingletonsTheLowestVersionIsSelectedAsFelixSelectsIt() throws Exception {
        Resource high = bundle(5, "s;singleton:=true", "2.0.0");
        Resource low = bundle(6, "s;singleton:=true", "1.0.0");
        Resource candidate = bundle(-1, "s;singleton:=true", "3.0.0");
        Singletons.Selection s = select(List.of(high, low, candidate), Set.of(), null);
        assertEquals(Set.of(high, candidate), s.out());
        assertEquals("s is a singleton and so is s 1.0.0 (bundle 6), which the framework would resolve instead: of singletons "
                + "not resolved yet, Felix resolves the lowest version", s.problems().get(candidate));
    }

    @Test
    void aResolvedSingletonKeepsEveryOtherOfItsNameFromResolving() throws Exception {
        Resource resolved = bundle(5, "s;singleton:=true", "2.0.0");
        Resource lower = bundle(-1, "s;singleton:=true", "1.0.0");
        Singletons.Selection s = select(List.of(resolved, lower), Set.of(resolved), null);
        assertEquals(Set.of(lower), s.out());
        assertEquals("s is a singleton and s 2.0.0 (bundle 5) is resolved already; only one version of a singleton can resolve",
                s.problems().get(lower));
    }

    @Test
    void onlyTheBundleCapabilityMakesASingletonSoAFragmentNeverIsOne() throws Exception {
        Resource host = bundle(4, "h", "1.0.0");
        Resource f1 = bundle(5, "f;singleton:=true", "1.0.0", "Fragment-Host", "h");
        Resource f2 = bundle(6, "f;singleton:=true", "2.0.0", "Fragment-Host", "h");
        assertFalse(Singletons.singleton(f1), "Felix looks at the bundle capability only, which a fragment has none of");
        assertTrue(select(List.of(host, f1, f2), Set.of(), null).out().isEmpty());
        assertTrue(Singletons.singleton(bundle(7, "s;singleton:=TRUE", "1.0.0")));
        assertFalse(Singletons.singleton(bundle(8, "s", "1.0.0")));
    }

    @Test
    void collisionsHooksRemoveSplitTheGroupAndEachPartSelectsItsOwn() throws Exception {
        Resource a = bundle(5, "s;singleton:=true", "1.0.0");
        Resource b = bundle(6, "s;singleton:=true", "2.0.0");
        Resource c = bundle(7, "s;singleton:=true", "3.0.0");
        // a hook says c collides with nothing; a and b still collide (both ways: b's collisions keep a)
        Singletons.Selection s = select(List.of(a, b, c), Set.of(), (singleton, collisions) -> {
            if (singleton == c) {
                collisions.clear();
            } else {
                collisions.remove(c);
            }
        });
        assertEquals(Set.of(b), s.out());
    }

    @Test
    void aCollisionKeptOneWayJoinsBothWays() throws Exception {
        Resource a = bundle(5, "s;singleton:=true", "1.0.0");
        Resource b = bundle(6, "s;singleton:=true", "2.0.0");
        // a's collisions are cleared, b's keep a: a and b are one group, as in Felix
        Singletons.Selection s = select(List.of(a, b), Set.of(), (singleton, collisions) -> {
            if (singleton == a) {
                collisions.clear();
            }
        });
        assertEquals(Set.of(b), s.out());
    }

    @Test
    void singletonsTheHooksKeepFromResolvingAreNotSelected() throws Exception {
        Resource low = bundle(5, "s;singleton:=true", "1.0.0");
        Resource high = bundle(6, "s;singleton:=true", "2.0.0");
        Singletons.Selection s = Singletons.select(List.of(low, high), r -> false, r -> r != low, ids::get, null);
        assertEquals(Set.of(low), s.out());
        assertFalse(s.problems().containsKey(low), "the hook says why, elsewhere");
    }
}
