package org.modreg.api.dto;

import java.util.List;
import java.util.Map;

import org.modreg.api.ModuleState;

/**
 * The health of the container's modules.
 *
 * @param byState how many modules are in each state
 * @param modules how many modules there are
 * @param errors  errors in all the modules' error histories
 * @param failed  the modules in state FAILED, with their error history
 */
public record Health(Map<ModuleState, Integer> byState, int modules, int errors, List<Module> failed) {

    public Health {
        byState = Map.copyOf(byState);
        failed = List.copyOf(failed);
    }

    /** @return the share of modules that are not FAILED, from 0 to 100 */
    public double healthyPercent() {
        return modules == 0 ? 100.0 : 100.0 * (modules - failed.size()) / modules;
    }
}
