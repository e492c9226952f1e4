package org.modreg.core;

import java.util.List;

import org.modreg.api.ModuleSource;
import org.modreg.api.dto.CheckReport;
import org.modreg.api.dto.Module;

/**
 * What the deployer needs of the registry beyond its public API: a safe update that keeps a
 * version running, a check of several jars together, and the effect of a removal. A service of
 * this bundle only (its package is not exported).
 */
public interface DeploySupport {

    /**
     * Updates a module to new bytes with rollback. A running module that is not a singleton gets
     * the new version started beside it, and is retired once the new one is active; if the new
     * one does not resolve or start, it is dropped and the old one never stopped. Otherwise the
     * module is updated in place, and its previous bytes and state are restored if the start
     * fails.
     *
     * @param ref    the module
     * @param source the new jar, whose location becomes the new bundle's
     * @return the module after the update (a new bundle id if the new version ran beside the old)
     * @throws org.modreg.api.UnresolvableModuleException if the check refuses it; nothing changed
     * @throws RolledBackException if it failed and the previous version was kept or put back
     */
    Module replace(String ref, ModuleSource source);

    /**
     * Checks jars as new modules all installed together, each against the installed modules and
     * the others.
     *
     * @param sources the jars
     * @return one report a jar, in order
     */
    List<CheckReport> checkAll(List<ModuleSource> sources);

    /**
     * Installs a jar that {@link #checkAll} found resolvable together with others, without
     * checking it again alone (before the others are installed it would not resolve). It is
     * validated like any install.
     *
     * @param source the jar
     * @return the installed module, not started
     */
    Module installChecked(ModuleSource source);

    /**
     * What uninstalling a module would leave without a provider.
     *
     * @param ref the module
     * @return the modules wired to it that would not resolve again, with what they would miss
     */
    List<CheckReport.Impact> removalImpact(String ref);
}
