package org.modreg.api;

import java.nio.file.Path;
import java.util.List;

import org.modreg.api.dto.DeployPlan;
import org.modreg.api.dto.DeployResult;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The deploy directory: the way plugins reach a running container. Jars dropped into the
 * directory are deployed, changed jars update their module, deleted jars undeploy it; the same
 * pipeline serves the shell and this API.
 *
 * <p><b>Identity is the content.</b> A file is acted on once its bytes are complete (unchanged
 * for a moment and a readable zip) and its SHA-256 differs from what was last deployed from it:
 * touching a file does nothing, and a file being written is never read half-way.
 *
 * <p><b>Updates are safe.</b> The wiring check runs first; an update that would not resolve, or
 * would leave a module wired to the old version unresolved, is refused and nothing changes. A
 * running module is updated by starting the new version beside the old one and retiring the old
 * one only once the new one is {@code ACTIVE}: there is always a version running, and a new
 * version that fails to start (or hangs past the lifecycle timeout) is dropped while the old one
 * keeps serving. A singleton (which cannot run twice) or a module that is not running is updated
 * in place; if its start then fails, its previous bytes and state are restored.
 *
 * <p>Every failure names the file and the reason, goes into the module's error history when
 * there is a module, and is posted on {@link ModuleEvents#TOPIC_DEPLOY_FAILED} or
 * {@link ModuleEvents#TOPIC_ROLLED_BACK}.
 *
 * <p>Threading: calls may come from any thread; deploy operations are applied one at a time.
 */
@ProviderType
public interface ModuleDeployer {

    /** @return the deploy directory, absolute */
    Path directory();

    /**
     * Copies a jar into the deploy directory (under its own file name, replacing a file of that
     * name) and deploys it at once: installs and starts it, or updates the module deployed from
     * that file.
     *
     * @param source the jar
     * @return what was done
     */
    DeployResult deploy(ModuleSource source);

    /**
     * What {@link #deploy(ModuleSource)} would do, touching nothing.
     *
     * @param source the jar
     * @return the plan: install, update, refresh, with reasons; or why it would be refused
     */
    DeployPlan plan(ModuleSource source);

    /**
     * What a scan of the deploy directory would do now: files to install, update or undeploy,
     * touching nothing.
     *
     * @return the plan
     */
    DeployPlan plan();

    /**
     * Deletes the file of a module deployed from the directory and undeploys it: stop,
     * uninstall, refresh what was wired to it.
     *
     * @param ref the module
     * @return what was done, with the dependents left without a provider
     * @throws ModuleNotFoundException if no module matches, or it was not deployed from the directory
     */
    DeployResult undeploy(String ref);

    /**
     * Reads the file of a deployed module again and applies it through the safe update, even if
     * its bytes did not change (the module is then restarted).
     *
     * @param ref the module
     * @return what was done
     */
    DeployResult reload(String ref);

    /**
     * Applies the directory now, as the watcher does when it sees changes.
     *
     * @return what was done, one result per file acted on
     */
    List<DeployResult> scan();

    /**
     * A view of this service whose operations are audited with the given origin instead of the
     * caller's own. It is for doors into the container that act for someone they authenticated:
     * the HTTP plane passes {@code http:<user>}, so that the audit trail names the user, not the
     * bundle. The origin is recorded as given; it grants nothing. Reads are unaffected.
     *
     * @param origin the origin to audit operations under, for example {@code http:alice}
     * @return a view of the same deployer
     * @throws IllegalArgumentException if the origin is blank
     * @since 1.2
     */
    ModuleDeployer as(String origin);
}
