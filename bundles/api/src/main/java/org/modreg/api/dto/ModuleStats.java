package org.modreg.api.dto;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The usage statistics of one module (one id, whatever its version and bundle id).
 *
 * @param id                module id
 * @param installed         when it was first seen installed; null if unknown
 * @param lastUpdated       when it was last updated; null if never
 * @param updates           updates
 * @param starts            successful starts
 * @param startFailures     starts that failed (threw, or timed out)
 * @param lastStartMillis   duration of the last successful start, ms; -1 if none
 * @param averageStartMillis average duration of the successful starts, ms; -1 if none
 * @param maxStartMillis    longest successful start, ms; -1 if none
 * @param lastUsed          when one of its services was last looked up (to the second); null if never
 * @param lookups           look-ups that found one of its services
 * @param lookupsByConsumer look-ups by the module id of the bundle that looked up
 * @param lookupsByService  look-ups by service interface
 * @param consumers         module ids of the bundles that use its services now
 * @param size              jar size in bytes; -1 if unknown
 * @param compressedSize    sum of the compressed entries; -1 if unknown
 */
public record ModuleStats(String id, Instant installed, Instant lastUpdated, long updates, long starts, long startFailures,
        double lastStartMillis, double averageStartMillis, double maxStartMillis, Instant lastUsed, long lookups,
        Map<String, Long> lookupsByConsumer, Map<String, Long> lookupsByService, List<String> consumers, long size,
        long compressedSize) {

    public ModuleStats {
        lookupsByConsumer = Map.copyOf(lookupsByConsumer);
        lookupsByService = Map.copyOf(lookupsByService);
        consumers = List.copyOf(consumers);
    }

    /** @return successful starts over all starts attempted, from 0 to 1; 1 if none was attempted */
    public double successRate() {
        long all = starts + startFailures;
        return all == 0 ? 1.0 : (double) starts / all;
    }
}
