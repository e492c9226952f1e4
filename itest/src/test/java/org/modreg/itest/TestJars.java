package org.modreg.itest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Writes small jars with a chosen manifest, for the bad-input tests. */
final class TestJars {

    private TestJars() {
    }

    /** A jar whose manifest has exactly these headers (plus Manifest-Version). */
    static Path jar(Path dir, String name, Map<String, String> headers) throws IOException {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        headers.forEach((k, v) -> mf.getMainAttributes().putValue(k, v));
        Path p = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(p); JarOutputStream jar = new JarOutputStream(out, mf)) {
            jar.putNextEntry(new JarEntry("readme.txt"));
            jar.write(("test bundle " + name).getBytes());
            jar.closeEntry();
        }
        return p;
    }

    /** A bundle with only a name and a version. */
    static Path bundle(Path dir, String name, String bsn, String version) throws IOException {
        return jar(dir, name, Map.of("Bundle-ManifestVersion", "2", "Bundle-SymbolicName", bsn, "Bundle-Version", version));
    }

    /** A zip without a manifest. */
    static Path zipWithoutManifest(Path dir, String name) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(p);
                java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out)) {
            zip.putNextEntry(new java.util.zip.ZipEntry("hello.txt"));
            zip.write("no manifest here".getBytes());
            zip.closeEntry();
        }
        return p;
    }
}
