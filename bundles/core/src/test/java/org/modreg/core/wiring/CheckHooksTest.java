package org.modreg.core.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.apache.felix.utils.resource.ResourceBuilder;
import org.junit.jupiter.api.Test;
import org.osgi.framework.hooks.resolver.ResolverHook;
import org.osgi.framework.hooks.resolver.ResolverHookFactory;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;

class CheckHooksTest {

    /** A hook that logs each call as "name:call" and does what the test gives it to filterMatches. */
    private static ResolverHook hook(String name, List<String> log, Consumer<Collection<BundleCapability>> matches) {
        return new ResolverHook() {
            @Override
            public void filterResolvable(Collection<BundleRevision> candidates) {
                log.add(name + ":resolvable");
            }

            @Override
            public void filterSingletonCollisions(BundleCapability singleton, Collection<BundleCapability> collisions) {
                log.add(name + ":collisions");
            }

            @Override
            public void filterMatches(BundleRequirement requirement, Collection<BundleCapability> candidates) {
                log.add(name + ":matches");
                matches.accept(candidates);
            }

            @Override
            public void end() {
                log.add(name + ":end");
            }
        };
    }

    private static CheckHooks.Factory factory(String name, ResolverHookFactory f) {
        return new CheckHooks.Factory(name, f, () -> true);
    }

    /** Three capabilities of a jar, as hooks see them. */
    private static List<BundleCapability> capabilities(CandidateRevision rev) {
        return rev.getDeclaredCapabilities("osgi.wiring.package");
    }

    private static CandidateRevision revision() throws Exception {
        return new CandidateRevision(ResourceBuilder.build("t", Map.of("Bundle-ManifestVersion", "2", "Bundle-SymbolicName", "t.b",
                "Export-Package", "p.one,p.two,p.three", "Import-Package", "q")), null);
    }

    @Test
    void hooksAreCalledInTheGivenOrderEachTimeAndEndOnceThenTheFactoriesAreReleased() throws Exception {
        List<String> log = new ArrayList<>();
        List<Collection<BundleRevision>> triggers = new ArrayList<>();
        AtomicBoolean released = new AtomicBoolean();
        CandidateRevision rev = revision();
        CheckHooks hooks = CheckHooks.begin(List.of(
                factory("high", t -> {
                    triggers.add(t);
                    return hook("high", log, c -> { });
                }),
                factory("abstains", t -> null),
                factory("low", t -> hook("low", log, c -> { }))), List.of(rev), () -> released.set(true));
        assertTrue(hooks.active());
        assertEquals(List.of(List.of(rev)), List.copyOf(triggers).stream().map(List::copyOf).toList());
        assertThrows(UnsupportedOperationException.class, () -> triggers.get(0).clear());

        hooks.filterResolvable(List.of(rev));
        hooks.filterMatches(rev.getDeclaredRequirements("osgi.wiring.package").get(0), capabilities(rev));
        hooks.close();
        hooks.close();
        assertEquals(List.of("high:resolvable", "low:resolvable", "high:matches", "low:matches", "high:end", "low:end"), log);
        assertTrue(released.get());
        assertNull(hooks.failure());
    }

    @Test
    void whatEachHookRemovesIsToldWithItsName() throws Exception {
        CandidateRevision rev = revision();
        List<BundleCapability> caps = capabilities(rev);
        CheckHooks hooks = CheckHooks.begin(List.of(
                factory("first", t -> hook("first", new ArrayList<>(), c -> c.remove(caps.get(0)))),
                factory("second", t -> hook("second", new ArrayList<>(), c -> c.removeIf(x -> x == caps.get(0) || x == caps.get(2))))),
                List.of(), () -> { });
        Map<BundleCapability, String> removed = hooks.filterMatches(rev.getDeclaredRequirements(null).get(0), caps);
        assertEquals(2, removed.size());
        assertEquals("first", removed.get(caps.get(0)));
        assertEquals("second", removed.get(caps.get(2)));
        hooks.close();
    }

    @Test
    void aHookThatThrowsAsTheResolveBeginsFailsItAndNoFurtherFactoryIsAsked() throws Exception {
        List<String> log = new ArrayList<>();
        AtomicBoolean asked = new AtomicBoolean();
        CheckHooks hooks = CheckHooks.begin(List.of(
                factory("ok", t -> hook("ok", log, c -> { })),
                factory("bad", t -> {
                    throw new IllegalStateException("no");
                }),
                factory("never", t -> {
                    asked.set(true);
                    return hook("never", log, c -> { });
                })), List.of(), () -> { });
        assertEquals("bad threw as the resolve began: java.lang.IllegalStateException: no", hooks.failure());
        assertTrue(!asked.get());
        // a failed resolve filters nothing; those begun still end
        assertTrue(hooks.filterResolvable(List.of(revision())).isEmpty());
        hooks.close();
        assertEquals(List.of("ok:end"), log);
    }

