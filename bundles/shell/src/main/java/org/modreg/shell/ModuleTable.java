package org.modreg.shell;

import java.util.List;

import org.modreg.api.dto.Module;

/**
 * The result of a command that lists modules; {@link ModuleFormatter} prints it as a table.
 *
 * @param modules the modules, in order
 */
public record ModuleTable(List<Module> modules) {
}
