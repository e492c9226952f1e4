package org.modreg.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * the wirings of those that are resolved, and their capabilities indexed by namespace and name in
 * felix utils' {@link CapabilitySet} (the index Felix itself resolves with). Immutable once built;
 * built again only after a bundle event, so that checks against an unchanged framework share it.
 */
final class WiringSnapshot {

    private final long generation;
    private final Map<Resource, Wiring> wirings = new HashMap<>();
    private final Map<Resource, Long> bundleIds = new IdentityHashMap<>();
    private final Map<Long, BundleRevision> byBundleId = new HashMap<>();
    private final Map<String, CapabilitySet> byNamespace = new HashMap<>();
    private final List<Resource> unresolvedFragments = new ArrayList<>();

    WiringSnapshot(long generation, Bundle[] bundles) {
        this.generation = generation;
        for (Bundle b : bundles) {
            if (b.getState() == Bundle.UNINSTALLED) {
                continue;
            }
            BundleRevision rev = b.adapt(BundleRevision.class);
            if (rev == null) {
                continue;
            }
            bundleIds.put(rev, b.getBundleId());
            byBundleId.put(b.getBundleId(), rev);
            BundleWiring w = rev.getWiring();
            boolean fragment = (rev.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
            List<Capability> caps;
            if (w != null && w.isCurrent()) {
                wirings.put(rev, w);
                // a resolved host's wiring also carries the capabilities of its fragments
                caps = w.getResourceCapabilities(null);
            } else {
                caps = rev.getCapabilities(null);
                if (fragment) {
                    unresolvedFragments.add(rev);
                }
            }
            for (Capability c : caps) {
                byNamespace.computeIfAbsent(c.getNamespace(), ns -> new CapabilitySet(List.of(Requirements.nameAttribute(ns))))
                        .addCapability(c);
            }
        }
    }

    long generation() {
        return generation;
    }

    Map<Resource, Wiring> wirings() {
        return wirings;
    }

    List<Resource> unresolvedFragments() {
        return unresolvedFragments;
    }

    /** @return the current revision of a bundle, or null */
    BundleRevision revision(long bundleId) {
        return byBundleId.get(bundleId);
    }

    /** @return every installed resource */
    Set<Resource> resources() {
        return Collections.unmodifiableSet(bundleIds.keySet());
    }

    /** @return the bundle id of an installed resource (or of the host of a hosted capability's resource); -1 for others */
    long bundleId(Resource r) {
        Long id = bundleIds.get(r);
        if (id != null) {
            return id;
        }
        return r instanceof BundleRevision br ? br.getBundle().getBundleId() : -1;
    }

    /** @return the installed capabilities of a namespace matching a filter */
    Set<Capability> match(String namespace, SimpleFilter filter, boolean obeyMandatory) {
        CapabilitySet set = byNamespace.get(namespace);
        return set == null ? Set.of() : set.match(filter, obeyMandatory);
    }
}
