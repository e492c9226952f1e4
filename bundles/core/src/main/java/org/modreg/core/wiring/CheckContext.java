package org.modreg.core.wiring;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.felix.utils.resource.CapabilitySet;
import org.apache.felix.utils.resource.SimpleFilter;
import org.osgi.framework.Version;
import org.osgi.framework.namespace.HostNamespace;
import org.osgi.resource.Capability;
import org.osgi.resource.Requirement;
import org.osgi.resource.Resource;
import org.osgi.resource.Wiring;
import org.osgi.service.resolver.HostedCapability;
import org.osgi.service.resolver.ResolveContext;

/**
 * A dry-run resolve: the installed modules as they are ({@link WiringSnapshot}), plus candidates
 * that are not installed, minus what the check takes away (the old revision of an updated module),
 * with the modules an update would refresh treated as unresolved.
 *
 * <p>Providers are offered in the order the OSGi core specification (3.9.4) prefers them, which is
 * also Felix's: the system bundle, then resolved modules, then higher versions, then lower bundle
 * ids. Candidates come after every installed module of the same version, as they would get the next
 * bundle id.
 */
public final class CheckContext extends ResolveContext {

    private final WiringSnapshot snapshot;
    private final Collection<Resource> mandatory;
    private final Collection<Resource> optional;
    private final List<Resource> candidates;
    private final Set<Resource> hidden;
    private final Set<Resource> unwired;
    private Map<Resource, Wiring> wirings;
    private final Comparator<Capability> order;

    /**
     * @param snapshot   the installed modules
     * @param mandatory  resources that must resolve
     * @param optional   resources that should resolve if they can
     * @param candidates resources that are not installed (jars being checked)
     * @param hidden     installed resources that are not there for this check
     * @param unwired    installed resources that are there, but unresolved
     */
    public CheckContext(WiringSnapshot snapshot, Collection<Resource> mandatory, Collection<Resource> optional,
            List<Resource> candidates, Set<Resource> hidden, Set<Resource> unwired) {
        this.snapshot = snapshot;
        this.mandatory = mandatory;
        this.optional = optional;
        this.candidates = candidates;
        this.hidden = hidden;
        this.unwired = unwired;
        this.order = Comparator.<Capability>comparingInt(c -> snapshot.bundleId(c.getResource()) == 0 ? 0 : 1)
                .thenComparingInt(c -> isWired(c.getResource()) ? 0 : 1)
                .thenComparing(c -> version(c), Comparator.reverseOrder())
                .thenComparingLong(c -> snapshot.bundleId(c.getResource()) < 0 ? Long.MAX_VALUE : snapshot.bundleId(c.getResource()));
    }

    private static Version version(Capability c) {
        Version v = Requirements.version(c);
        return v == null ? Version.emptyVersion : v;
    }

    @Override
    public Collection<Resource> getMandatoryResources() {
        return mandatory;
    }

    @Override
    public Collection<Resource> getOptionalResources() {
        return optional;
    }

    /** @return whether the resource counts as resolved in this check */
    public boolean isWired(Resource r) {
        return getWirings().containsKey(r);
    }

    /** @return whether the resource takes part in this check */
    public boolean isPresent(Resource r) {
        return !hidden.contains(r);
    }

    /** @return the installed resources and the candidates, each named the way the resolver prints it */
    public Map<String, Resource> byPrintedName() {
        Map<String, Resource> names = new HashMap<>();
        for (Resource r : snapshot.resources()) {
            names.put(WiringChecker.printed(r), r);
        }
        for (Resource r : candidates) {
            names.put(WiringChecker.printed(r), r);
        }
        return names;
    }

    @Override
    public List<Capability> findProviders(Requirement requirement) {
        String f = Requirements.filter(requirement);
        SimpleFilter sf = f == null ? SimpleFilter.MATCH_ALL_FILTER : SimpleFilter.parse(f);
        List<Capability> result = new ArrayList<>();
        for (Capability c : snapshot.match(requirement.getNamespace(), sf)) {
            if (!hidden.contains(c.getResource())) {
                result.add(c);
            }
        }
        for (Resource r : candidates) {
            if (hidden.contains(r)) {
                continue;
            }
            for (Capability c : r.getCapabilities(requirement.getNamespace())) {
                if (CapabilitySet.matches(c, requirement)) {
                    result.add(c);
                }
            }
        }
        result.sort(order);
        return result;
    }

    /**
     * Capabilities of the namespace that carry the name a requirement asks for, whatever their
     * version and other attributes: the candidates for near misses.
     */
    public List<Capability> namesakes(Requirement requirement, String name) {
        List<Capability> result = new ArrayList<>();
        for (Capability c : snapshot.named(requirement.getNamespace(), name)) {
            if (!hidden.contains(c.getResource())) {
                result.add(c);
            }
        }
        for (Resource r : candidates) {
            for (Capability c : r.getCapabilities(requirement.getNamespace())) {
                if (!hidden.contains(r) && name.equals(Requirements.name(c))) {
                    result.add(c);
                }
            }
        }
        result.sort(order);
        return result;
    }

    @Override
    public int insertHostedCapability(List<Capability> capabilities, HostedCapability hostedCapability) {
        int i = 0;
        while (i < capabilities.size() && order.compare(capabilities.get(i), hostedCapability) <= 0) {
            i++;
        }
        capabilities.add(i, hostedCapability);
        return i;
    }

    @Override
    public boolean isEffective(Requirement requirement) {
        return Requirements.effective(requirement);
    }

    @Override
    public synchronized Map<Resource, Wiring> getWirings() {
        if (wirings == null) {
            Map<Resource, Wiring> w = new HashMap<>(snapshot.wirings());
            w.keySet().removeAll(hidden);
            w.keySet().removeAll(unwired);
            wirings = Collections.unmodifiableMap(w);
        }
        return wirings;
    }

    /** Unresolved fragments attach to a host when it resolves, as Felix attaches them. */
    @Override
    public Collection<Resource> findRelatedResources(Resource host) {
        List<Capability> hostCaps = host.getCapabilities(HostNamespace.HOST_NAMESPACE);
        if (hostCaps.isEmpty()) {
            return List.of();
        }
        List<Resource> fragments = new ArrayList<>();
        for (Resource fragment : snapshot.unresolvedFragments()) {
            if (hidden.contains(fragment) || isWired(fragment)) {
                continue;
            }
            for (Requirement req : fragment.getRequirements(HostNamespace.HOST_NAMESPACE)) {
                if (hostCaps.stream().anyMatch(c -> CapabilitySet.matches(c, req))) {
                    fragments.add(fragment);
                }
            }
        }
        return fragments;
    }
}
