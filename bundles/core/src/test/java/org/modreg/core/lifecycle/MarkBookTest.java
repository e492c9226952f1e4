package org.modreg.core.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modreg.api.ModuleState;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleContent;
import org.modreg.api.dto.ModuleMark;
import org.modreg.core.ops.StartPolicy;
import org.modreg.core.store.JdbcDatabase;
import org.modreg.core.store.TestDatabases;
import org.osgi.framework.Version;

/** The marks over a real embedded database: kept across a restart, an archived module refused a start. */
public class MarkBookTest {

    @TempDir
    Path dir;

    private JdbcDatabase open() throws Exception {
        return TestDatabases.open("jdbc:h2:file:" + dir.resolve("db") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
    }

    private static Module module(String id) {
        return new Module(5, id, Version.parseVersion("1.0.0"), id, null, null, null, null, List.of(), "plugin", java.util.Set.of(),
                List.of(), List.of(), List.of(), ModuleState.RESOLVED, "file:/" + id + ".jar", ModuleContent.UNKNOWN, Instant.EPOCH,
                List.of());
    }

    @Test
    void anArchivedModuleMayNotStartAndItsMarkOutlivesARestart() throws Exception {
        JdbcDatabase db = open();
        MarkBook marks = new MarkBook(db);
        assertNull(marks.refusal(module("org.acme")), "no mark: it may start");
        marks.put(new ModuleMark("org.acme", ModuleMark.Kind.ARCHIVED, "replaced by org.acme2", null, Instant.now(), "shell"));
        marks.put(new ModuleMark("org.old", ModuleMark.Kind.DEPRECATED, "", "org.new", Instant.now(), "shell"));
        StartPolicy.Refusal no = marks.refusal(module("org.acme"));
        assertEquals("it is archived (replaced by org.acme2)", no.reason());
        assertEquals("module:unmark org.acme first", no.hint());
        assertNull(marks.refusal(module("org.old")), "a deprecated module still starts");
        assertTrue(marks.any());
        db.deactivate();

        JdbcDatabase again = open();
        MarkBook after = new MarkBook(again);
        long end = System.nanoTime() + 5_000_000_000L;
        while (after.all().size() < 2 && System.nanoTime() < end) {
            Thread.sleep(10); // read off the constructor
        }
        assertEquals(List.of("org.acme", "org.old"), List.copyOf(after.all().keySet()));
        assertEquals(ModuleMark.Kind.ARCHIVED, after.of("org.acme").kind());
        assertEquals("was removed", after.remove("org.acme") != null ? "was removed" : "none");
        assertNull(after.refusal(module("org.acme")));
        again.deactivate();
    }
}
