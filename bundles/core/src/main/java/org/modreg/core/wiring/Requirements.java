package org.modreg.core.wiring;

import java.util.List;
import java.util.Map;

import org.apache.felix.utils.resource.SimpleFilter;
import org.modreg.api.dto.CheckReport;
import org.osgi.framework.Version;
import org.osgi.framework.VersionRange;
import org.osgi.framework.namespace.AbstractWiringNamespace;
import org.osgi.framework.namespace.BundleNamespace;
import org.osgi.framework.namespace.ExecutionEnvironmentNamespace;
import org.osgi.framework.namespace.HostNamespace;
import org.osgi.framework.namespace.IdentityNamespace;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.resource.Capability;
import org.osgi.resource.Namespace;
import org.osgi.resource.Requirement;

/**
 * Requirements and capabilities in plain words. A requirement's filter is read with felix utils'
 * {@link SimpleFilter} for the name it asks for (the namespace attribute, or {@code objectClass}
 * for services) and the version range it allows.
 */
final class Requirements {

    /** {@code osgi.service}, without depending on the namespace's own artifact for a name. */
    static final String SERVICE_NAMESPACE = "osgi.service";
    /** {@code osgi.extender}. */
    static final String EXTENDER_NAMESPACE = "osgi.extender";

    private Requirements() {
    }

    /** What a filter asks for: a name, if it names one, and a version range, if it has one. */
    record Wanted(String name, VersionRange range) {
        /** @return the range in OSGi notation, for programs: "[1.2.0,2.0.0)"; empty for any version */
        String rangeText() {
            return range == null ? "" : range.toString();
        }

        /** @return the range in plain words: "1.2.0 or later, before 2.0.0"; "any version" for none */
        String rangeWords() {
            return CheckReport.versionsInWords(range);
        }

        /** @return whether every version will do: no range, or 0.0.0 and later */
        boolean anyVersion() {
            return range == null || (range.getRight() == null && range.getLeftType() == VersionRange.LEFT_CLOSED
                    && range.getLeft().equals(Version.emptyVersion));
        }
    }

    /** @return the requirement's filter directive, or {@code null} for one that matches anything */
    static String filter(Requirement req) {
        return req.getDirectives().get(Namespace.REQUIREMENT_FILTER_DIRECTIVE);
    }

    /** @return the attribute that names a capability of the namespace */
    static String nameAttribute(String namespace) {
        return SERVICE_NAMESPACE.equals(namespace) ? "objectClass" : namespace;
    }

    /** @return the attribute that holds the version of a capability of the namespace */
    static String versionAttribute(String namespace) {
        return switch (namespace) {
            case BundleNamespace.BUNDLE_NAMESPACE, HostNamespace.HOST_NAMESPACE -> AbstractWiringNamespace.CAPABILITY_BUNDLE_VERSION_ATTRIBUTE;
            case PackageNamespace.PACKAGE_NAMESPACE -> PackageNamespace.CAPABILITY_VERSION_ATTRIBUTE;
            case IdentityNamespace.IDENTITY_NAMESPACE -> IdentityNamespace.CAPABILITY_VERSION_ATTRIBUTE;
            default -> "version";
        };
    }

