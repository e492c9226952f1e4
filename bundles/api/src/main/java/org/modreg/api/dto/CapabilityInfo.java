package org.modreg.api.dto;

import java.util.Map;

/**
 * A capability a module declares, in any namespace ({@code osgi.wiring.package},
 * {@code osgi.service}, {@code osgi.identity}, a custom one such as {@code modreg.capability}).
 *
 * @param namespace  the namespace
 * @param attributes its attributes (values are String, Version, Long, Double or Lists of them)
 * @param directives its directives
 */
public record CapabilityInfo(String namespace, Map<String, Object> attributes, Map<String, String> directives) {
    public CapabilityInfo {
        attributes = Map.copyOf(attributes);
        directives = Map.copyOf(directives);
    }

    /** @return the value of the attribute named like the namespace (the capability's name), or {@code null} */
    public Object name() {
        return attributes.get(namespace);
    }
}
