package org.modreg.api.dto;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.modreg.api.ModuleState;
import org.osgi.framework.Version;

/**
 * The record of a module: an OSGi bundle's manifest and live state as the registry sees it.
 *
 * <p>Fields come from standard headers: {@code id} from {@code Bundle-SymbolicName},
 * {@code version} from {@code Bundle-Version}, {@code name}, {@code description},
 * {@code vendor}, {@code license}, {@code docUrl} from {@code Bundle-Name},
 * {@code Bundle-Description}, {@code Bundle-Vendor}, {@code Bundle-License},
 * {@code Bundle-DocURL}; {@code tags} from {@code Bundle-Category}; {@code type} from the
 * {@code Module-Type} header or, without it, from the content (see {@link #type()}).
 *
 * @param bundleId     the framework's bundle id
 * @param id           the module id, {@code Bundle-SymbolicName} without directives
 * @param version      {@code Bundle-Version}, {@code 0.0.0} when absent
 * @param name         {@code Bundle-Name}, or {@code null}
 * @param description  {@code Bundle-Description}, or {@code null}
 * @param vendor       {@code Bundle-Vendor}, or {@code null}
 * @param license      {@code Bundle-License}, or {@code null}
 * @param docUrl       {@code Bundle-DocURL}, or {@code null}
 * @param tags         the comma-separated words of {@code Bundle-Category}
 * @param type         {@code Module-Type}, or derived: {@code framework} for the system bundle,
 *                     {@code fragment} for a fragment, {@code service} when it declares DS
 *                     components or an activator, {@code library} when it only exports
 *                     packages, {@code bundle} otherwise
 * @param keywords     lower-case words of the name, description, tags and capability names
 * @param capabilities every capability the bundle revision declares, in every namespace
 * @param requirements every requirement the bundle revision declares, in every namespace
 * @param services     the live services the module has registered
 * @param state        the module state
 * @param location     the bundle location
 * @param content      digest, sizes and stored copy of the jar
 * @param lastModified when the framework last changed the bundle (install, update, uninstall)
 * @param errors       the error history, oldest first, bounded
 */
public record Module(
        long bundleId,
        String id,
        Version version,
        String name,
        String description,
        String vendor,
        String license,
        String docUrl,
        List<String> tags,
        String type,
        Set<String> keywords,
        List<CapabilityInfo> capabilities,
        List<RequirementInfo> requirements,
        List<ServiceInfo> services,
        ModuleState state,
        String location,
        ModuleContent content,
        Instant lastModified,
        List<ModuleError> errors) {

    public Module {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(state, "state");
        tags = List.copyOf(tags);
        keywords = Set.copyOf(keywords);
        capabilities = List.copyOf(capabilities);
        requirements = List.copyOf(requirements);
        services = List.copyOf(services);
        errors = List.copyOf(errors);
        content = content == null ? ModuleContent.UNKNOWN : content;
    }

    /** @return {@code id/version}, the unambiguous reference of this module */
    public String ref() {
        return id + "/" + version;
    }

    /** @return the newest error, if any */
    public Optional<ModuleError> lastError() {
        return errors.isEmpty() ? Optional.empty() : Optional.of(errors.get(errors.size() - 1));
    }

    /**
     * @param newState the state
     * @param newErrors the error history
     * @return this record with another state and error history
     */
    public Module with(ModuleState newState, List<ModuleError> newErrors) {
        return new Module(bundleId, id, version, name, description, vendor, license, docUrl, tags, type, keywords,
                capabilities, requirements, services, newState, location, content, lastModified, newErrors);
    }

    /**
     * @param newServices the live services
     * @return this record with other services
     */
    public Module withServices(List<ServiceInfo> newServices) {
        return new Module(bundleId, id, version, name, description, vendor, license, docUrl, tags, type, keywords,
                capabilities, requirements, newServices, state, location, content, lastModified, errors);
    }

    /**
     * @param newContent the content
     * @return this record with other content facts
     */
    public Module withContent(ModuleContent newContent) {
        return new Module(bundleId, id, version, name, description, vendor, license, docUrl, tags, type, keywords,
                capabilities, requirements, services, state, location, newContent, lastModified, errors);
    }
}
