package org.modreg.core.records;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.modreg.api.dto.ModuleContent;
import org.modreg.core.records.Reconciler.Verdict;

/** What a saved record says of the bundle the framework has under its id, at start. */
public class ReconcilerTest {

    private static final Instant INSTALLED = Instant.ofEpochMilli(1_000_000);
    private static final ModuleContent FROM_FILE = new ModuleContent("a".repeat(64), 10, 5, null);
    private static final ModuleContent STORED = new ModuleContent("a".repeat(64), 10, 5, "/store/a.jar");

    private static RecordStore.Saved saved(String id, ModuleContent content) {
        return new RecordStore.Saved(3, id, "1.0.0", "file:/a.jar", content, "shell", INSTALLED, List.of());
    }

    @Test
    void theSameModuleVersionAndLocationIsRestored() {
        assertEquals(Verdict.SAME, Reconciler.verdict(saved("org.acme", STORED), "org.acme", "1.0.0", "file:/a.jar",
                INSTALLED.toEpochMilli() + 5_000));
        assertEquals(Verdict.SAME, Reconciler.verdict(saved("org.acme", FROM_FILE), "org.acme", "1.0.0", "file:/a.jar",
                INSTALLED.toEpochMilli()));
    }

    @Test
    void aBundleDescribedFromItsFileAndUpdatedSinceIsDescribedAgain() {
        assertEquals(Verdict.CHANGED, Reconciler.verdict(saved("org.acme", FROM_FILE), "org.acme", "1.0.0", "file:/a.jar",
                INSTALLED.toEpochMilli() + 1));
    }

    @Test
    void anotherModuleVersionOrLocationIsReportedAndARecordOfOldOnlyGivesItsContent() {
        RecordStore.Saved s = saved("org.acme", STORED);
        assertEquals(Verdict.OTHER, Reconciler.verdict(s, "org.other", "1.0.0", "file:/a.jar", 0));
        assertEquals(Verdict.OTHER, Reconciler.verdict(s, "org.acme", "1.0.1", "file:/a.jar", 0));
        assertEquals(Verdict.OTHER, Reconciler.verdict(s, "org.acme", "1.0.0", "file:/b.jar", 0));
        assertEquals(Verdict.LEGACY, Reconciler.verdict(new RecordStore.Saved(3, null, null, null, STORED, "framework", null,
                List.of()), "org.acme", "1.0.0", "file:/a.jar", 0));
        assertEquals(Verdict.NONE, Reconciler.verdict(null, "org.acme", "1.0.0", "file:/a.jar", 0));
    }
}
