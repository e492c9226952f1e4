package org.modreg.shell.format;

import java.util.List;

import org.modreg.api.dto.ModuleStats;

/**
 * The result of {@code module:stats}, {@code module:top} and {@code module:recent}: a table.
 *
 * @param stats the modules' statistics, in order
 */
public record StatsTable(List<ModuleStats> stats) {
}