    /** Reads the name and version range out of a requirement's filter. */
    static Wanted wanted(Requirement req) {
        String filter = filter(req);
        if (filter == null) {
            return new Wanted("", null);
        }
        SimpleFilter sf;
        try {
            sf = SimpleFilter.parse(filter);
        } catch (RuntimeException e) {
            return new Wanted("", null);
        }
        String nameAttr = nameAttribute(req.getNamespace());
        String versionAttr = versionAttribute(req.getNamespace());
        String[] name = { "" };
        Bound[] floor = { null };
        Bound[] ceiling = { null };
        List<SimpleFilter> terms = sf.getOperation() == SimpleFilter.AND ? children(sf) : List.of(sf);
        for (SimpleFilter t : terms) {
            boolean not = t.getOperation() == SimpleFilter.NOT;
            SimpleFilter f = not ? children(t).get(0) : t;
            if (f.getName() == null) {
                continue;
            }
            if (!not && f.getOperation() == SimpleFilter.EQ && f.getName().equalsIgnoreCase(nameAttr) && name[0].isEmpty()) {
                name[0] = String.valueOf(f.getValue());
            } else if (f.getName().equalsIgnoreCase(versionAttr)) {
                Version v;
                try {
                    v = Version.parseVersion(String.valueOf(f.getValue()).trim());
                } catch (IllegalArgumentException e) {
                    continue;
                }
                switch (f.getOperation()) {
                    case SimpleFilter.GTE -> {
                        if (not) {
                            ceiling[0] = new Bound(v, false);
                        } else {
                            floor[0] = new Bound(v, true);
                        }
                    }
                    case SimpleFilter.LTE -> {
                        if (not) {
                            floor[0] = new Bound(v, false);
                        } else {
                            ceiling[0] = new Bound(v, true);
                        }
                    }
                    case SimpleFilter.EQ -> {
                        if (!not) {
                            floor[0] = new Bound(v, true);
                            ceiling[0] = new Bound(v, true);
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        VersionRange range = null;
        if (floor[0] != null || ceiling[0] != null) {
            Bound lo = floor[0] == null ? new Bound(Version.emptyVersion, true) : floor[0];
            Bound hi = ceiling[0];
            range = new VersionRange(lo.inclusive() ? VersionRange.LEFT_CLOSED : VersionRange.LEFT_OPEN, lo.v(),
                    hi == null ? null : hi.v(), hi != null && hi.inclusive() ? VersionRange.RIGHT_CLOSED : VersionRange.RIGHT_OPEN);
        }
        return new Wanted(name[0], range);
    }

    private record Bound(Version v, boolean inclusive) {
    }

    @SuppressWarnings("unchecked")
    private static List<SimpleFilter> children(SimpleFilter f) {
        return (List<SimpleFilter>) f.getValue();
    }

    /**
     * @return the requirement in plain words: "package org.foo 1.0.0 or later, before 2.0.0",
     *         "package org.foo exactly 1.2.0", "package org.foo" for any version
     */
    static String describe(Requirement req) {
        Wanted w = wanted(req);
        String ns = req.getNamespace();
        String kind = kind(ns);
        String what;
        if (!w.name().isEmpty()) {
            what = kind + " " + w.name() + (w.anyVersion() ? "" : " " + w.rangeWords());
        } else {
            String filter = filter(req);
            what = kind + (filter == null ? " (any)" : " matching " + filter);
        }
        return what;
    }

    /** @return the word for a namespace: package, bundle, service, ...; the namespace itself if it has none */
    static String kind(String namespace) {
        return switch (namespace) {
            case PackageNamespace.PACKAGE_NAMESPACE -> "package";
            case BundleNamespace.BUNDLE_NAMESPACE -> "bundle";
            case HostNamespace.HOST_NAMESPACE -> "host bundle";
            case SERVICE_NAMESPACE -> "service";
            case EXTENDER_NAMESPACE -> "extender";
            case ExecutionEnvironmentNamespace.EXECUTION_ENVIRONMENT_NAMESPACE -> "execution environment";
            case IdentityNamespace.IDENTITY_NAMESPACE -> "module";
            default -> "capability " + namespace;
        };
    }

    /** @return the verb of a provider for a namespace: exports, provides, hosts */
    static String verb(String namespace) {
        return switch (namespace) {
            case PackageNamespace.PACKAGE_NAMESPACE -> "exported";
            case SERVICE_NAMESPACE -> "registered";
            default -> "provided";
        };
    }

    /** @return the name a capability carries in its namespace, or "" */
    static String name(Capability cap) {
        Object v = cap.getAttributes().get(nameAttribute(cap.getNamespace()));
        if (v instanceof List<?> l) {
            return l.isEmpty() ? "" : String.valueOf(l.get(0));
        }
        return v == null ? "" : String.valueOf(v);
    }

    /** @return the version a capability carries, or null */
    static Version version(Capability cap) {
        Object v = cap.getAttributes().get(versionAttribute(cap.getNamespace()));
        if (v instanceof Version version) {
            return version;
        }
        if (v != null) {
            try {
                return Version.parseVersion(v.toString().trim());
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    /** @return whether the requirement is optional (resolution:=optional or cardinality) */
    static boolean optional(Requirement req) {
        return Namespace.RESOLUTION_OPTIONAL.equals(req.getDirectives().get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE));
    }

    /** @return whether the requirement is a dynamic import, wired only at class load */
    static boolean dynamic(Requirement req) {
        return PackageNamespace.RESOLUTION_DYNAMIC.equals(req.getDirectives().get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE));
    }

    /** @return whether the requirement takes part in resolution (effective:=resolve, the default) */
    static boolean effective(Requirement req) {
        String e = req.getDirectives().get(Namespace.REQUIREMENT_EFFECTIVE_DIRECTIVE);
        return e == null || Namespace.EFFECTIVE_RESOLVE.equals(e);
    }

    /** @return "package a.b is exported by p 1.0.0 at 1.0.0": what a near miss begins with */
    private static String offered(Requirement req, Capability cap, String provider) {
        Version v = version(cap);
        return kind(req.getNamespace()) + " " + wanted(req).name() + " is " + verb(req.getNamespace()) + " by " + provider
                + (v == null ? "" : " at " + v);
    }

    /**
     * A capability that matches a requirement, but was not offered for it, in plain words.
     *
     * @param provider "id version" of its module
     * @param why      why it was not offered: "the resolver hook of ... hides it from m 1.0.0"
     */
    static String notOffered(Requirement req, Capability cap, String provider, String why) {
        return offered(req, cap, provider) + ", but " + why;
    }

    /**
     * Why a capability of the right name does not satisfy a requirement, in plain words.
     *
     * @param provider "id version" of its module
     */
    static String nearMiss(Requirement req, Capability cap, String provider) {
        Wanted w = wanted(req);
        Version v = version(cap);
        String head = offered(req, cap, provider);
        if (w.range() != null && v != null && !w.range().includes(v)) {
            return head + ", but the version needed is " + w.rangeWords();
        }
        Map<String, String> dirs = cap.getDirectives();
        String mandatory = dirs.get(PackageNamespace.CAPABILITY_MANDATORY_DIRECTIVE);
        if (mandatory != null) {
            return head + ", but it requires the attributes " + mandatory + " and the requirement "
                    + filter(req) + " does not give them all";
        }
        return head + ", but its attributes " + cap.getAttributes() + " do not match " + filter(req);
    }
}
