package org.modreg.api.dto;

import java.util.List;

/**
 * A module found by a query, with why.
 *
 * @param module  the module
 * @param score   relevance: higher is better; 0 when the query has no keywords
 * @param matched the capabilities that matched the query's capability names and filters
 */
public record ModuleMatch(Module module, double score, List<CapabilityInfo> matched) {
    public ModuleMatch {
        matched = List.copyOf(matched);
    }
}
