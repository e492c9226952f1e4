package org.modreg.api.dto;

import java.util.Map;

/**
 * A requirement a module declares ({@code Import-Package}, {@code Require-Bundle},
 * {@code Require-Capability}, ...), as an OSGi requirement.
 *
 * @param namespace  the namespace
 * @param filter     the LDAP filter of the {@code filter} directive, or {@code null}
 * @param optional   whether {@code resolution:=optional}
 * @param directives every directive
 */
public record RequirementInfo(String namespace, String filter, boolean optional, Map<String, String> directives) {
    public RequirementInfo {
        directives = Map.copyOf(directives);
    }
}
