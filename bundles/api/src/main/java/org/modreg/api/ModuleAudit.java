package org.modreg.api;

import java.time.Instant;
import java.util.List;

import org.modreg.api.dto.AuditEntry;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The audit trail: every install, start, stop, update, uninstall, refresh and rollback made
 * through modreg (the registry API, the shell, the deploy directory), with its origin and result,
 * kept in modreg's database across restarts.
 *
 * <p>Entries are written as operations end, by a writer thread; a read sees every operation
 * that ended before it was called.
 *
 * <p>Threading: every method may be called from any thread.
 */
@ProviderType
public interface ModuleAudit {

    /**
     * @param moduleId only this module's entries; null for all
     * @param since    only entries at or after this time; null for all
     * @param limit    at most this many entries, the newest ones; 0 or less for no limit
     * @return the matching entries, oldest first
     */
    List<AuditEntry> trail(String moduleId, Instant since, int limit);

    /**
     * Writes an entry that is no module operation, for the doors into the container: a refused
     * login, a command run for a remote user. Module operations are written by the registry
     * itself; this is not needed for them.
     *
     * @param origin    who: {@code http:alice}, {@code http} for someone not known
     * @param operation what: {@code login}, {@code command}, ...
     * @param result    how it ended
     * @param target    what it was about: a request line, a command; may be null
     * @param error     why it failed or was refused; null if it did not
     * @since 1.2
     */
    void record(String origin, String operation, AuditEntry.Result result, String target, String error);

    /**
     * Reads a time as operators give it for {@link #trail}'s {@code since}: the shell's
     * {@code --since} and the REST API's {@code ?since=} take the same forms.
     *
     * @param text  {@code 2026-11-26} (midnight, local time), {@code 2026-11-26T14:30} (local time),
     *              an ISO instant ({@code 2026-11-26T14:30:00Z}), or a time back: {@code 90s},
     *              {@code 30m}, {@code 2h}, {@code 7d}
     * @param clock now, and the local time zone
     * @return the instant it names
     * @throws IllegalArgumentException naming the text, if it is none of these
     * @since 1.2
     */
    static Instant since(String text, java.time.Clock clock) {
        String t = text.trim();
        if (t.matches("\\d+[smhd]")) {
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            java.time.Duration back = switch (t.charAt(t.length() - 1)) {
                case 's' -> java.time.Duration.ofSeconds(n);
                case 'm' -> java.time.Duration.ofMinutes(n);
                case 'h' -> java.time.Duration.ofHours(n);
                default -> java.time.Duration.ofDays(n);
            };
            return clock.instant().minus(back);
        }
        try {
            if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return java.time.OffsetDateTime.parse(t).toInstant();
            }
            if (t.contains("T")) {
                return java.time.LocalDateTime.parse(t).atZone(clock.getZone()).toInstant();
            }
            return java.time.LocalDate.parse(t).atStartOfDay(clock.getZone()).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(text.toLowerCase(java.util.Locale.ROOT)
                    + ": not a date (2026-11-26), a date and time (2026-11-26T14:30) or a time back (30m, 2h, 7d)");
        }
    }
}
