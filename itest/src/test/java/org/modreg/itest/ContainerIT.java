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

    @Test
    public void aMissingSystemDirectoryIsAClearError() {
        Path nowhere = tmp.getRoot().toPath().resolve("nowhere");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Container.builder().home(tmp.getRoot().toPath()).systemBundles(nowhere).start());
        assertTrue(e.getMessage(), e.getMessage().contains(nowhere + " is not a directory"));
    }
}
