package org.modreg.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

class SinceTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-26T14:00:00Z"), ZoneId.of("Europe/Paris"));

    @Test
    void aTimeBack() {
        assertEquals(Instant.parse("2026-11-26T13:30:00Z"), Since.parse("30m", clock));
        assertEquals(Instant.parse("2026-11-26T12:00:00Z"), Since.parse("2h", clock));
        assertEquals(Instant.parse("2026-11-19T14:00:00Z"), Since.parse("7d", clock));
        assertEquals(Instant.parse("2026-11-26T13:58:30Z"), Since.parse("90s", clock));
    }

    @Test
    void aDateOrADateAndTimeInTheLocalZone() {
        assertEquals(Instant.parse("2026-11-25T23:00:00Z"), Since.parse("2026-11-26", clock));
        assertEquals(Instant.parse("2026-11-26T13:30:00Z"), Since.parse("2026-11-26T14:30", clock));
        assertEquals(Instant.parse("2026-11-26T14:30:00Z"), Since.parse("2026-11-26T14:30:00Z", clock));
    }

    @Test
    void anythingElseIsAnErrorThatShowsTheForms() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Since.parse("yesterday", clock));
        assertEquals("--since yesterday: not a date (2026-11-26), a date and time (2026-11-26T14:30) or a time back "
                + "(30m, 2h, 7d)", e.getMessage());
    }
}
