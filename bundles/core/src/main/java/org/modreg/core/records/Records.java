package org.modreg.core.records;

import java.lang.reflect.Array;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.modreg.api.ModuleState;
import org.modreg.api.dto.CapabilityInfo;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleContent;
import org.modreg.api.dto.ModuleError;
import org.modreg.api.dto.RequirementInfo;
import org.modreg.api.dto.ServiceInfo;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.resource.Capability;
import org.osgi.resource.Namespace;
import org.osgi.resource.Requirement;

/** Builds module records from bundles; the pure parts are static and unit tested. */
public final class Records {

    /** Header naming the module type; free word: plugin, library, service, ... */
    public static final String MODULE_TYPE = "Module-Type";

    private Records() {
    }

    /** The record of a bundle as the framework has it now; state and errors are the caller's. */
    public static Module build(Bundle bundle, ModuleState state, List<ModuleError> errors, ModuleContent content) {
        Dictionary<String, String> h = bundle.getHeaders("");
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        List<CapabilityInfo> caps = new ArrayList<>();
        List<RequirementInfo> reqs = new ArrayList<>();
        if (revision != null) {
            for (Capability c : revision.getCapabilities(null)) {
                caps.add(new CapabilityInfo(c.getNamespace(), attributes(c.getAttributes()), c.getDirectives()));
            }
            for (Requirement r : revision.getRequirements(null)) {
                Map<String, String> d = r.getDirectives();
                reqs.add(new RequirementInfo(r.getNamespace(), d.get(Namespace.REQUIREMENT_FILTER_DIRECTIVE),
                        Namespace.RESOLUTION_OPTIONAL.equals(d.get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE)), d));
            }
        }
        List<ServiceInfo> services = new ArrayList<>();
        ServiceReference<?>[] refs = bundle.getState() == Bundle.UNINSTALLED ? null : bundle.getRegisteredServices();
        if (refs != null) {
            for (ServiceReference<?> ref : refs) {
                services.add(service(ref));
            }
        }
        String id = bundle.getSymbolicName() == null ? "bundle-" + bundle.getBundleId() : bundle.getSymbolicName();
        Version version = bundle.getVersion();
        String name = h.get(Constants.BUNDLE_NAME);
        String description = h.get(Constants.BUNDLE_DESCRIPTION);
        List<String> tags = tags(h.get(Constants.BUNDLE_CATEGORY));
        String type = type(bundle.getBundleId(), h.get(MODULE_TYPE), h.get(Constants.FRAGMENT_HOST),
                h.get("Service-Component"), h.get(Constants.BUNDLE_ACTIVATOR), h.get(Constants.EXPORT_PACKAGE));
        return new Module(bundle.getBundleId(), id, version, name, description, h.get(Constants.BUNDLE_VENDOR),
                h.get("Bundle-License"), h.get(Constants.BUNDLE_DOCURL), tags, type,
                keywords(id, name, description, tags, caps), caps, reqs, services, state, bundle.getLocation(),
                content, Instant.ofEpochMilli(bundle.getLastModified()), errors);
    }

    public static ServiceInfo service(ServiceReference<?> ref) {
        Map<String, Object> props = new LinkedHashMap<>();
        for (String key : ref.getPropertyKeys()) {
            props.put(key, plain(ref.getProperty(key)));
        }
        return new ServiceInfo((Long) ref.getProperty(Constants.SERVICE_ID),
                List.of((String[]) ref.getProperty(Constants.OBJECTCLASS)), props);
    }

    /**
     * Capability attributes as the API describes them: the framework gives some as arrays (the
     * system bundle's {@code bundle-symbolic-name}, {@code osgi.wiring.bundle} and
     * {@code osgi.wiring.host}), which would print and index as {@code [Ljava.lang.String;@...}.
     */
    public static Map<String, Object> attributes(Map<String, Object> attributes) {
        for (Object v : attributes.values()) {
            if (v != null && v.getClass().isArray()) {
                Map<String, Object> plain = new LinkedHashMap<>();
                attributes.forEach((k, x) -> plain.put(k, plain(x)));
                return plain;
            }
        }
        return attributes;
    }

    /** Service property values as immutable plain data: arrays and collections become lists. */
    public static Object plain(Object value) {
        if (value == null) {
            return "";
        }
        if (value.getClass().isArray()) {
            List<Object> list = new ArrayList<>();
            for (int i = 0, n = Array.getLength(value); i < n; i++) {
                list.add(plain(Array.get(value, i)));
            }
            return List.copyOf(list);
        }
        if (value instanceof Collection<?> c) {
            return c.stream().map(Records::plain).toList();
        }
        if (value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof Character || value instanceof Version) {
            return value;
        }
        return String.valueOf(value);
    }

    /** The words of {@code Bundle-Category}, trimmed, in order, without blanks or repeats. */
    public static List<String> tags(String category) {
        if (category == null) {
            return List.of();
        }
        return List.copyOf(new java.util.LinkedHashSet<>(
                java.util.Arrays.stream(category.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()));
    }

    /**
     * The module type: the {@code Module-Type} header, else derived from the content.
     */
    public static String type(long bundleId, String moduleType, String fragmentHost, String serviceComponent,
            String activator, String exports) {
        if (moduleType != null && !moduleType.isBlank()) {
            return moduleType.trim().toLowerCase(Locale.ROOT);
        }
        if (bundleId == 0) {
            return "framework";
        }
        if (fragmentHost != null) {
            return "fragment";
        }
        if (serviceComponent != null || activator != null) {
            return "service";
        }
        if (exports != null) {
            return "library";
        }
        return "bundle";
    }

    /**
     * Lower-case words (letters and digits, split at anything else, two characters or more, no stop
     * words) of the id, name, description, tags and the names of non-framework capabilities.
     */
    public static Set<String> keywords(String id, String name, String description, List<String> tags, List<CapabilityInfo> caps) {
        Set<String> words = new TreeSet<>();
        addWords(words, id);
        addWords(words, name);
        addWords(words, description);
        tags.forEach(t -> addWords(words, t));
        for (CapabilityInfo c : caps) {
            // package and identity names are already in the id; other namespaces name what the module can do
            if (!c.namespace().startsWith("osgi.")) {
                Object n = c.name();
                if (n != null) {
                    addWords(words, n.toString());
                }
            }
        }
        return words;
    }

    /** What separates words in names and descriptions: anything but a letter or a digit. */
    public static final java.util.regex.Pattern NON_WORD = java.util.regex.Pattern.compile("[^\\p{L}\\p{N}]+");

    /** Words too common to find anything by. */
    private static final Set<String> STOP_WORDS = Set.of("an", "and", "are", "as", "at", "be", "by", "for", "from", "in",
            "is", "it", "its", "of", "on", "or", "that", "the", "this", "to", "with");

    private static void addWords(Set<String> words, String text) {
        if (text == null) {
            return;
        }
        for (String w : NON_WORD.split(text.toLowerCase(Locale.ROOT))) {
            if (w.length() > 1 && !STOP_WORDS.contains(w)) {
                words.add(w);
            }
        }
    }

    /**
     * The module state from the framework state and what the registry knows.
     *
     * @param frameworkState {@link Bundle#getState()}
     * @param failed         the last operation failed
     * @param stopped        stopped after having been started
     */
    public static ModuleState state(int frameworkState, boolean failed, boolean stopped) {
        return switch (frameworkState) {
            case Bundle.UNINSTALLED -> ModuleState.UNINSTALLED;
            case Bundle.ACTIVE -> ModuleState.ACTIVE;
            case Bundle.STOPPING -> ModuleState.STOPPING;
            case Bundle.STARTING -> failed ? ModuleState.FAILED : ModuleState.STARTING;
            case Bundle.RESOLVED -> failed ? ModuleState.FAILED : stopped ? ModuleState.STOPPED : ModuleState.RESOLVED;
            default -> failed ? ModuleState.FAILED : ModuleState.INSTALLED;
        };
    }
}
