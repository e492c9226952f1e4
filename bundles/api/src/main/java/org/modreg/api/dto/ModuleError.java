package org.modreg.api.dto;

import java.time.Instant;

/**
 * One failure in a module's error history.
 *
 * @param time      when it happened
 * @param operation what failed: install, resolve, start, stop, update, uninstall, refresh
 * @param message   why, in plain words first
 */
public record ModuleError(Instant time, String operation, String message) {
}