    @Test
    void aHookThatThrowsFromFilterMatchesIsIgnoredWithAWarningAndTheNextIsCalled() throws Exception {
        List<String> log = new ArrayList<>();
        CandidateRevision rev = revision();
        CheckHooks hooks = CheckHooks.begin(List.of(
                factory("bad", t -> hook("bad", log, c -> {
                    throw new IllegalArgumentException("oops");
                })),
                factory("next", t -> hook("next", log, c -> { }))), List.of(), () -> { });
        hooks.filterMatches(rev.getDeclaredRequirements(null).get(0), capabilities(rev));
        hooks.filterMatches(rev.getDeclaredRequirements(null).get(0), capabilities(rev));
        assertNull(hooks.failure());
        assertEquals(List.of("bad threw from filterMatches: java.lang.IllegalArgumentException: oops; ignored, as the framework "
                + "ignores it"), hooks.warnings());
        assertEquals(List.of("bad:matches", "next:matches", "bad:matches", "next:matches"), log);
        hooks.close();
    }

    @Test
    void aHookThatThrowsFromFilterResolvableFailsTheResolve() throws Exception {
        CheckHooks hooks = CheckHooks.begin(List.of(factory("bad", t -> new ResolverHook() {
            @Override
            public void filterResolvable(Collection<BundleRevision> candidates) {
                throw new IllegalStateException("no");
            }

            @Override
            public void filterSingletonCollisions(BundleCapability singleton, Collection<BundleCapability> collisions) {
            }

            @Override
            public void filterMatches(BundleRequirement requirement, Collection<BundleCapability> candidates) {
            }

            @Override
            public void end() {
            }
        })), List.of(), () -> { });
        assertTrue(hooks.filterResolvable(List.of(revision())).isEmpty());
        assertEquals("bad threw from filterResolvable: java.lang.IllegalStateException: no", hooks.failure());
        hooks.close();
    }

    @Test
    void aHookWhoseServiceWasUnregisteredIsNoLongerCalled() throws Exception {
        List<String> log = new ArrayList<>();
        AtomicBoolean registered = new AtomicBoolean(true);
        CheckHooks hooks = CheckHooks.begin(List.of(new CheckHooks.Factory("gone", t -> hook("gone", log, c -> { }), registered::get)),
                List.of(), () -> { });
        registered.set(false);
        hooks.filterResolvable(List.of(revision()));
        hooks.close();
        assertEquals(List.of(), log);
    }

    @Test
    void noHooksFilterNothing() throws Exception {
        CheckHooks none = CheckHooks.none();
        CandidateRevision rev = revision();
        assertTrue(!none.active());
        assertTrue(none.filterResolvable(List.of(rev)).isEmpty());
        assertTrue(none.filterMatches(rev.getDeclaredRequirements(null).get(0), capabilities(rev)).isEmpty());
        none.close();
    }

    @Test
    void aShrinkableCollectionOnlyShrinksAndTellsWhatWasRemoved() {
        Shrinkable<String> s = new Shrinkable<>(List.of("a", "b", "c", "d"));
        List<String> removed = new ArrayList<>();
        s.onRemove(removed::add);
        assertThrows(UnsupportedOperationException.class, () -> s.add("e"));
        assertThrows(UnsupportedOperationException.class, () -> s.addAll(List.of("e")));
        s.remove("b");
        s.removeIf("c"::equals);
        s.retainAll(List.of("a", "c"));
        assertEquals(List.of("a"), s.left());
        assertEquals(List.of("b", "c", "d"), removed);
        s.clear();
        assertTrue(s.isEmpty());
    }

    @Test
    void aJarsRevisionShowsTheSameViewEachTimeAndLeadsBackToTheResource() throws Exception {
        CandidateResource jar = (CandidateResource) WiringChecker.resource("t.jar", "file:/x/t.jar",
                Map.of("Bundle-ManifestVersion", "2", "Bundle-SymbolicName", "t.b", "Bundle-Version", "1.2", "Export-Package", "p"));
        CandidateRevision rev = new CandidateRevision(jar, null);
        BundleCapability p = rev.getDeclaredCapabilities("osgi.wiring.package").get(0);
        assertSame(p, rev.getDeclaredCapabilities("osgi.wiring.package").get(0));
        assertSame(jar.getCapabilities("osgi.wiring.package").get(0), CandidateRevision.original(p));
        assertSame(rev, p.getRevision());
        assertEquals("t.b", rev.getSymbolicName());
        assertEquals("1.2.0", rev.getVersion().toString());
        assertNull(rev.getWiring());
        // the bundle it would become: not installed yet
        assertEquals(CandidateBundle.NO_ID, rev.getBundle().getBundleId());
        assertEquals("file:/x/t.jar", rev.getBundle().getLocation());
        assertEquals("t.b", rev.getBundle().getHeaders().get("Bundle-SymbolicName"));
        assertSame(rev, rev.getBundle().adapt(BundleRevision.class));
        assertThrows(IllegalStateException.class, () -> rev.getBundle().start());
    }
}
