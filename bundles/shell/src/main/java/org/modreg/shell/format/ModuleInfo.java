package org.modreg.shell.format;

import java.util.Optional;

import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleMark;

/**
 * The result of {@code module:info}: the module, and its lifecycle mark if it has one.
 *
 * @param module the module
 * @param mark   its mark
 */
public record ModuleInfo(Module module, Optional<ModuleMark> mark) {
}
