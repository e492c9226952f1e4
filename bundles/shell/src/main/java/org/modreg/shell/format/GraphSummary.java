package org.modreg.shell.format;

import org.modreg.api.dto.DependencyGraph;

/**
 * The result of {@code module:graph} without {@code --dot} or {@code --json}: a text summary.
 *
 * @param graph the graph
 */
public record GraphSummary(DependencyGraph graph) {
}
