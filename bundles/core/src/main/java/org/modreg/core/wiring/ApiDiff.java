package org.modreg.core.wiring;

import org.modreg.core.content.ContentStore;
import org.modreg.core.content.JarValidator;
import org.modreg.core.content.ValidatedJar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.modreg.api.dto.ModuleDiff;
import org.modreg.api.dto.ModuleDiff.Change;
import org.modreg.api.dto.ModuleDiff.PackageBaseline;
import org.osgi.framework.Version;
import org.osgi.resource.Capability;
import org.osgi.resource.Requirement;
import org.osgi.resource.Resource;

import aQute.bnd.differ.Baseline;
import aQute.bnd.differ.DiffPluginImpl;
import aQute.bnd.osgi.Jar;
import aQute.bnd.osgi.Processor;

/**
 * Compares two jars of a module: their capabilities and requirements as the framework reads the
 * manifests (felix utils' parser, as the wiring check), and the API of their exported packages
 * by bnd's baselining, which reads the class files and says which version bump each change needs.
 */
public final class ApiDiff {

    /** Namespaces that change with every version and say nothing about the contract. */
    private static final List<String> IDENTITY = List.of("osgi.identity", "osgi.wiring.bundle", "osgi.wiring.host",
            "osgi.content");
    /** Attributes every capability carries the bundle's version in: they change with every version. */
    private static final List<String> BUNDLE_ATTRIBUTES = List.of("bundle-symbolic-name", "bundle-version");

    private ApiDiff() {
    }

    public static ModuleDiff diff(String moduleId, Version from, Path older, Version to, Path newer) {
        Resource a = resource(older);
        Resource b = resource(newer);
        List<Change> changes = new ArrayList<>();
        compare("capability", capabilities(a), capabilities(b), changes);
        compare("requirement", requirements(a), requirements(b), changes);
        return new ModuleDiff(moduleId, from, to, changes, baseline(older, newer));
    }

    private static Resource resource(Path jar) {
        try {
            ValidatedJar v = JarValidator.validate(jar.toString(), jar, ContentStore.digest(jar), Files.size(jar));
            return WiringChecker.resource(jar.toString(), jar.toUri().toString(), v.headers());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + jar, e);
        }
    }

    /** namespace + name -> attributes, sorted */
    private static Map<String, String> capabilities(Resource r) {
        Map<String, String> out = new TreeMap<>();
        for (Capability c : r.getCapabilities(null)) {
            if (IDENTITY.contains(c.getNamespace())) {
                continue;
            }
            Map<String, Object> attrs = new TreeMap<>(c.getAttributes());
            attrs.keySet().removeAll(BUNDLE_ATTRIBUTES);
            Object name = attrs.remove(c.getNamespace());
            if (name == null && c.getNamespace().equals("osgi.service")) {
                name = attrs.remove("objectClass");
            }
            out.put(c.getNamespace() + " " + (name == null ? attrs : name), attrs.toString());
        }
        return out;
    }

    private static Map<String, String> requirements(Resource r) {
        Map<String, String> out = new TreeMap<>();
        for (Requirement q : r.getRequirements(null)) {
            String filter = q.getDirectives().getOrDefault("filter", "");
            // the name a requirement is about, for pairing two versions of it: the namespace's attribute in the filter
            String name = Requirements.wanted(q).name();
            if (name.isEmpty()) {
                name = filter;
            }
            String value = filter + (q.getDirectives().containsKey("resolution") ? " resolution:=" + q.getDirectives().get("resolution")
                    : "");
            out.merge(q.getNamespace() + " " + name, value, (x, y) -> x + " | " + y);
        }
        return out;
    }

    private static void compare(String type, Map<String, String> before, Map<String, String> after, List<Change> out) {
        TreeMap<String, String[]> all = new TreeMap<>();
        before.forEach((k, v) -> all.computeIfAbsent(k, x -> new String[2])[0] = v);
        after.forEach((k, v) -> all.computeIfAbsent(k, x -> new String[2])[1] = v);
        all.forEach((key, v) -> {
            int sp = key.indexOf(' ');
            String ns = key.substring(0, sp);
            String name = key.substring(sp + 1);
            if (v[0] == null) {
                out.add(new Change("added", type, ns, name, null, v[1]));
            } else if (v[1] == null) {
                out.add(new Change("removed", type, ns, name, v[0], null));
            } else if (!v[0].equals(v[1])) {
                out.add(new Change("changed", type, ns, name, v[0], v[1]));
            }
        });
    }

    /** bnd's baselining of the newer jar against the older one, package by package. */
    public static List<PackageBaseline> baseline(Path older, Path newer) {
        List<PackageBaseline> out = new ArrayList<>();
        try (Processor reporter = new Processor(); Jar oldJar = new Jar(older.toFile()); Jar newJar = new Jar(newer.toFile())) {
            Baseline baseline = new Baseline(reporter, new DiffPluginImpl());
            for (Baseline.Info info : baseline.baseline(newJar, oldJar, null)) {
                String delta = info.packageDiff.getDelta().name();
                out.add(new PackageBaseline(info.packageName, delta, version(info.olderVersion), version(info.newerVersion),
                        version(info.suggestedVersion), info.mismatch));
            }
        } catch (Exception e) {
            throw new IllegalStateException("bnd could not baseline " + newer + " against " + older + ": " + e, e);
        }
        out.sort(java.util.Comparator.comparing(PackageBaseline::packageName));
        return out;
    }

    private static Version version(aQute.bnd.version.Version v) {
        return v == null ? null : new Version(v.getMajor(), v.getMinor(), v.getMicro(), v.getQualifier());
    }
}
