package org.modreg.itest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Writes small jars with a chosen manifest, for the bad-input tests. */
final class TestJars {

    /** 2020-01-01T00:00:00Z. */
    private static final long FIXED_TIME = 1_577_836_800_000L;

    private TestJars() {
    }

    /** A jar whose manifest has exactly these headers (plus Manifest-Version). */
    static Path jar(Path dir, String name, Map<String, String> headers) throws IOException {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        headers.forEach((k, v) -> mf.getMainAttributes().putValue(k, v));
        Path p = dir.resolve(name);
        // the same headers make the same bytes, whenever built: entry times are fixed (a released
        // version is immutable, and a jar built again a second later would be other bytes)
        try (OutputStream out = Files.newOutputStream(p); JarOutputStream jar = new JarOutputStream(out)) {
            JarEntry manifest = new JarEntry(JarFile.MANIFEST_NAME);
            manifest.setTime(FIXED_TIME);
            jar.putNextEntry(manifest);
            mf.write(jar);
            jar.closeEntry();
            JarEntry readme = new JarEntry("readme.txt");
            readme.setTime(FIXED_TIME);
            jar.putNextEntry(readme);
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

    /** The bytes of a copy of a jar with some manifest headers replaced (a header mapped to null is removed). */
    static byte[] rewrite(Path jar, Map<String, String> headers) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.jar.JarFile in = new java.util.jar.JarFile(jar.toFile())) {
            Manifest mf = new Manifest(in.getManifest());
            headers.forEach((k, v) -> {
                if (v == null) {
                    mf.getMainAttributes().remove(new Attributes.Name(k));
                } else {
                    mf.getMainAttributes().putValue(k, v);
                }
            });
            // fixed entry times, as jar(): the same rewrite makes the same bytes whenever it runs
            try (JarOutputStream out = new JarOutputStream(bytes)) {
                JarEntry manifest = new JarEntry(JarFile.MANIFEST_NAME);
                manifest.setTime(FIXED_TIME);
                out.putNextEntry(manifest);
                mf.write(out);
                out.closeEntry();
                for (var en = in.entries(); en.hasMoreElements();) {
                    JarEntry e = en.nextElement();
                    if (e.getName().equals(JarFile.MANIFEST_NAME)) {
                        continue;
                    }
                    JarEntry copy = new JarEntry(e.getName());
                    copy.setTime(FIXED_TIME);
                    out.putNextEntry(copy);
                    in.getInputStream(e).transferTo(out);
                    out.closeEntry();
                }
            }
        }
        return bytes.toByteArray();
    }
}
