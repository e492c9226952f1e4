package org.modreg.api;

/**
 * Options of {@link ModuleRegistry#install(ModuleSource, InstallOption...)} and
 * {@link ModuleRegistry#update(String, ModuleSource, InstallOption...)}.
 */
public enum InstallOption {
    /** Start the module once it is installed. An update keeps the module's state and ignores it. */
    START,
    /**
     * Install or update even though the wiring check says the module would not resolve, or that
     * an update would leave modules wired to it unresolved. The check's report is then only in the
     * module's record and the log, not an exception.
     */
    FORCE
}
