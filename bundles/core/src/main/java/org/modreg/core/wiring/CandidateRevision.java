package org.modreg.core.wiring;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.apache.felix.utils.resource.CapabilitySet;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;
import org.osgi.framework.namespace.HostNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.resource.Capability;
import org.osgi.resource.Requirement;
import org.osgi.resource.Resource;

/**
 * The bundle revision a jar being checked would be, for resolver hooks, which see only bundle
 * revisions, capabilities and requirements. Its capabilities and requirements are views of the
 * resource's, each made once, so that a hook sees the same object each time; each view leads back
 * to what it shows ({@link #original(Capability)}).
 *
 * <p>Its bundle is the installed bundle it would be the new revision of, for an update in place;
 * otherwise a {@link CandidateBundle} that stands for the bundle it would become.
 */
final class CandidateRevision implements BundleRevision {

    private final Resource resource;
    private final Bundle bundle;
    private final Map<Capability, CapabilityView> capabilities = new IdentityHashMap<>();
    private final Map<Requirement, RequirementView> requirements = new IdentityHashMap<>();

    /**
     * @param resource the jar, as the resolver sees it
     * @param updated  the installed bundle it would update in place, or null for a new module
     */
    CandidateRevision(Resource resource, Bundle updated) {
        this.resource = resource;
        this.bundle = updated != null ? updated : new CandidateBundle(this);
    }

    /** @return the resource it shows */
    Resource resource() {
        return resource;
    }

    /** @return the capability a view shows; any other capability as it is */
    static Capability original(Capability c) {
        return c instanceof CapabilityView v ? v.original : c;
    }

    /** @return one of its capabilities as a bundle capability, the same object each time */
    synchronized BundleCapability view(Capability c) {
        return capabilities.computeIfAbsent(c, x -> new CapabilityView(this, x));
    }

    /** @return one of its requirements as a bundle requirement, the same object each time */
    synchronized BundleRequirement view(Requirement r) {
        return requirements.computeIfAbsent(r, x -> new RequirementView(this, x));
    }

    @Override
    public Bundle getBundle() {
        return bundle;
    }

    @Override
    public String getSymbolicName() {
        return WiringChecker.id(resource);
    }

    @Override
    public Version getVersion() {
        return WiringChecker.version(resource);
    }

    @Override
    public List<BundleCapability> getDeclaredCapabilities(String namespace) {
        List<BundleCapability> result = new ArrayList<>();
        for (Capability c : resource.getCapabilities(namespace)) {
            result.add(view(c));
        }
        return result;
    }

    @Override
    public List<BundleRequirement> getDeclaredRequirements(String namespace) {
        List<BundleRequirement> result = new ArrayList<>();
        for (Requirement r : resource.getRequirements(namespace)) {
            result.add(view(r));
        }
        return result;
    }

    @Override
    public int getTypes() {
        return resource.getRequirements(HostNamespace.HOST_NAMESPACE).isEmpty() ? 0 : TYPE_FRAGMENT;
    }

    /** @return null: it is not installed, so not resolved */
    @Override
    public BundleWiring getWiring() {
        return null;
    }

    @Override
    public List<Capability> getCapabilities(String namespace) {
        return new ArrayList<>(getDeclaredCapabilities(namespace));
    }

    @Override
    public List<Requirement> getRequirements(String namespace) {
        return new ArrayList<>(getDeclaredRequirements(namespace));
    }

    @Override
    public String toString() {
        return getSymbolicName() + " " + getVersion() + " (being checked, not installed)";
    }

    /** A capability of the jar, as a bundle capability. */
    private static final class CapabilityView implements BundleCapability {
        private final CandidateRevision revision;
        private final Capability original;

        CapabilityView(CandidateRevision revision, Capability original) {
            this.revision = revision;
            this.original = original;
        }

        @Override
        public BundleRevision getRevision() {
            return revision;
        }

        @Override
        public BundleRevision getResource() {
            return revision;
        }

        @Override
        public String getNamespace() {
            return original.getNamespace();
        }

        @Override
        public Map<String, String> getDirectives() {
            return original.getDirectives();
        }

        @Override
        public Map<String, Object> getAttributes() {
            return original.getAttributes();
        }

        @Override
        public String toString() {
            return original.toString();
        }
    }

    /** A requirement of the jar, as a bundle requirement. */
    private static final class RequirementView implements BundleRequirement {
        private final CandidateRevision revision;
        private final Requirement original;

        RequirementView(CandidateRevision revision, Requirement original) {
            this.revision = revision;
            this.original = original;
        }

        @Override
        public BundleRevision getRevision() {
            return revision;
        }

        @Override
        public BundleRevision getResource() {
            return revision;
        }

        @Override
        public boolean matches(BundleCapability capability) {
            return getNamespace().equals(capability.getNamespace()) && CapabilitySet.matches(capability, original);
        }

        @Override
        public String getNamespace() {
            return original.getNamespace();
        }

        @Override
        public Map<String, String> getDirectives() {
            return original.getDirectives();
        }

        @Override
        public Map<String, Object> getAttributes() {
            return original.getAttributes();
        }

        @Override
        public String toString() {
            return original.toString();
        }
    }
}
