package org.modreg.api.dto;

import java.time.Instant;

import org.osgi.framework.Version;

/**
 * One event in a module's version history: a version installed, updated to, rolled back to, or
 * uninstalled.
 *
 * @param moduleId  the module id
 * @param version   the version
 * @param digest    SHA-256 of its bytes, hex; null if unknown
 * @param size      size of its jar in bytes; -1 if unknown
 * @param time      when
 * @param origin    who asked, as in the audit trail ({@code shell}, {@code deploy}, {@code host}, {@code api:<module>})
 * @param event     {@code installed}, {@code updated}, {@code rolled back} or {@code uninstalled}
 * @param kept      whether its bytes are in the content store, so that it can be rolled back to
 * @param installed whether these bytes are installed now
 */
public record ModuleVersion(String moduleId, Version version, String digest, long size, Instant time, String origin,
        String event, boolean kept, boolean installed) {
}
