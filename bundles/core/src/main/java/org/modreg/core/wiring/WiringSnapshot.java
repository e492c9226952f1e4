package org.modreg.core.wiring;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;

import org.apache.felix.utils.resource.CapabilitySet;
import org.apache.felix.utils.resource.SimpleFilter;
import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.resource.Capability;
import org.osgi.resource.Resource;
import org.osgi.resource.Wiring;

/**
 * The installed modules at one moment, as the resolver sees them: each bundle's current revision,
 * the wirings of those that are resolved, and their capabilities indexed by namespace and name (the
 * namespace attribute, or {@code objectClass} for services), as Felix indexes them.
 *
 * <p>Immutable. After bundle events the next snapshot is derived from the previous one by
 * reading again only the bundles that changed, copying only the parts of the index they touch:
 * a check right after a deploy does not pay for reading a thousand unchanged bundles.
 */
public final class WiringSnapshot {

    /** One bundle as the snapshot saw it. */
    private record Item(long id, BundleRevision revision, Wiring wiring, List<Capability> capabilities, boolean fragment) {
    }

    private final Map<Long, Item> items;
    private final Map<Resource, Long> bundleIds;
    private final Map<Resource, Wiring> wirings;
    /** namespace -> name -> capabilities; every level copied on write. */
    private final Map<String, Map<String, List<Capability>>> index;
    private final List<Resource> unresolvedFragments;

    private WiringSnapshot(Map<Long, Item> items, Map<String, Map<String, List<Capability>>> index) {
        this.items = items;
        this.index = index;
        this.bundleIds = new IdentityHashMap<>(items.size() * 2);
        this.wirings = new HashMap<>(items.size() * 2);
        List<Resource> fragments = new ArrayList<>();
        for (Item i : items.values()) {
            bundleIds.put(i.revision(), i.id());
            if (i.wiring() != null) {
                wirings.put(i.revision(), i.wiring());
            } else if (i.fragment()) {
                fragments.add(i.revision());
            }
        }
        this.unresolvedFragments = List.copyOf(fragments);
    }

    /** Reads every bundle. */
    public static WiringSnapshot of(Bundle[] bundles) {
        Map<Long, Item> items = new HashMap<>();
        Map<String, Map<String, List<Capability>>> index = new HashMap<>();
        for (Bundle b : bundles) {
            Item i = item(b);
            if (i != null) {
                items.put(i.id(), i);
                for (Capability c : i.capabilities()) {
                    for (String name : names(c)) {
                        index.computeIfAbsent(c.getNamespace(), ns -> new HashMap<>())
                                .computeIfAbsent(name, n -> new ArrayList<>()).add(c);
                    }
                }
            }
        }
        return new WiringSnapshot(items, index);
    }

    /**
     * A snapshot with the given bundles read again; the rest is shared with this one.
     *
     * @param changed bundle ids that had events since this snapshot
     * @param bundles the bundle of an id, or null once it is uninstalled
     */
    public WiringSnapshot with(Collection<Long> changed, LongFunction<Bundle> bundles) {
        Map<Long, Item> newItems = new HashMap<>(items);
        Map<String, Map<String, List<Capability>>> newIndex = new HashMap<>(index);
        Set<String> copiedNamespaces = new HashSet<>();
        Set<List<Capability>> copiedLists = Collections.newSetFromMap(new IdentityHashMap<>());
        for (long id : changed) {
            Item old = newItems.remove(id);
            if (old != null) {
                for (Capability c : old.capabilities()) {
                    for (String name : names(c)) {
                        List<Capability> list = list(newIndex, copiedNamespaces, copiedLists, c.getNamespace(), name);
                        list.remove(c);
                    }
                }
            }
            Bundle b = bundles.apply(id);
            Item fresh = b == null ? null : item(b);
            if (fresh != null) {
                newItems.put(id, fresh);
                for (Capability c : fresh.capabilities()) {
                    for (String name : names(c)) {
                        list(newIndex, copiedNamespaces, copiedLists, c.getNamespace(), name).add(c);
                    }
                }
            }
        }
        return new WiringSnapshot(newItems, newIndex);
    }

