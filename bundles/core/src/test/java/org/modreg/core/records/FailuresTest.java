package org.modreg.core.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleException;

public class FailuresTest {

    @Test
    void missingPackageInPlainWordsFirst() {
        String felix = "Unable to resolve org.x [7](R 7.0): missing requirement [org.x [7](R 7.0)] osgi.wiring.package; "
                + "(&(osgi.wiring.package=org.nowhere)(version>=1.0.0)(!(version>=2.0.0))) Unresolved requirements: "
                + "[[org.x [7](R 7.0)] osgi.wiring.package; (&(osgi.wiring.package=org.nowhere)(version>=1.0.0)(!(version>=2.0.0)))]";
        String plain = Failures.unresolved(felix);
        assertTrue(plain.startsWith("cannot resolve: needs package org.nowhere (version>=1.0.0 !(version>=2.0.0)), which no module provides ["),
                plain);
        assertTrue(plain.endsWith(felix + "]"));
    }

    @Test
    void packageWithoutVersion() {
        String felix = "Unable to resolve a [36](R 36.0): missing requirement [a [36](R 36.0)] osgi.wiring.package; "
                + "(osgi.wiring.package=org.apache.felix.utils.version) Unresolved requirements: [[a [36](R 36.0)] "
                + "osgi.wiring.package; (osgi.wiring.package=org.apache.felix.utils.version)]";
        assertTrue(Failures.unresolved(felix).startsWith("cannot resolve: needs package org.apache.felix.utils.version, which"));
    }

    @Test
    void theRootCauseOfAChainIsBlamed() {
        String felix = "Unable to resolve a [5](R 5.0): missing requirement [a [5](R 5.0)] osgi.wiring.package; "
                + "(osgi.wiring.package=b.api) [caused by: Unable to resolve b [6](R 6.0): missing requirement [b [6](R 6.0)] "
                + "osgi.extender; (osgi.extender=osgi.component)] Unresolved requirements: [[a [5](R 5.0)] osgi.wiring.package; "
                + "(osgi.wiring.package=b.api)]";
        assertTrue(Failures.unresolved(felix).startsWith("cannot resolve: needs extender osgi.component, which"),
                Failures.unresolved(felix));
    }

    @Test
    void unknownTextIsKept() {
        assertEquals("cannot resolve: something odd", Failures.unresolved("something odd"));
    }

    @Test
    void activatorErrorsNameTheirCause() {
        BundleException e = new BundleException("Activator start error in bundle x [3].", BundleException.ACTIVATOR_ERROR,
                new IllegalStateException("no database"));
        assertEquals("its activator threw java.lang.IllegalStateException: no database", Failures.reason(e));
    }

    @Test
    void serviceAndCustomNamespaces() {
        assertEquals("service org.x.Api", Failures.describe("osgi.service", "(objectClass=org.x.Api)"));
        assertEquals("capability modreg.capability markdown",
                Failures.describe("modreg.capability", "(modreg.capability=markdown)"));
    }
}
