package org.modreg.core.wiring;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.apache.felix.utils.resource.CapabilitySet;
import org.apache.felix.utils.resource.SimpleFilter;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;
import org.osgi.framework.namespace.BundleNamespace;
import org.osgi.framework.namespace.HostNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
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
 *
 * <p>A context made for a resolve is one resolve operation as the framework runs one: the
 * framework's resolver hooks begin when it is made and end when it is {@link #close() closed}
 * ({@link CheckHooks}); they filter what may resolve, which singletons collide and each look-up of
 * providers. Felix's singleton selection is applied ({@link Singletons}). What a hook removed is
 * remembered, so that a report can say why a capability that matches was not offered
 * ({@link #filteredOut}). A context made only to read ({@link #CheckContext(WiringSnapshot,
 * Collection, Collection, List, Set, Set) without hooks}) does neither.
 */
final class CheckContext extends ResolveContext implements AutoCloseable {

    private final WiringSnapshot snapshot;
    private final Collection<Resource> mandatory;
    private final Collection<Resource> optional;
    private final List<Resource> candidates;
    /** The installed resources that are not there, and the singletons left out. */
    private final Set<Resource> hidden;
    private final Set<Resource> unwired;
    private Map<Resource, Wiring> wirings;
    private final Comparator<Capability> order;

    /** The hooks of this resolve; {@link CheckHooks#none()} for a context that only reads. */
    private final CheckHooks hooks;
    /** Candidates that update an installed bundle in place: their revisions' bundle. */
    private final Map<Resource, Bundle> updates;
    /** The bundle revisions hooks see for candidates, made once each. */
    private final Map<Resource, CandidateRevision> views = new IdentityHashMap<>();
    /** Unresolved resources a hook keeps from resolving, with the hook's name. */
    private final Map<Resource, String> barred = new IdentityHashMap<>();
    /** The first of them, in bundle id order. */
    private Resource firstBarred;
    /**
     * When a hook kept any from resolving: those that may; Felix then offers the capabilities of
     * these only, none of a resolved module's. Null otherwise.
     */
    private final Set<Resource> resolvable;
    /** Why resources cannot take part: a singleton left out, a hook keeps it from resolving. */
    private final Map<Resource, String> problems = new IdentityHashMap<>();
    /** For each requirement looked up, the matching capabilities not offered and why. */
    private final Map<Requirement, Map<Capability, String>> filtered = new IdentityHashMap<>();

    /**
     * A context to read providers with, outside a resolve: no hooks, no singleton selection.
     *
     * @param snapshot   the installed modules
     * @param mandatory  resources that must resolve
     * @param optional   resources that should resolve if they can
     * @param candidates resources that are not installed (jars being checked)
     * @param hidden     installed resources that are not there for this check
     * @param unwired    installed resources that are there, but unresolved
     */
    CheckContext(WiringSnapshot snapshot, Collection<Resource> mandatory, Collection<Resource> optional,
            List<Resource> candidates, Set<Resource> hidden, Set<Resource> unwired) {
        this(snapshot, mandatory, optional, candidates, hidden, unwired, Map.of(), null);
    }

    /**
     * A resolve operation: the framework's hooks begun for it, its singletons selected.
     *
     * @param updates candidates that would be new revisions of installed bundles, with the bundle
     * @param hooks   begins the hooks, given the triggers (the revisions of the mandatory and
     *                optional resources); null for a context that only reads
     * @see #CheckContext(WiringSnapshot, Collection, Collection, List, Set, Set)
     */
    CheckContext(WiringSnapshot snapshot, Collection<Resource> mandatory, Collection<Resource> optional,
            List<Resource> candidates, Set<Resource> hidden, Set<Resource> unwired, Map<Resource, Bundle> updates,
            Function<Collection<BundleRevision>, CheckHooks> hooks) {
        this.snapshot = snapshot;
        this.mandatory = mandatory;
        this.optional = optional;
        this.candidates = candidates;
        this.hidden = Collections.newSetFromMap(new IdentityHashMap<>());
        this.hidden.addAll(hidden);
        this.unwired = unwired;
        this.updates = updates;
        this.order = Comparator.<Capability>comparingInt(c -> snapshot.bundleId(c.getResource()) == 0 ? 0 : 1)
                .thenComparingInt(c -> isWired(c.getResource()) ? 0 : 1)
                .thenComparing(c -> version(c), Comparator.reverseOrder())
                .thenComparingLong(c -> snapshot.bundleId(c.getResource()) < 0 ? Long.MAX_VALUE : snapshot.bundleId(c.getResource()));
        if (hooks == null) {
            this.hooks = CheckHooks.none();
            this.resolvable = null;
            return;
        }
        List<BundleRevision> triggers = new ArrayList<>();
        for (Resource r : new LinkedHashSet<>(concat(mandatory, optional))) {
            triggers.add(revision(r));
        }
        this.hooks = hooks.apply(triggers);
        List<Resource> present = present();
        this.resolvable = filterResolvable(present);
        selectSingletons(present);
    }

