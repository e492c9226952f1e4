package org.modreg.core.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class DirectoryWatchTest {

    @Test
    void onlyVisibleJarsAreDeployed() {
        assertFalse(DirectoryWatch.ignored(Path.of("deploy/plugin.jar")));
        assertFalse(DirectoryWatch.ignored(Path.of("deploy/Plugin.JAR")));
        assertTrue(DirectoryWatch.ignored(Path.of("deploy/.plugin.jar")), "hidden: a copy in progress");
        assertTrue(DirectoryWatch.ignored(Path.of("deploy/plugin.jar.part")));
        assertTrue(DirectoryWatch.ignored(Path.of("deploy/plugin.jar.tmp")));
        assertTrue(DirectoryWatch.ignored(Path.of("deploy/plugin.jar~")));
        assertTrue(DirectoryWatch.ignored(Path.of("deploy/readme.txt")));
    }

    @Test
    void aJarIsCompleteOnlyOnceItsCentralDirectoryIsWritten(@TempDir Path dir) throws Exception {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        Path whole = dir.resolve("whole.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(whole), mf)) {
            out.putNextEntry(new java.util.jar.JarEntry("a.txt"));
            out.write(new byte[4096]);
            out.closeEntry();
        }
        assertTrue(DirectoryWatch.readableZip(whole));
        byte[] bytes = Files.readAllBytes(whole);
        for (int cut : new int[] { 0, 10, bytes.length / 2, bytes.length - 1 }) {
            Path half = Files.write(dir.resolve("half-" + cut + ".jar"), java.util.Arrays.copyOf(bytes, cut));
            assertFalse(DirectoryWatch.readableZip(half), "a jar cut at " + cut + " of " + bytes.length + " bytes");
        }
        assertFalse(DirectoryWatch.readableZip(dir.resolve("missing.jar")));
    }
}
