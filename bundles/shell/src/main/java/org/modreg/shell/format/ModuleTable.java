package org.modreg.shell.format;

import java.util.List;

import org.modreg.api.dto.Module;

/**
 * The result of a command that lists modules; {@link ModuleTableFormat} prints it as a table.
 *
 * @param modules the modules, in order
 * @param marks   lifecycle marks by module id, shown beside the state
 */
public record ModuleTable(List<Module> modules, java.util.Map<String, org.modreg.api.dto.ModuleMark> marks) {

    public ModuleTable(List<Module> modules) {
        this(modules, java.util.Map.of());
    }
}
