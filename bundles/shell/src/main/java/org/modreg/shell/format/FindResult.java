package org.modreg.shell.format;

import java.util.List;

import org.modreg.api.dto.ModuleMatch;

/**
 * The result of {@code module:find}: ranked matches, printed as a table.
 *
 * @param matches the matches, best first
 */
public record FindResult(List<ModuleMatch> matches, java.util.Map<String, org.modreg.api.dto.ModuleMark> marks) {

    public FindResult(List<ModuleMatch> matches) {
        this(matches, java.util.Map.of());
    }
}
