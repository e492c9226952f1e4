package org.modreg.api.dto;

import java.util.List;

/**
 * A module reached from another through wires.
 *
 * @param module   the module reached
 * @param distance 1 for a direct dependency or dependent, 2 for one step further, ...
 * @param wires    the wires of the last step: from the module that reached it (a dependency) or
 *                 to it (a dependent)
 */
public record Dependency(Module module, int distance, List<WireInfo> wires) {
    public Dependency {
        wires = List.copyOf(wires);
    }
}
