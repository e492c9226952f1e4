package org.modreg.core.wiring;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

import org.osgi.framework.namespace.BundleNamespace;
import org.osgi.resource.Capability;
import org.osgi.resource.Resource;

/**
 * Which singletons one resolve may resolve, selected as Felix 7 selects them
 * ({@code StatefulResolver.selectSingletons}), so that the check agrees with it:
 * <ul>
 * <li>a bundle is a singleton when its {@code osgi.wiring.bundle} capability says
 * {@code singleton:=true}; a fragment, which has none, never is;</li>
 * <li>the singletons of one symbolic name collide; resolver hooks may remove collisions
 * ({@code filterSingletonCollisions}), and a group is what the remaining collisions join, both
 * ways;</li>
 * <li>in a group with a resolved singleton no other resolves; otherwise the one selected is the
 * <em>lowest</em> version of those the hooks let resolve (Felix 7.0.5 compares that way, though its
 * comment says the highest), the first installed of equal versions;</li>
 * <li>those not selected are left out: their capabilities are not offered, and one that must resolve
 * fails the resolve.</li>
 * </ul>
 */
final class Singletons {

    /** What hooks may do to the collisions of a singleton: remove some. */
    interface Collisions {
        /** The framework's {@code filterSingletonCollisions}, for resources. */
        void filter(Resource singleton, Collection<Resource> collisions);
    }

    /**
     * @param out      the singletons left out of the resolve
     * @param problems why each one left out is, in plain words
     */
    record Selection(Set<Resource> out, Map<Resource, String> problems) {
    }

    private Singletons() {
    }

    /** @return whether the framework treats a resource as a singleton (Felix's {@code Util.isSingleton}) */
    static boolean singleton(Resource r) {
        for (Capability c : r.getCapabilities(BundleNamespace.BUNDLE_NAMESPACE)) {
            for (Map.Entry<String, String> d : c.getDirectives().entrySet()) {
                if (d.getKey().equalsIgnoreCase(BundleNamespace.CAPABILITY_SINGLETON_DIRECTIVE)) {
                    return Boolean.parseBoolean(d.getValue());
                }
            }
            return false; // one bundle capability a bundle
        }
        return false;
    }

    /**
     * @param resources  every resource of the resolve, installed ones in the order they were
     *                   installed, then the candidates
     * @param resolved   whether a resource is resolved
     * @param selectable whether the hooks let an unresolved resource resolve
     * @param bundleId   a resource's bundle id; negative for a candidate
     * @param hooks      the hooks' filter of collisions, or null without hooks
     */
    static Selection select(List<Resource> resources, Predicate<Resource> resolved, Predicate<Resource> selectable,
            ToLongFunction<Resource> bundleId, Collisions hooks) {
        Map<String, List<Resource>> byName = new LinkedHashMap<>();
        for (Resource r : resources) {
            if (singleton(r)) {
                byName.computeIfAbsent(WiringChecker.id(r), n -> new ArrayList<>()).add(r);
            }
        }
        Map<Resource, String> problems = new IdentityHashMap<>();
        Set<Resource> out = Collections.newSetFromMap(new IdentityHashMap<>());
        for (List<Resource> named : byName.values()) {
            for (List<Resource> group : groups(named, hooks)) {
                select(group, resolved, selectable, bundleId, out, problems);
            }
        }
        return new Selection(out, problems);
    }

    /** The groups of singletons of one name: all of them, unless hooks removed collisions. */
    private static List<List<Resource>> groups(List<Resource> named, Collisions hooks) {
        if (hooks == null) {
            return List.of(named);
        }
        Map<Resource, List<Resource>> joined = new IdentityHashMap<>();
        for (Resource r : named) {
            joined.put(r, new ArrayList<>());
        }
        for (Resource r : named) {
            List<Resource> collisions = new ArrayList<>(named);
            collisions.remove(r);
            hooks.filter(r, collisions);
            for (Resource c : collisions) {
                // a collision joins both ways
                joined.get(r).add(c);
                joined.get(c).add(r);
            }
        }
        List<List<Resource>> groups = new ArrayList<>();
        Set<Resource> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Resource r : named) {
            if (!seen.add(r)) {
                continue;
            }
            List<Resource> group = new ArrayList<>();
            Deque<Resource> todo = new ArrayDeque<>(List.of(r));
            while (!todo.isEmpty()) {
                Resource x = todo.pop();
                group.add(x);
                for (Resource y : joined.get(x)) {
                    if (seen.add(y)) {
                        todo.push(y);
                    }
                }
            }
            // in the order the group's members were installed, as Felix meets them
            group.sort((a, b) -> Integer.compare(named.indexOf(a), named.indexOf(b)));
            groups.add(group);
        }
        return groups;
    }

    private static void select(List<Resource> group, Predicate<Resource> resolved, Predicate<Resource> selectable,
            ToLongFunction<Resource> bundleId, Set<Resource> out, Map<Resource, String> problems) {
        Resource winner = null;
        boolean alreadyResolved = false;
        for (Resource r : group) {
            if (resolved.test(r)) {
                winner = r;
                alreadyResolved = true;
                break;
            }
            if (selectable.test(r) && (winner == null || WiringChecker.version(winner).compareTo(WiringChecker.version(r)) > 0)) {
                winner = r;
            }
        }
        for (Resource r : group) {
            if (r == winner || resolved.test(r)) {
                continue;
            }
            out.add(r);
            if (winner == null || !selectable.test(r)) {
                continue; // the hooks keep it from resolving, and that is said where they do
            }
            String id = WiringChecker.id(r);
            problems.put(r, alreadyResolved
                    ? id + " is a singleton and " + who(winner, bundleId) + " is resolved already; only one version of a singleton can resolve"
                    : id + " is a singleton and so is " + who(winner, bundleId) + ", which the framework would resolve instead: of "
                            + "singletons not resolved yet, Felix resolves the lowest version");
        }
    }

    private static String who(Resource r, ToLongFunction<Resource> bundleId) {
        long id = bundleId.applyAsLong(r);
        return WiringChecker.label(r) + (id < 0 ? " (checked with it)" : " (bundle " + id + ")");
    }
}
