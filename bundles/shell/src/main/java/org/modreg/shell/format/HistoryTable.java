package org.modreg.shell.format;

import java.util.List;

import org.modreg.api.dto.ModuleVersion;

/**
 * The result of {@code module:history}: a module's versions, oldest first.
 *
 * @param moduleId the module id
 * @param versions its history
 */
public record HistoryTable(String moduleId, List<ModuleVersion> versions) {
}
