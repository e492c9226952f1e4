package org.modreg.api.dto;

import java.time.Instant;

/**
 * A lifecycle mark on a module (all its versions).
 *
 * @param moduleId    the module id
 * @param kind        what the mark says
 * @param reason      why, in the words of who marked it; may be empty
 * @param replacement the module to use instead (a deprecation); null if none was named
 * @param time        when it was marked
 * @param origin      who marked it, as in the audit trail
 */
public record ModuleMark(String moduleId, Kind kind, String reason, String replacement, Instant time, String origin) {

    /** The marks. */
    public enum Kind {
        /** Still works, but should not be used any more: shown in list, find and info; look-ups are warned. */
        DEPRECATED,
        /** Kept, installed, not startable: stopped when archived; a start is refused. */
        ARCHIVED
    }
}