    /** The list of a name, copied once for this derivation along with the map that holds it. */
    private static List<Capability> list(Map<String, Map<String, List<Capability>>> index, Set<String> copiedNamespaces,
            Set<List<Capability>> copiedLists, String namespace, String name) {
        Map<String, List<Capability>> byName = index.get(namespace);
        if (byName == null || copiedNamespaces.add(namespace)) {
            byName = byName == null ? new HashMap<>() : new HashMap<>(byName);
            index.put(namespace, byName);
            copiedNamespaces.add(namespace);
        }
        List<Capability> list = byName.get(name);
        if (list == null || !copiedLists.contains(list)) {
            list = list == null ? new ArrayList<>() : new ArrayList<>(list);
            copiedLists.add(list);
            byName.put(name, list);
        }
        return list;
    }

    private static Item item(Bundle b) {
        if (b.getState() == Bundle.UNINSTALLED) {
            return null;
        }
        BundleRevision rev = b.adapt(BundleRevision.class);
        if (rev == null) {
            return null;
        }
        BundleWiring w = rev.getWiring();
        boolean fragment = (rev.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
        if (w != null && w.isCurrent()) {
            // a resolved host's wiring also carries the capabilities of its fragments
            return new Item(b.getBundleId(), rev, w, List.copyOf(w.getResourceCapabilities(null)), fragment);
        }
        return new Item(b.getBundleId(), rev, null, List.copyOf(rev.getCapabilities(null)), fragment);
    }

    /** The names a capability is indexed under: its namespace attribute, each value of a list. */
    private static List<String> names(Capability c) {
        Object v = c.getAttributes().get(Requirements.nameAttribute(c.getNamespace()));
        if (v instanceof Collection<?> values) {
            List<String> names = new ArrayList<>(values.size());
            values.forEach(x -> names.add(String.valueOf(x)));
            return names;
        }
        return List.of(v == null ? "" : String.valueOf(v));
    }

    public Map<Resource, Wiring> wirings() {
        return wirings;
    }

    public List<Resource> unresolvedFragments() {
        return unresolvedFragments;
    }

    /** @return the current revision of a bundle, or null */
    public BundleRevision revision(long bundleId) {
        Item i = items.get(bundleId);
        return i == null ? null : i.revision();
    }

    /** @return every installed resource */
    public Set<Resource> resources() {
        return Collections.unmodifiableSet(bundleIds.keySet());
    }

    /** @return the bundle id of an installed resource (or of the host of a hosted capability's resource); -1 for others */
    public long bundleId(Resource r) {
        Long id = bundleIds.get(r);
        if (id != null) {
            return id;
        }
        return r instanceof BundleRevision br ? br.getBundle().getBundleId() : -1;
    }

    /**
     * The installed capabilities of a namespace that match a filter, mandatory attributes obeyed.
     * A filter that names what it wants (the namespace attribute with {@code =}) is answered from
     * the capabilities of that name only.
     */
    public List<Capability> match(String namespace, SimpleFilter filter) {
        Map<String, List<Capability>> byName = index.get(namespace);
        if (byName == null) {
            return List.of();
        }
        String name = equality(filter, Requirements.nameAttribute(namespace));
        Collection<List<Capability>> pools = name == null ? byName.values() : List.of(byName.getOrDefault(name, List.of()));
        List<Capability> result = new ArrayList<>();
        Set<Capability> seen = name == null ? Collections.newSetFromMap(new IdentityHashMap<>()) : null;
        for (List<Capability> pool : pools) {
            for (Capability c : pool) {
                if ((seen == null || seen.add(c)) && CapabilitySet.matches(c, filter)) {
                    result.add(c);
                }
            }
        }
        return result;
    }

    /** @return the installed capabilities of a namespace carrying a name, whatever else they say */
    public List<Capability> named(String namespace, String name) {
        Map<String, List<Capability>> byName = index.get(namespace);
        return byName == null ? List.of() : byName.getOrDefault(name, List.of());
    }

    /** The value a filter requires of an attribute with {@code =}, at its top level; null if none. */
    private static String equality(SimpleFilter f, String attribute) {
        if (f.getOperation() == SimpleFilter.EQ && attribute.equalsIgnoreCase(f.getName())) {
            return String.valueOf(f.getValue());
        }
        if (f.getOperation() == SimpleFilter.AND) {
            for (Object o : (List<?>) f.getValue()) {
                SimpleFilter c = (SimpleFilter) o;
                if (c.getOperation() == SimpleFilter.EQ && attribute.equalsIgnoreCase(c.getName())) {
                    return String.valueOf(c.getValue());
                }
            }
        }
        return null;
    }
}
