package org.modreg.itest;

import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.workingDirectory;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.function.BooleanSupplier;

import javax.inject.Inject;

import org.modreg.api.ModuleRegistry;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * What every Pax Exam test shares: a real Felix with SCR, Config Admin, Event Admin, Metatype,
 * Gogo and the modreg bundles just built in this reactor; a working directory per test class.
 */
public abstract class ModregTestSupport {

    /** The registry's configuration PID. */
    static final String PID = "org.modreg.registry";

    @Inject
    protected BundleContext context;

    @Inject
    protected ModuleRegistry registry;

    @Configuration
    public Option[] config() {
        File dir = new File(System.getProperty("bundles.dir", "target/bundles"));
        File[] jars = dir.listFiles((d, n) -> n.endsWith(".jar"));
        if (jars == null || jars.length == 0) {
            throw new IllegalStateException("no bundles in " + dir.getAbsolutePath() + "; run mvn verify");
        }
        Arrays.sort(jars);
        List<Option> bundles = new ArrayList<>();
        for (File jar : jars) {
            bundles.add(bundle(jar.toURI().toString()));
        }
        String work = System.getProperty("paxexam.work.dir", "target/paxexam");
        // each run starts from nothing: the database and the deploy directory outlive a run otherwise
        deleteTree(Path.of(work, getClass().getSimpleName() + "-data"));
        deleteTree(Path.of(work, getClass().getSimpleName() + "-deploy"));
        return options(
                workingDirectory(work + "/" + getClass().getSimpleName()),
                cleanCaches(true),
                junitBundles(),
                frameworkProperty("org.apache.felix.eventadmin.LogLevel").value("1"),
                frameworkProperty("felix.log.level").value("0"),
                frameworkProperty("modreg.data").value(work + "/" + getClass().getSimpleName() + "-data"),
                systemProperty("dist.dir").value(System.getProperty("dist.dir", "../runtime/target/modreg")),
                systemProperty("corpus.dir").value(System.getProperty("corpus.dir", "target/corpus")),
                composite(bundles.toArray(new Option[0])));
    }

    private static void deleteTree(Path root) {
        if (!java.nio.file.Files.exists(root)) {
            return;
        }
        try (var walk = java.nio.file.Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(p);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot clean " + root, e);
        }
    }

    /**
     * Empties the deploy directory (applied at once) and uninstalls the modules whose id starts
     * with one of the prefixes: what a test class deployed and installed.
     */
    protected void clean(org.modreg.api.ModuleDeployer deployer, String... prefixes) throws Exception {
        for (Path p : java.nio.file.Files.list(deployer.directory()).toList()) {
            java.nio.file.Files.delete(p);
        }
        deployer.scan();
        for (org.osgi.framework.Bundle b : context.getBundles()) {
            for (String prefix : prefixes) {
                if (b.getSymbolicName() != null && b.getSymbolicName().startsWith(prefix)) {
                    b.uninstall();
                    break;
                }
            }
        }
    }

    /** @return the jar of an example bundle, from the runtime distribution */
    protected static Path example(String name) {
        Path p = Path.of(System.getProperty("dist.dir"), "examples", name + ".jar").toAbsolutePath();
        if (!p.toFile().isFile()) {
            throw new IllegalStateException("no example " + p);
        }
        return p;
    }

    /**
     * Sets the registry's lifecycle timeout through Config Admin and waits until the component
     * runs with it (DS publishes configuration properties on the service).
     */
    protected void lifecycleTimeout(long millis) throws Exception {
        ServiceReference<ConfigurationAdmin> ref = context.getServiceReference(ConfigurationAdmin.class);
        assertNotNull("Config Admin", ref);
        org.osgi.service.cm.Configuration c = context.getService(ref).getConfiguration(PID, "?");
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("lifecycle.timeout", millis);
        c.update(props);
        await("lifecycle.timeout = " + millis, () -> {
            // the registry component's own properties (the API services are views of it), looked up by name
            try {
                ServiceReference<?>[] r = context.getAllServiceReferences(null, "(component.name=org.modreg.core.ModuleRegistryImpl)");
                return r != null && Long.valueOf(millis).equals(r[0].getProperty("lifecycle.timeout"));
            } catch (org.osgi.framework.InvalidSyntaxException e) {
                throw new AssertionError(e);
            }
        });
    }

    /** Waits up to 10 s for a condition that becomes true asynchronously (events, configuration). */
    protected static void await(String what, BooleanSupplier condition) throws InterruptedException {
        await(what, condition, 10);
    }

    /** Waits up to the given seconds for a condition (speed is for the benchmarks; tests wait generously). */
    protected static void await(String what, BooleanSupplier condition, int seconds) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
