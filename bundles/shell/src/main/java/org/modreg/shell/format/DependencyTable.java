package org.modreg.shell.format;

import java.util.List;

import org.modreg.api.dto.Dependency;

/**
 * The result of {@code module:deps} and {@code module:dependents}.
 *
 * @param module       "id version" of the module asked about
 * @param dependencies the modules reached
 * @param forward      true for dependencies, false for dependents
 */
public record DependencyTable(String module, List<Dependency> dependencies, boolean forward) {
}
