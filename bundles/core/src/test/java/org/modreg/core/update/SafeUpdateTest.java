package org.modreg.core.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.modreg.api.dto.ModuleContent;

/** The safe update's decisions: beside or in place, and whether a failed update has bytes to put back. */
public class SafeUpdateTest {

    @Test
    void onlyARunningModuleThatIsNoSingletonIsUpdatedBesideItself() {
        assertEquals(SafeUpdate.Way.BESIDE, SafeUpdate.way(true, true, false));
        assertEquals(SafeUpdate.Way.IN_PLACE, SafeUpdate.way(false, true, false), "not running: nothing to keep running");
        assertEquals(SafeUpdate.Way.IN_PLACE, SafeUpdate.way(true, true, true), "two singletons cannot resolve at once");
        assertEquals(SafeUpdate.Way.IN_PLACE, SafeUpdate.way(true, false, false), "no revision: gone meanwhile");
    }

    @Test
    void oldBytesArePutBackOnlyWhenKnownKeptAndChanged() {
        ModuleContent old = new ModuleContent("a".repeat(64), 10, 5, "/store/a.jar");
        ModuleContent fresh = new ModuleContent("b".repeat(64), 10, 5, "/store/b.jar");
        assertTrue(SafeUpdate.canPutBack(old, fresh));
        assertFalse(SafeUpdate.canPutBack(old, old), "the update failed before the bytes changed");
        assertFalse(SafeUpdate.canPutBack(ModuleContent.UNKNOWN, fresh), "the old bytes are not known");
        assertFalse(SafeUpdate.canPutBack(new ModuleContent("a".repeat(64), 10, 5, null), fresh), "the old bytes are not kept");
    }
}
