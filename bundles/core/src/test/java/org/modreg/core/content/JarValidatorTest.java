package org.modreg.core.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modreg.api.InvalidModuleException;

public class JarValidatorTest {

    @TempDir
    Path dir;

    private Path jar(Map<String, String> headers) throws IOException {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        headers.forEach((k, v) -> mf.getMainAttributes().putValue(k, v));
        Path p = Files.createTempFile(dir, "t", ".jar");
        try (OutputStream out = Files.newOutputStream(p); JarOutputStream j = new JarOutputStream(out, mf)) {
            j.putNextEntry(new JarEntry("a.txt"));
            j.write("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".getBytes());
        }
        return p;
    }

    private static Map<String, String> bundle(String... more) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Bundle-ManifestVersion", "2");
        h.put("Bundle-SymbolicName", "test.a;singleton:=true");
        h.put("Bundle-Version", "1.2.3");
        for (int i = 0; i < more.length; i += 2) {
            h.put(more[i], more[i + 1]);
        }
        return h;
    }

    private String problem(Path p) throws IOException {
        return assertThrows(InvalidModuleException.class, () -> JarValidator.validate("x.jar", p, "d", Files.size(p))).problem();
    }

    @Test
    void aGoodBundle() throws IOException {
        Path p = jar(bundle("Import-Package", "org.a;version=\"[1,2)\"", "Provide-Capability", "modreg.capability;modreg.capability=x"));
        ValidatedJar v = JarValidator.validate("x.jar", p, "d", Files.size(p));
        assertEquals("test.a", v.id());
        assertEquals("1.2.3", v.version().toString());
        assertEquals(Files.size(p), v.size());
        assertEquals(true, v.compressedSize() > 0 && v.compressedSize() < v.size());
    }

    @Test
    void eachProblemHasItsOwnMessage() throws IOException {
        assertEquals("empty file (0 bytes), not a jar", problem(Files.write(dir.resolve("e.jar"), new byte[0])));
        assertEquals(true, problem(Files.writeString(dir.resolve("t.jar"), "hello")).startsWith("not a zip or jar archive"));
        assertEquals("no Bundle-SymbolicName header: not an OSGi bundle", problem(jar(Map.of("Bundle-Version", "1"))));
        assertEquals("Bundle-ManifestVersion must be 2 but the header is missing", problem(jar(Map.of("Bundle-SymbolicName", "a"))));
        assertEquals(true, problem(jar(bundle("Bundle-Version", "one"))).startsWith("invalid Bundle-Version \"one\""));
        assertEquals(true, problem(jar(bundle("Export-Package", "a.b;uses:=\"c.d"))).startsWith("malformed Export-Package header"));
        assertEquals(true, problem(jar(bundle("Provide-Capability", "ns;a:Version=zzz"))).startsWith("malformed Provide-Capability header"));
        assertEquals(true, problem(jar(bundle("Require-Capability", "ns;filter:=\"(a=\""))).startsWith("malformed Require-Capability header"));
    }
}
