package org.modreg.core.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modreg.api.InvalidModuleException;
import org.modreg.api.ModuleSource;
import org.modreg.api.dto.ModuleContent;

public class ContentStoreTest {

    @TempDir
    Path dir;

    @Test
    void storesByDigestAndRemembersBundlesAcrossRestarts() throws Exception {
        ContentStore store = new ContentStore(dir);
        ContentStore.Staged s = store.stage(ModuleSource.of("abc", new ByteArrayInputStream("abc".getBytes())));
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", s.digest());
        assertEquals(3, s.size());
        Path stored = store.commit(s);
        assertEquals(dir.resolve(s.digest() + ".jar"), stored);
        assertFalse(Files.exists(s.file()));

        // the same bytes again: one copy
        ContentStore.Staged again = store.stage(ModuleSource.of("abc2", new ByteArrayInputStream("abc".getBytes())));
        assertEquals(stored, store.commit(again));
        assertFalse(Files.exists(again.file()));

    }

    private ContentStore.Staged stage(ContentStore store, String bytes) {
        return store.stage(ModuleSource.of(bytes, new ByteArrayInputStream(bytes.getBytes())));
    }

    @Test
    void bytesRefusedAfterTheirCommitAreRemovedUnlessKeptOrThereBefore() {
        ContentStore store = new ContentStore(dir);
        // refused alone: gone
        ContentStore.Staged r = stage(store, "refused");
        Path refused = store.commit(r);
        store.release(r.digest());
        assertFalse(Files.exists(refused), "a refused commit leaves nothing stored");

        // kept: stays, and a later commit of the same bytes that is refused does not remove them
        ContentStore.Staged kept = stage(store, "kept");
        Path k = store.commit(kept);
        store.keep(kept.digest());
        store.commit(stage(store, "kept"));
        store.release(kept.digest());
        assertTrue(Files.exists(k), "bytes that were in the store before a refused commit stay");

        // two commits of new bytes at once: the first refused, the second kept
        ContentStore.Staged a = stage(store, "both");
        Path both = store.commit(a);
        store.commit(stage(store, "both"));
        store.release(a.digest());
        assertTrue(Files.exists(both), "another commit still holds them");
        store.keep(a.digest());
        assertTrue(Files.exists(both));
        store.release(a.digest()); // a stray release after the last holder does nothing
        assertTrue(Files.exists(both));

        // two commits of new bytes, both refused: gone with the last
        ContentStore.Staged c = stage(store, "neither");
        Path neither = store.commit(c);
        store.commit(stage(store, "neither"));
        store.release(c.digest());
        assertTrue(Files.exists(neither));
        store.release(c.digest());
        assertFalse(Files.exists(neither));
    }

    @Test
    void theIndexOfTheVersionBeforeTheDatabaseIsImportedOnce() throws Exception {
        Files.writeString(dir.resolve("bundles.properties"), "7=abcd,3,5\n8=broken\n");
        ContentStore store = new ContentStore(dir);
        var index = store.legacyIndex();
        assertEquals(java.util.Set.of(7L), index.keySet());
        assertEquals(new ModuleContent("abcd", 3, 5, dir.resolve("abcd.jar").toString()), index.get(7L));
        assertTrue(Files.exists(dir.resolve("bundles.properties.imported")));
        assertTrue(store.legacyIndex().isEmpty());
    }

    @Test
    void stagingLeftByACrashIsRemovedAtOpen() throws Exception {
        Path stale = Files.writeString(dir.resolve("staging-123.tmp"), "half");
        new ContentStore(dir);
        assertFalse(Files.exists(stale));
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nope.jar");
        InvalidModuleException e = assertThrows(InvalidModuleException.class,
                () -> new ContentStore(dir).stage(ModuleSource.of(missing)));
        assertEquals(missing + ": no such file", e.getMessage());
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith("staging-")));
        } catch (java.io.IOException io) {
            throw new AssertionError(io);
        }
    }
}
