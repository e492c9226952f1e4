package org.modreg.shell.format;

import java.util.List;

import org.modreg.api.dto.CapabilityInfo;
import org.modreg.api.dto.RequirementInfo;

/**
 * The result of {@code module:capabilities} or {@code module:requirements} for one module.
 *
 * @param module       the module's {@code id/version}
 * @param capabilities its capabilities in the asked namespaces (empty for requirements)
 * @param requirements its requirements in the asked namespaces (empty for capabilities)
 */
public record CapabilityTable(String module, List<CapabilityInfo> capabilities, List<RequirementInfo> requirements) {
}
