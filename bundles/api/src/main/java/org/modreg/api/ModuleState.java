package org.modreg.api;

/**
 * The state of a module: the framework state of its bundle, refined by what the registry knows.
 *
 * <p>{@link #STOPPED} and {@link #FAILED} are not framework states: the framework calls both
 * {@code RESOLVED} (or {@code INSTALLED}). The registry tells them apart because an operator
 * needs to: a module that was stopped on purpose is not a module that could not start.
 */
public enum ModuleState {
    /** Installed but not resolved: its requirements have not been wired yet. */
    INSTALLED,
    /** Resolved and never started since it was resolved. */
    RESOLVED,
    /** Being started, or waiting for lazy activation. */
    STARTING,
    /** Started. */
    ACTIVE,
    /** Being stopped. */
    STOPPING,
    /** Resolved, and stopped after having been started. */
    STOPPED,
    /**
     * The last operation on the module failed (it could not resolve, its activator threw,
     * its start timed out) and it is not active. The reason is the newest entry of the
     * module's error history.
     */
    FAILED,
    /** Uninstalled; a record in this state is the last one the registry saw. */
    UNINSTALLED;
}
