package org.modreg.api;

/** Options of {@link ModuleRegistry#install(ModuleSource, InstallOption...)}. */
public enum InstallOption {
    /** Start the module once it is installed. */
    START
}
