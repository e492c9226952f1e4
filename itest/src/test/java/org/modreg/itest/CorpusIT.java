package org.modreg.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.modreg.api.ModuleSource;
import org.modreg.api.ModuleWiring;
import org.modreg.api.dto.CheckReport;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The wiring check agrees with reality: real bundles from Maven Central (commons, Jackson, SLF4J
 * with its ServiceLoader requirements, Aries SPI Fly and ASM, Jetty, Guava, commons-compress) are
 * installed in several orders and with pieces left out. Before each install the check predicts
 * whether the jar resolves; then the framework installs and resolves it, without the registry in
 * between; the two must agree. At the end of each scenario every module still unresolved is
 * checked as installed, and resolved for real, again. Then a downgrade that breaks a consumer is
 * checked as an update and done for real.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CorpusIT extends ModregTestSupport {

    @Inject
    protected ModuleWiring wiring;

    private static List<File> corpus() {
        File dir = new File(System.getProperty("corpus.dir", "target/corpus"));
        File[] jars = dir.listFiles((d, n) -> n.endsWith(".jar") && !n.startsWith("jackson-core-2.13"));
        if (jars == null || jars.length < 20) {
            throw new IllegalStateException("no corpus in " + dir.getAbsolutePath() + "; run mvn verify");
        }
        Arrays.sort(jars);
        return List.of(jars);
    }

    private static List<File> without(List<File> all, String... prefixes) {
        Predicate<File> left = f -> Arrays.stream(prefixes).anyMatch(p -> f.getName().startsWith(p));
        return all.stream().filter(left.negate()).toList();
    }

    @Test
    public void theCheckAgreesWithTheFrameworkInEveryScenario() throws Exception {
        List<File> all = corpus();
        List<File> reversed = new ArrayList<>(all);
        Collections.reverse(reversed);
        List<List<File>> scenarios = new ArrayList<>();
        scenarios.add(all);
        scenarios.add(reversed);
        for (long seed : new long[] { 1, 2, 3 }) {
            List<File> shuffled = new ArrayList<>(all);
            Collections.shuffle(shuffled, new Random(seed));
            scenarios.add(shuffled);
        }
        scenarios.add(without(all, "org.apache.aries.spifly"));
        scenarios.add(without(all, "asm-commons", "asm-util"));
        scenarios.add(without(all, "jackson-core"));
        scenarios.add(without(all, "commons-lang3"));
        scenarios.add(without(all, "slf4j-simple"));
        scenarios.add(without(reversed, "jetty-io", "failureaccess"));

        List<String> disagreements = new ArrayList<>();
        int predictions = 0;
        int refused = 0;
        FrameworkWiring fw = context.getBundle(0).adapt(FrameworkWiring.class);
        for (int s = 0; s < scenarios.size(); s++) {
            List<Bundle> installed = new ArrayList<>();
            try {
                for (File jar : scenarios.get(s)) {
                    CheckReport predicted = wiring.check(ModuleSource.of(jar.toPath()));
                    Bundle b = context.installBundle(jar.toURI().toString());
                    installed.add(b);
                    boolean actual = fw.resolveBundles(List.of(b));
                    predictions++;
                    refused += predicted.resolvable() ? 0 : 1;
                    if (predicted.resolvable() != actual) {
                        disagreements.add("scenario " + s + ", install " + jar.getName() + ": predicted "
                                + predicted.resolvable() + ", framework " + actual + "\n" + predicted.describe());
                    }
                }
                for (Bundle b : installed) {
                    if (b.getState() == Bundle.INSTALLED) {
                        CheckReport predicted = wiring.check(Long.toString(b.getBundleId()));
                        boolean actual = fw.resolveBundles(List.of(b));
                        predictions++;
                        if (predicted.resolvable() != actual) {
                            disagreements.add("scenario " + s + ", installed " + b.getSymbolicName() + ": predicted "
                                    + predicted.resolvable() + ", framework " + actual + "\n" + predicted.describe());
                        }
                    }
                }
            } finally {
                for (Bundle b : installed) {
                    b.uninstall();
                }
                refresh(fw);
            }
        }
        assertEquals("disagreements in " + predictions + " predictions", "", String.join("\n\n", disagreements));
        assertTrue("the scenarios include refusals: " + refused, refused > 5);
        assertTrue("and acceptances", predictions - refused > 100);
    }

    @Test
    public void aDowngradeThatBreaksAConsumerIsPredicted() throws Exception {
        File dir = new File(System.getProperty("corpus.dir", "target/corpus"));
        FrameworkWiring fw = context.getBundle(0).adapt(FrameworkWiring.class);
        List<Bundle> bundles = new ArrayList<>();
        for (String jar : List.of("jackson-core-2.17.2", "jackson-annotations-2.17.2", "jackson-databind-2.17.2", "commons-lang3-3.14.0")) {
            bundles.add(context.installBundle(new File(dir, jar + ".jar").toURI().toString()));
        }
        Bundle core = bundles.get(0);
        Bundle databind = bundles.get(2);
        Bundle lang = bundles.get(3);
        try {
            assertTrue(fw.resolveBundles(null));
            Path old = new File(dir, "jackson-core-2.13.5.jar").toPath();
            CheckReport r = wiring.checkUpdate(Long.toString(core.getBundleId()), ModuleSource.of(old));
            assertTrue(r.describe(), r.resolvable());
            assertEquals(r.describe(), List.of(databind.getBundleId()), r.refreshed().stream().map(CheckReport.Impact::bundleId).toList());
            assertEquals(r.describe(), List.of(databind.getBundleId()), r.broken().stream().map(CheckReport.Impact::bundleId).toList());
            assertTrue(r.describe(), r.broken().get(0).reason().contains("would miss 9 packages 2.17.0 or later, before 3.0.0: "
                    + "com.fasterxml.jackson.core, com.fasterxml.jackson.core.base, "));

            try (var in = java.nio.file.Files.newInputStream(old)) {
                core.update(in);
            }
            refresh(fw);
            fw.resolveBundles(null);
            assertEquals("jackson-databind no longer resolves, as predicted", Bundle.INSTALLED, databind.getState());
            assertEquals(Bundle.RESOLVED, core.getState());
            assertEquals("commons-lang3 was not touched", Bundle.RESOLVED, lang.getState());
        } finally {
            for (Bundle b : bundles) {
                b.uninstall();
            }
            refresh(fw);
        }
    }

    private static void refresh(FrameworkWiring fw) throws InterruptedException {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        fw.refreshBundles(null, e -> done.countDown());
        assertTrue(done.await(30, java.util.concurrent.TimeUnit.SECONDS));
    }
}
