package org.modreg.core.lifecycle;

import org.modreg.api.dto.ModuleMark;
import org.modreg.core.records.RecordStore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Which kept bytes and which archived modules retention removes. */
public class RetentionTest {

    private static final Instant T = Instant.parse("2026-11-01T00:00:00Z");

    private static RecordStore.VersionRow row(String version, String digest, int day) {
        return new RecordStore.VersionRow("m", version, digest, 1, T.plusSeconds(day * 86_400L), "shell", "updated");
    }

    @Test
    void theNewestVersionsAndTheInstalledOnesAreKept() {
        List<RecordStore.VersionRow> rows = List.of(row("1.0", "a", 1), row("1.1", "b", 2), row("1.2", "c", 3), row("1.3", "d", 4),
                row("1.1", "b", 5)); // rolled back to 1.1 on day 5: b is the newest
        // d installed; keep 2 of the others, newest first: b (day 5), c (day 3); a goes
        assertEquals(List.of("1.0"), LifecycleService.beyondRetention(rows, Set.of("d"), 2).stream()
                .map(RecordStore.VersionRow::version).toList());
        assertEquals(List.of("1.2", "1.0"), LifecycleService.beyondRetention(rows, Set.of("d"), 1).stream()
                .map(RecordStore.VersionRow::version).toList());
        assertEquals(List.of(), LifecycleService.beyondRetention(rows, Set.of(), 4));
    }

    @Test
    void archivesOlderThanTheirDaysExpireAndZeroDaysNeverDoes() {
        ModuleMark old = new ModuleMark("old", ModuleMark.Kind.ARCHIVED, "", null, T, "shell");
        ModuleMark recent = new ModuleMark("recent", ModuleMark.Kind.ARCHIVED, "", null, T.plusSeconds(29 * 86_400L), "shell");
        ModuleMark deprecated = new ModuleMark("dep", ModuleMark.Kind.DEPRECATED, "", null, T, "shell");
        Instant now = T.plusSeconds(31 * 86_400L);
        assertEquals(List.of("old"), LifecycleService.expiredArchives(List.of(old, recent, deprecated), now, 30));
        assertEquals(List.of(), LifecycleService.expiredArchives(List.of(old, recent, deprecated), now, 0));
        assertEquals(List.of("old", "recent"), LifecycleService.expiredArchives(List.of(old, recent, deprecated), now, 1));
    }
}
