package org.modreg.shell.format;

import org.modreg.api.dto.Module;

/**
 * The result of a lifecycle command: what was done to which module, and its state after.
 *
 * @param action what was done: installed, started, stopped, updated, uninstalled
 * @param module the module after the operation
 */
public record LifecycleResult(String action, Module module) {
}
