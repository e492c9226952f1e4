package org.modreg.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class ModuleSourceTest {

    @Test
    void aSchemeOfTwoCharactersOrMoreIsAUrl() {
        assertTrue(ModuleSource.isUrl("file:/tmp/a.jar"));
        assertTrue(ModuleSource.isUrl("file:a.jar"));
        assertTrue(ModuleSource.isUrl("mvn:org.example/a/1.0"));
        assertTrue(ModuleSource.isUrl("http://example.org/a.jar"));
        assertTrue(ModuleSource.isUrl("svn+ssh://host/a.jar"));
        assertTrue(ModuleSource.isUrl("nope:x"));
    }

    @Test
    void drivesPathsAndModuleReferencesAreNotUrls() {
        assertFalse(ModuleSource.isUrl("C:\\jars\\a.jar"), "a one-letter scheme is a Windows drive");
        assertFalse(ModuleSource.isUrl("c:/jars/a.jar"));
        assertFalse(ModuleSource.isUrl("/tmp/a.jar"));
        assertFalse(ModuleSource.isUrl("jars/a:b.jar"), "a colon after a slash is part of a path");
        assertFalse(ModuleSource.isUrl("1x:y"), "a scheme starts with a letter");
        assertFalse(ModuleSource.isUrl("org.modreg.example.text"));
        assertFalse(ModuleSource.isUrl("org.modreg.example.text/0.1.0"));
        assertFalse(ModuleSource.isUrl("42"));
        assertFalse(ModuleSource.isUrl(""));
    }

    @Test
    void parseFollowsTheSameRule() {
        ModuleSource mvn = ModuleSource.parse("mvn:org.example/a/1.0");
        assertEquals(URI.create("mvn:org.example/a/1.0"), mvn.uri());
        assertNull(mvn.path());
        assertEquals("mvn:org.example/a/1.0", mvn.location());

        ModuleSource file = ModuleSource.parse("file:/tmp/x/a.jar");
        assertEquals(Path.of("/tmp/x/a.jar"), file.path());
        assertNull(file.uri());

        ModuleSource path = ModuleSource.parse("jars/a.jar");
        assertEquals(Path.of("jars/a.jar").toAbsolutePath(), path.path());
        assertEquals(Path.of("jars/a.jar").toAbsolutePath().toUri().toString(), path.location());
    }
}
