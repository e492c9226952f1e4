package org.modreg.core.wiring;

import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.modreg.api.dto.ModuleContent;
import org.modreg.api.dto.ModuleDiff;
import org.modreg.core.content.ValidatedJar;
import org.osgi.framework.Bundle;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;

/**
 * An update whose exported packages, in use by other modules, change their API more than their
 * declared version says (bnd's baselining against the installed bytes): the consumers would
 * resolve against it and may fail at run time. Only packages with consumers are baselined, and
 * only when there are some: an update nobody imports from costs nothing.
 */
public final class ApiWarnings {

    private static final System.Logger LOG = System.getLogger(ApiWarnings.class.getName());

    private ApiWarnings() {
    }

    /**
     * @param installed the bundle being updated
     * @param old       its content (the stored copy is baselined against)
     * @param jar       the new bytes
     * @return one warning per package whose change its version does not say, with its users
     */
    public static List<String> of(Bundle installed, ModuleContent old, ValidatedJar jar) {
        BundleWiring wiring = installed == null ? null : installed.adapt(BundleWiring.class);
        if (!old.isKnown() || old.stored() == null || wiring == null || !Files.isRegularFile(Path.of(old.stored()))) {
            return List.of();
        }
        Map<String, Set<String>> consumers = new TreeMap<>();
        for (BundleWire w : wiring.getProvidedWires(PackageNamespace.PACKAGE_NAMESPACE)) {
            Object pkg = w.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE);
            Bundle user = w.getRequirer().getBundle();
            if (pkg != null && user.getBundleId() != installed.getBundleId()) {
                consumers.computeIfAbsent(pkg.toString(), k -> new TreeSet<>()).add(user.getSymbolicName());
            }
        }
        if (consumers.isEmpty()) {
            return List.of();
        }
        List<String> warnings = new ArrayList<>();
        try {
            for (ModuleDiff.PackageBaseline p : ApiDiff.baseline(Path.of(old.stored()), jar.file())) {
                Set<String> users = consumers.get(p.packageName());
                if (users != null && p.mismatch()) {
                    warnings.add("package " + p.packageName() + " changes its API (" + p.delta() + ": it needs version "
                            + p.suggested() + ") but declares " + (p.declared() == null ? "nothing (it is no longer exported)"
                            : p.declared()) + "; used by " + String.join(", ", users)
                            + ", which would resolve against it and may fail at run time");
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "no API baseline for {0}: {1}", jar.source(), e.toString());
        }
        return warnings;
    }
}
