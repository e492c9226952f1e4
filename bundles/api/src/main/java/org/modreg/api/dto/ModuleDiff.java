package org.modreg.api.dto;

import java.util.List;

import org.osgi.framework.Version;

/**
 * What changed between two versions of a module: its manifest (capabilities and requirements,
 * among them exported and imported packages and services), and the API of each exported package
 * as bnd's baselining sees it in the class files.
 *
 * @param moduleId the module id
 * @param from     the older version
 * @param to       the newer version
 * @param changes  manifest-level changes, by namespace then name
 * @param packages the baseline of each exported package of either version
 */
public record ModuleDiff(String moduleId, Version from, Version to, List<Change> changes, List<PackageBaseline> packages) {

    public ModuleDiff {
        changes = List.copyOf(changes);
        packages = List.copyOf(packages);
    }

    /**
     * One capability or requirement added, removed or changed.
     *
     * @param kind      {@code added}, {@code removed} or {@code changed}
     * @param type      {@code capability} or {@code requirement}
     * @param namespace its namespace ({@code osgi.wiring.package}, {@code osgi.service}, ...)
     * @param name      what it is: a package name, a service interface, a capability name, a filter
     * @param before    its attributes (a requirement: its filter) before; null if added
     * @param after     its attributes after; null if removed
     */
    public record Change(String kind, String type, String namespace, String name, String before, String after) {
    }

    /**
     * The API change of one exported package, by bnd's baselining.
     *
     * @param packageName the package
     * @param delta       bnd's delta: {@code UNCHANGED}, {@code MICRO}, {@code MINOR}, {@code MAJOR},
     *                    {@code ADDED} or {@code REMOVED}
     * @param previous    its version in the older module; null if it was not exported
     * @param declared    its version in the newer module; null if it is not exported any more
     * @param suggested   the version the change needs
     * @param mismatch    whether the declared version is lower than the change needs: consumers that
     *                    import the package by its old range would break without knowing
     */
    public record PackageBaseline(String packageName, String delta, Version previous, Version declared, Version suggested,
            boolean mismatch) {
    }

    /** @return whether an exported package changed in a way that breaks its consumers (MAJOR, or REMOVED) */
    public boolean breaking() {
        return packages.stream().anyMatch(p -> p.delta().equals("MAJOR") || p.delta().equals("REMOVED"));
    }

    /** @return whether a package's declared version is lower than its change needs */
    public boolean mismatched() {
        return packages.stream().anyMatch(PackageBaseline::mismatch);
    }
}
