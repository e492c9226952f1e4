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
 * @param performance how fast the container and its modules are
 */
public record Health(Map<ModuleState, Integer> byState, int modules, int errors, List<Module> failed,
        Performance performance) {

    /**
     * Performance figures of the container.
     *
     * @param averageStartMillis average duration of the modules' successful starts (their activators), ms; -1 if none
     * @param queries            registry queries answered since the container started ({@code find} and {@code services})
     * @param averageQueryMillis their average duration, ms; -1 if none
     * @param indexedModules     modules in the capability index
     * @param indexKeys          keys of the index: capability names, words, attribute values
     * @param indexPostings      module ids filed under those keys
     */
    public record Performance(double averageStartMillis, long queries, double averageQueryMillis, long indexedModules,
            long indexKeys, long indexPostings) {
    }

    public Health {
        byState = Map.copyOf(byState);
        failed = List.copyOf(failed);
    }

    /** @return the share of modules that are not FAILED, from 0 to 100 */
    public double healthyPercent() {
        return modules == 0 ? 100.0 : 100.0 * (modules - failed.size()) / modules;
    }
}
