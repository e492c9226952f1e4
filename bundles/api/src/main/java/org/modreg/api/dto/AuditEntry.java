package org.modreg.api.dto;

import java.time.Instant;

/**
 * One mutating operation in the audit trail: when, what, on which module, from where, and how it
 * ended.
 *
 * @param sequence  the entry's number; later entries have larger numbers
 * @param time      when the operation ended
 * @param operation install, start, stop, update, uninstall, refresh, rollback, or reconcile (a
 *                  difference between the records and the framework found at start)
 * @param moduleId  the module id; null if the operation failed before one was known (an unreadable file)
 * @param version   the module's version after the operation (for an update, the new one); null if unknown
 * @param bundleId  the bundle id; -1 if none
 * @param origin    who asked: {@code shell}, {@code deploy} (the deploy directory), {@code host}
 *                  (a program embedding the container), {@code api:<module id>} (a module, through
 *                  the registry service), or {@code framework} (found changed at start)
 * @param result    how it ended
 * @param target    what was asked for: the module reference or the file, as given
 * @param detail    what was done, in words (for an update, from which version); null if nothing to add
 * @param error     why it failed, was refused or was rolled back; null if it succeeded
 */
public record AuditEntry(long sequence, Instant time, String operation, String moduleId, String version, long bundleId,
        String origin, Result result, String target, String detail, String error) {

    /** How an operation ended. */
    public enum Result {
        /** It was done. */
        OK,
        /** It was tried and failed: a start that threw or hung, an update that did not resolve. */
        FAILED,
        /** It was refused before anything changed: an invalid jar, a duplicate, a wiring check that failed. */
        REFUSED,
        /** An update that failed and was undone: the previous version runs. */
        ROLLED_BACK
    }
}
