package org.modreg.api;

import java.time.Duration;
import java.util.List;

import org.modreg.api.dto.Health;
import org.modreg.api.dto.Metrics;
import org.modreg.api.dto.ModuleStats;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Usage statistics of the modules, kept by counting framework events and service look-ups (the
 * framework's {@code FindHook}): starts, failures, start times, look-ups by consumer and by
 * service, current consumers, sizes. Counting costs a look-up an increment, no lock and no write.
 *
 * <p>Statistics are kept per module id, across its versions and bundle ids: an update is the same
 * module. They are kept in modreg's database and survive restarts; counters are written once per
 * flush interval (configuration {@code org.modreg.database}), so a crash loses at most that much.
 * Look-ups made through {@link ModuleRegistry#services} are counted under the module that asked.
 *
 * <p>Threading: every method may be called from any thread.
 */
@ProviderType
public interface ModuleStatistics {

    /**
     * @param ref a module, as in {@link ModuleRegistry#get(String)}
     * @return its statistics
     * @throws ModuleNotFoundException if no module matches
     */
    ModuleStats stats(String ref);

    /** @return the statistics of every installed module, by id */
    List<ModuleStats> all();

    /**
     * @param n how many
     * @return the n modules most looked up, most first
     */
    List<ModuleStats> top(int n);

    /**
     * @param within how far back
     * @return the modules installed or updated within that time, newest first
     */
    List<ModuleStats> recent(Duration within);

    /** @return the modules by state, the errors, and the failed modules with their last error */
    Health health();

    /**
     * @return the operational figures: start, check and query durations as histograms, the
     *         operations by door and result, the database and the deploy directory
     * @since 1.2
     */
    Metrics metrics();
}
