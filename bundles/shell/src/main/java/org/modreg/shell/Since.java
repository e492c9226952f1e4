package org.modreg.shell;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Reads the {@code --since} of {@code module:audit}: a date, a date and time, or a time back from now. */
final class Since {

    private Since() {
    }

    /**
     * @param text {@code 2026-11-26} (midnight, local time), {@code 2026-11-26T14:30} (local time),
     *             an ISO instant ({@code 2026-11-26T14:30:00Z}), or a time back: {@code 90s},
     *             {@code 30m}, {@code 2h}, {@code 7d}
     * @return the instant it names
     * @throws IllegalArgumentException naming the text, if it is none of these
     */
    static Instant parse(String text, Clock clock) {
        String t = text.trim();
        if (t.matches("\\d+[smhd]")) {
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            Duration back = switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return clock.instant().minus(back);
        }
        try {
            if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return java.time.OffsetDateTime.parse(t).toInstant();
            }
            if (t.contains("T")) {
                return LocalDateTime.parse(t).atZone(clock.getZone()).toInstant();
            }
            return LocalDate.parse(t).atStartOfDay(clock.getZone()).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--since " + text.toLowerCase(Locale.ROOT)
                    + ": not a date (2026-11-26), a date and time (2026-11-26T14:30) or a time back (30m, 2h, 7d)");
        }
    }
}
