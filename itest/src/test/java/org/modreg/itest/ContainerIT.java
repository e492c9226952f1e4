package org.modreg.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.modreg.api.InstallOption;
import org.modreg.api.ModuleQuery;
import org.modreg.api.ModuleRegistry;
import org.modreg.api.ModuleSource;
import org.modreg.api.ModuleState;
import org.modreg.api.dto.Module;
import org.modreg.runtime.Container;
import org.osgi.framework.Bundle;

/** A host program embedding the container and driving it through the registry API. */
public class ContainerIT {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder(new java.io.File("target"));

    private final Path dist = Path.of(System.getProperty("dist.dir", "../runtime/target/modreg")).toAbsolutePath().normalize();

    @Test
    public void aHostStartsTheContainerAndUsesTheRegistry() throws Exception {
        Path home = tmp.newFolder("embedded").toPath();
        Module text;
        try (Container c = Container.builder().home(home).systemBundles(dist.resolve("system")).start()) {
            ModuleRegistry registry = c.registry();
            assertEquals(ModuleState.ACTIVE, registry.get("org.modreg.core").state());
            registry.install(ModuleSource.of(dist.resolve("examples/processor.jar")));
            text = registry.install(ModuleSource.of(dist.resolve("examples/text.jar")), InstallOption.START);
            assertEquals(ModuleState.ACTIVE, text.state());
            assertEquals(home.resolve("deploy").toAbsolutePath(), c.deployDir());
            // one container at a time on a data directory: a second would share the framework cache and the database
            IllegalStateException busy = assertThrows(IllegalStateException.class,
                    () -> Container.builder().home(home).systemBundles(dist.resolve("system")).start());
            assertTrue(busy.getMessage(), busy.getMessage().startsWith("the data directory " + c.dataDir()
                    + " is in use by another modreg container (process " + ProcessHandle.current().pid() + ")"));
            // the host finds services by capability, by interface name (its classes are not the bundles')
            var services = registry.services("org.modreg.example.processor.DataProcessor", "text-processing", null);
            assertEquals(1, services.size());
            assertEquals("org.modreg.example.text", services.get(0).provider().id());
            assertEquals(List.of("org.modreg.example.text"), registry.find(ModuleQuery.all().capability("text-processing"))
                    .stream().map(m -> m.module().id()).toList());
        }
        // state survives in the data directory
        try (Container c = Container.builder().home(home).systemBundles(dist.resolve("system")).start()) {
            Module again = c.registry().get("org.modreg.example.text");
            assertEquals(text.bundleId(), again.bundleId());
            assertEquals(ModuleState.ACTIVE, again.state());
            assertEquals("content facts survive a restart", text.content().digest(), again.content().digest());
            c.close();
            assertEquals(Bundle.RESOLVED, c.framework().getState());
            assertThrows(IllegalStateException.class, c::registry);
        }
    }

    /**
     * A boot bundle whose jar changed while the container was down is updated by the launcher; its
     * record must then carry the new jar's digest, not the one saved for the old jar (digests of
     * boot bundles are taken from the saved records, not computed again at each start).
     */
    @Test
    public void aBootBundleUpdatedWhileDownGetsTheDigestOfItsNewJar() throws Exception {
        Path home = tmp.newFolder("boot").toPath();
        Path system = tmp.newFolder("system").toPath();
        try (var jars = java.nio.file.Files.list(dist.resolve("system"))) {
            for (Path jar : jars.toList()) {
                java.nio.file.Files.copy(jar, system.resolve(jar.getFileName()));
            }
        }
        Path metatype;
        try (var jars = java.nio.file.Files.list(system)) {
            metatype = jars.filter(p -> p.getFileName().toString().startsWith("org.apache.felix.metatype")).findFirst().orElseThrow();
        }
        String before = sha256(metatype);
        long bundleId;
        try (Container c = Container.builder().home(home).systemBundles(system).start()) {
            bundleId = awaitDigest(c, before).bundleId();
        }
        // the same bundle, other bytes: one more entry; the launcher updates it at the next start
        Path rewritten = system.resolve("rewritten.tmp");
        try (var in = new java.util.zip.ZipInputStream(java.nio.file.Files.newInputStream(metatype));
                var out = new java.util.zip.ZipOutputStream(java.nio.file.Files.newOutputStream(rewritten))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                in.transferTo(out);
            }
            out.putNextEntry(new java.util.zip.ZipEntry("META-INF/rewritten.txt"));
            out.write("other bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        java.nio.file.Files.move(rewritten, metatype, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String after = sha256(metatype);
        assertTrue(!before.equals(after));
        try (Container c = Container.builder().home(home).systemBundles(system).start()) {
            Module m = awaitDigest(c, after);
            assertEquals("updated in place, not installed again", bundleId, m.bundleId());
        }
    }

    private static Module awaitDigest(Container c, String digest) throws InterruptedException {
        long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        Module m;
        do {
            m = c.registry().get("org.apache.felix.metatype");
            if (digest.equals(m.content().digest())) {
                return m;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < end);
        throw new AssertionError("the metatype bundle's digest is " + m.content().digest() + ", not " + digest);
    }

    private static String sha256(Path file) throws Exception {
        var sha = java.security.MessageDigest.getInstance("SHA-256");
        return java.util.HexFormat.of().formatHex(sha.digest(java.nio.file.Files.readAllBytes(file)));
    }

    @Test
    public void aMissingSystemDirectoryIsAClearError() {
        Path nowhere = tmp.getRoot().toPath().resolve("nowhere");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Container.builder().home(tmp.getRoot().toPath()).systemBundles(nowhere).start());
        assertTrue(e.getMessage(), e.getMessage().contains(nowhere + " is not a directory"));
    }
}
