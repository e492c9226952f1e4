package org.modreg.core.records;

import org.modreg.api.dto.Module;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.FrameworkEvent;

/**
 * Told by {@link ModuleRecords} of what changes, instead of the records calling each part that
 * cares (the index, the wiring cache, the start watchdog). Called synchronously on the thread of
 * the framework's event: keep it short.
 */
public interface RecordSubscriber {

    /** A bundle event, before the record changes. */
    default void bundleChanged(BundleEvent event) {
    }

    /** A record changed; {@code module} is what it is now, {@code UNINSTALLED} when the bundle went. */
    default void recordChanged(Module module) {
    }

    /**
     * The framework reported an error of a bundle it ran into on its own.
     *
     * @return whether this subscriber recorded it already (the records then add nothing)
     */
    default boolean explains(FrameworkEvent event) {
        return false;
    }
}
