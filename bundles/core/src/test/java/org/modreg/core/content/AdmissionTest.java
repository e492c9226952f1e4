package org.modreg.core.content;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.modreg.api.DuplicateModuleException;
import org.modreg.api.ModuleSource;
import org.modreg.api.ModuleState;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleContent;
import org.osgi.framework.Version;

/** Admission: no duplicate id and version, no duplicate location, and a released version keeps its bytes. */
public class AdmissionTest {

    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);

    private static Module module(long bundleId, String id, String version, String location) {
        return new Module(bundleId, id, Version.parseVersion(version), id, null, null, null, null, List.of(), "plugin",
                java.util.Set.of(), List.of(), List.of(), List.of(), ModuleState.ACTIVE, location, ModuleContent.UNKNOWN,
                Instant.EPOCH, List.of());
    }

    private static ValidatedJar jar(String id, String version, String digest) {
        return new ValidatedJar(id + ".jar", Path.of(id + ".jar"), id, Version.parseVersion(version), Map.of(), digest, 10, 5);
    }

    private static ModuleSource source(String location) {
        return new ModuleSource("new.jar", location, null, null, null);
    }

    @Test
    void aNewModuleWithTheIdAndVersionOfAnInstalledOneIsADuplicate() {
        Admission a = new Admission();
        List<Module> installed = List.of(module(7, "org.acme", "1.0.0", "file:/old.jar"));
        DuplicateModuleException e = assertThrows(DuplicateModuleException.class,
                () -> a.admit(source("file:/new.jar"), jar("org.acme", "1.0.0", A), null, installed, false));
        assertEquals(7, e.existingBundleId());
        assertTrue(e.getMessage().contains("is installed already as bundle 7; update it instead"), e.getMessage());
        // forced: a duplicate is still refused, whatever the check said
        assertThrows(DuplicateModuleException.class,
                () -> a.admit(source("file:/new.jar"), jar("org.acme", "1.0.0", A), null, installed, true));
        // another version of it is a module of its own
        assertDoesNotThrow(() -> a.admit(source("file:/new.jar"), jar("org.acme", "1.1.0", A), null, installed, false));
    }

    @Test
    void aNewModuleAtTheLocationOfAnInstalledOneIsADuplicateButItsUpdateIsNot() {
        Admission a = new Admission();
        Module old = module(7, "org.acme", "1.0.0", "file:/same.jar");
        DuplicateModuleException e = assertThrows(DuplicateModuleException.class,
                () -> a.admit(source("file:/same.jar"), jar("org.other", "1.0.0", A), null, List.of(old), false));
        assertTrue(e.getMessage().contains("this location is installed already as bundle 7"), e.getMessage());
        // the module it updates is not its own duplicate, even at the same id and version
        assertDoesNotThrow(() -> a.admit(source("file:/same.jar"), jar("org.acme", "1.0.0", A), old, List.of(old), false));
    }

    @Test
    void aReleasedVersionIsImmutableUnlessForcedAndASnapshotIsNot() {
        Admission a = new Admission();
        a.known("org.acme", "1.0.0", A);
        a.known("org.acme", "1.1.0.SNAPSHOT", A);
        DuplicateModuleException e = assertThrows(DuplicateModuleException.class,
                () -> a.admit(source("file:/x.jar"), jar("org.acme", "1.0.0", B), null, List.of(), false));
        assertTrue(e.getMessage().contains("was installed before with other bytes (sha256 aaaaaaaaaaaa..., now bbbbbbbbbbbb...)"),
                e.getMessage());
        assertEquals(-1, e.existingBundleId());
        assertDoesNotThrow(() -> a.admit(source("file:/x.jar"), jar("org.acme", "1.0.0", A), null, List.of(), false));
        assertDoesNotThrow(() -> a.admit(source("file:/x.jar"), jar("org.acme", "1.0.0", B), null, List.of(), true));
        assertDoesNotThrow(() -> a.admit(source("file:/x.jar"), jar("org.acme", "1.1.0.SNAPSHOT", B), null, List.of(), false));
        // a digest not known (null: no content) remembers nothing
        a.known("org.acme", "2.0.0", null);
        assertDoesNotThrow(() -> a.admit(source("file:/x.jar"), jar("org.acme", "2.0.0", B), null, List.of(), false));
    }
}
