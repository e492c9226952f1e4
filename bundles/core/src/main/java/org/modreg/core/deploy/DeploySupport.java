package org.modreg.core.deploy;

import org.modreg.core.update.RolledBackException;

import java.util.List;

import org.modreg.api.ModuleSource;
import org.modreg.api.dto.CheckReport;
import org.modreg.api.dto.Module;

/**
 * What the deployer needs of the registry beyond its public API: a safe update that keeps a
 * version running, a check of several jars together, and the effect of a removal. Implemented by
 * the registry component; not a service (see {@link Deployer}).
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
    public Module replace(String ref, ModuleSource source);

    /**
     * Updates several modules as {@link #replace} does, each on its own (one failure does not stop
     * the others), but retires all the old versions together, with one refresh.
     *
     * @param updates module reference and new jar, in order
     * @return one result an update, in order
     */
    public List<Replaced> replaceAll(List<java.util.Map.Entry<String, ModuleSource>> updates);

    /**
     * What became of one update of {@link #replaceAll}.
     *
     * @param ref    the module
     * @param source the new jar
     * @param module the module after the update; null if it failed
     * @param error  why it failed: refused, or rolled back ({@link RolledBackException})
     */
    public record Replaced(String ref, ModuleSource source, Module module, org.modreg.api.ModuleException error) {
    }

    /**
     * Checks jars as new modules all installed together, each against the installed modules and
     * the others.
     *
     * @param sources the jars
     * @return one report a jar, in order
     */
    public List<CheckReport> checkAll(List<ModuleSource> sources);

    /**
     * Installs jars together: each is read and validated once, all are checked together (they may
     * need each other), and those that would resolve are installed, not started.
     *
     * @param sources the jars
     * @return one result a jar, in order
     */
    public List<Batch> installAll(List<ModuleSource> sources);

    /**
     * What became of one jar of {@link #installAll}.
     *
     * @param source the jar
     * @param module the installed module; null if it was not installed
     * @param report the wiring check's report; null if the jar was not valid
     * @param error  why it was not installed, if not for the report
     */
    public record Batch(ModuleSource source, Module module, CheckReport report, org.modreg.api.ModuleException error) {
    }

    /**
     * Adds an error to a module's history without marking it FAILED: an update the deployer
     * refused before anything changed, which the running version survives.
     *
     * @param ref       the module
     * @param operation what failed, as in {@link org.modreg.api.dto.ModuleError#operation()}
     * @param message   why
     */
    public void recordError(String ref, String operation, String message);

    /**
     * What uninstalling a module would leave without a provider.
     *
     * @param ref the module
     * @return the modules wired to it that would not resolve again, with what they would miss
     */
    public List<CheckReport.Impact> removalImpact(String ref);
}
