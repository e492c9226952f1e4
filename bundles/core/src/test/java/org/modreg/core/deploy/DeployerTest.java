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

public class DeployerTest {

    @Test
    void onlyVisibleJarsAreDeployed() {
        assertFalse(Deployer.ignored(Path.of("deploy/plugin.jar")));
        assertFalse(Deployer.ignored(Path.of("deploy/Plugin.JAR")));
        assertTrue(Deployer.ignored(Path.of("deploy/.plugin.jar")), "hidden: a copy in progress");
        assertTrue(Deployer.ignored(Path.of("deploy/plugin.jar.part")));
        assertTrue(Deployer.ignored(Path.of("deploy/plugin.jar.tmp")));
        assertTrue(Deployer.ignored(Path.of("deploy/plugin.jar~")));
        assertTrue(Deployer.ignored(Path.of("deploy/readme.txt")));
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
        assertTrue(Deployer.readableZip(whole));
        byte[] bytes = Files.readAllBytes(whole);
        for (int cut : new int[] { 0, 10, bytes.length / 2, bytes.length - 1 }) {
            Path half = Files.write(dir.resolve("half-" + cut + ".jar"), java.util.Arrays.copyOf(bytes, cut));
            assertFalse(Deployer.readableZip(half), "a jar cut at " + cut + " of " + bytes.length + " bytes");
        }
        assertFalse(Deployer.readableZip(dir.resolve("missing.jar")));
    }
}