    private static List<Resource> concat(Collection<Resource> a, Collection<Resource> b) {
        List<Resource> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Every resource of this resolve: the installed ones in bundle id order, then the candidates. */
    private List<Resource> present() {
        List<Resource> all = new ArrayList<>();
        for (Resource r : snapshot.resources()) {
            if (!hidden.contains(r)) {
                all.add(r);
            }
        }
        all.sort(Comparator.comparingLong(snapshot::bundleId));
        for (Resource r : candidates) {
            if (!hidden.contains(r)) {
                all.add(r);
            }
        }
        return all;
    }

    /** The hooks' filterResolvable over the unresolved resources; @return those that may resolve, if they kept any from it */
    private Set<Resource> filterResolvable(List<Resource> present) {
        if (!hooks.active()) {
            return null;
        }
        List<Resource> unresolved = present.stream().filter(r -> !isWired(r)).toList();
        Map<BundleRevision, Resource> byRevision = new IdentityHashMap<>();
        for (Resource r : unresolved) {
            byRevision.put(revision(r), r);
        }
        Map<BundleRevision, String> removed = hooks.filterResolvable(byRevision.keySet());
        if (removed.isEmpty()) {
            return null;
        }
        removed.forEach((rev, hook) -> barred.put(byRevision.get(rev), hook));
        firstBarred = unresolved.stream().filter(barred::containsKey).findFirst().orElseThrow();
        Set<Resource> may = Collections.newSetFromMap(new IdentityHashMap<>());
        may.addAll(unresolved);
        may.removeAll(barred.keySet());
        for (Resource r : concat(mandatory, optional)) {
            if (barred.containsKey(r)) {
                problems.put(r, barred.get(r) + " keeps it from resolving (filterResolvable)");
            }
        }
        return may;
    }

    private void selectSingletons(List<Resource> present) {
        Singletons.Collisions collisions = !hooks.active() ? null : (singleton, others) -> {
            List<BundleCapability> own = revision(singleton).getDeclaredCapabilities(BundleNamespace.BUNDLE_NAMESPACE);
            if (own.isEmpty()) {
                return;
            }
            Map<BundleCapability, Resource> byCapability = new IdentityHashMap<>();
            for (Resource o : others) {
                List<BundleCapability> theirs = revision(o).getDeclaredCapabilities(BundleNamespace.BUNDLE_NAMESPACE);
                if (!theirs.isEmpty()) {
                    byCapability.put(theirs.get(0), o);
                }
            }
            Shrinkable<BundleCapability> shrinkable = new Shrinkable<>(byCapability.keySet());
            hooks.filterSingletonCollisions(own.get(0), shrinkable);
            others.retainAll(shrinkable.left().stream().map(byCapability::get).toList());
        };
        Singletons.Selection s = Singletons.select(present, this::isWired, r -> resolvable == null || resolvable.contains(r),
                snapshot::bundleId, collisions);
        hidden.addAll(s.out());
        s.problems().forEach(problems::putIfAbsent);
    }

    private static Version version(Capability c) {
        Version v = Requirements.version(c);
        return v == null ? Version.emptyVersion : v;
    }

    /** @return the resources that must resolve, but those a hook keeps from resolving, as Felix leaves them out */
    @Override
    public Collection<Resource> getMandatoryResources() {
        return barred.isEmpty() ? mandatory : mandatory.stream().filter(r -> !barred.containsKey(r)).toList();
    }

    /** @return the resources that should resolve, but those a hook keeps from it and singletons left out */
    @Override
    public Collection<Resource> getOptionalResources() {
        return optional.stream().filter(this::isPresent).toList();
    }

    /** @return whether the resource counts as resolved in this check */
    boolean isWired(Resource r) {
        return getWirings().containsKey(r);
    }

    /** @return whether the resource takes part in this check: it is there, and may resolve */
    boolean isPresent(Resource r) {
        return !hidden.contains(r) && !barred.containsKey(r);
    }

    /** @return why a resource cannot take part in this check (a singleton left out, a hook's doing); empty if it can */
    List<String> problems(Resource r) {
        String p = problems.get(r);
        return p == null ? List.of() : List.of(p);
    }

    /**
     * @return why the framework would refuse this whole resolve before resolving anything: a hook
     *         failed, a hook keeps every module of it from resolving, or a module that must resolve
     *         is a singleton left out; null if it would not
     */
    String refusal() {
        if (hooks.failure() != null) {
            return hooks.failure();
        }
        if (!barred.isEmpty() && concat(mandatory, optional).stream().allMatch(barred::containsKey)) {
            return "Resolver hook prevented resolution.";
        }
        for (Resource r : mandatory) {
            if (hidden.contains(r) && problems.containsKey(r)) {
                return "Singleton conflict: " + problems.get(r);
            }
        }
        return null;
    }

    /** @return what the hooks did that the framework ignores */
    List<String> warnings() {
        return hooks.warnings();
    }

    /**
     * @return why a capability that matches a requirement was not offered for it at its last
     *         look-up: "the resolver hook of ... hides it from m 1.0.0"; null if it was, or does not match
     */
    synchronized String filteredOut(Requirement requirement, Capability capability) {
        Map<Capability, String> why = filtered.get(requirement);
        return why == null ? null : why.get(capability);
    }

    /** Ends the hooks of this resolve. */
    @Override
    public void close() {
        hooks.close();
    }

    /** @return the bundle revision hooks see for a resource: an installed one's own, a candidate's view */
    private synchronized BundleRevision revision(Resource r) {
        if (r instanceof BundleRevision br) {
            return br;
        }
        return views.computeIfAbsent(r, x -> new CandidateRevision(x, updates.get(x)));
    }

    private BundleCapability hookView(Capability c) {
        return c instanceof BundleCapability bc ? bc : ((CandidateRevision) revision(c.getResource())).view(c);
    }

    private BundleRequirement hookView(Requirement r) {
        return r instanceof BundleRequirement br ? br : ((CandidateRevision) revision(r.getResource())).view(r);
    }

    /** @return the installed resources and the candidates, each named the way the resolver prints it */
    Map<String, Resource> byPrintedName() {
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
        if (hooks.active()) {
            filter(requirement, result);
        }
        result.sort(order);
        return result;
    }

    /**
     * What the framework does to the matches of a requirement when hooks are registered: when they
     * kept any module from resolving, it offers only capabilities of modules that may resolve
     * (Felix 7 {@code StatefulResolver.findProvidersInternal}: its list of those is of unresolved
     * modules, so not even a resolved module's capabilities are offered); then each hook's
     * filterMatches.
     */
    private void filter(Requirement requirement, List<Capability> result) {
        Map<Capability, String> why = new IdentityHashMap<>();
        if (resolvable != null) {
            for (Iterator<Capability> it = result.iterator(); it.hasNext();) {
                Capability c = it.next();
                Resource p = c.getResource();
                if (!resolvable.contains(p)) {
                    it.remove();
                    why.put(c, barred.containsKey(p) ? barred.get(p) + " keeps " + WiringChecker.label(p) + " from resolving"
                            : "while a resolver hook keeps modules from resolving (" + barredExample()
                                    + "), Felix offers no capability of a module outside those that may resolve, resolved ones included");
                }
            }
        }
        if (!result.isEmpty()) {
            Map<BundleCapability, Capability> byView = new IdentityHashMap<>();
            List<BundleCapability> matches = new ArrayList<>();
            for (Capability c : result) {
                BundleCapability v = hookView(c);
                byView.put(v, c);
                matches.add(v);
            }
            Map<BundleCapability, String> removed = hooks.filterMatches(hookView(requirement), matches);
            Set<Capability> gone = Collections.newSetFromMap(new IdentityHashMap<>());
            removed.forEach((v, hook) -> {
                Capability c = byView.get(v);
                gone.add(c);
                why.put(c, hook + " hides it from " + WiringChecker.label(requirement.getResource()) + " (filterMatches)");
            });
            result.removeIf(gone::contains);
        }
        synchronized (this) {
            if (why.isEmpty()) {
                filtered.remove(requirement);
            } else {
                filtered.put(requirement, why);
            }
        }
    }

    /** @return the first module a hook keeps from resolving, with the hook: for the words of a report */
    private String barredExample() {
        return barred.get(firstBarred) + " keeps " + WiringChecker.label(firstBarred)
                + (barred.size() > 1 ? " and " + (barred.size() - 1) + " more" : "") + " from resolving";
    }

    /**
     * Capabilities of the namespace that carry the name a requirement asks for, whatever their
     * version and other attributes: the candidates for near misses.
     */
    List<Capability> namesakes(Requirement requirement, String name) {
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
