package org.modreg.api;

import java.util.List;
import java.util.Optional;

import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleMark;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Lifecycle marks and retention: retiring modules cleanly.
 *
 * <ul>
 * <li><b>deprecate</b>: the module still works; {@code list}, {@code find} and {@code info} show the
 * mark, and each consumer that looks up one of its services is warned once (a log warning);</li>
 * <li><b>archive</b>: the module is stopped and kept installed, with its history, and cannot be
 * started until it is unarchived; archived modules are deleted after the configured number of
 * days (configuration {@code org.modreg.retention}, {@code archived.days});</li>
 * <li><b>delete</b>: every installed version is uninstalled and its kept bytes removed; the audit
 * trail and the version history stay. Refused while other modules depend on it, unless forced.</li>
 * </ul>
 * Retention keeps the bytes of the newest N versions of each module (configuration
 * {@code versions}), besides the installed ones, and removes older ones from the content store.
 * Marks are kept in modreg's database and written to the audit trail.
 *
 * <p>Threading: every method may be called from any thread.
 */
@ProviderType
public interface ModuleLifecycle {

    /**
     * @param moduleId    an installed module's id
     * @param reason      why; may be empty
     * @param replacement the module id to use instead; null if none
     * @return the mark
     * @throws ModuleNotFoundException if no module has that id
     */
    ModuleMark deprecate(String moduleId, String reason, String replacement);

    /**
     * Stops the module (every installed version) and marks it archived.
     *
     * @param moduleId an installed module's id
     * @param reason   why; may be empty
     * @return its installed versions, after they stopped
     * @throws ModuleNotFoundException if no module has that id
     */
    List<Module> archive(String moduleId, String reason);

    /**
     * Removes a mark (deprecated or archived); an unarchived module stays stopped until started.
     *
     * @param moduleId a module id
     * @return the mark removed, if there was one
     * @throws ModuleNotFoundException if the module is neither marked nor installed
     */
    Optional<ModuleMark> unmark(String moduleId);

    /**
     * Deletes a module: uninstalls every installed version and removes its kept bytes.
     *
     * @param moduleId a module id
     * @param force    delete even if other modules are wired to it (they are left unresolved)
     * @return the modules uninstalled
     * @throws LifecycleException      if other modules depend on it and {@code force} is false; nothing changed
     * @throws ModuleNotFoundException if the id is neither installed nor in the history
     */
    List<Module> delete(String moduleId, boolean force);

    /** @return the mark of a module, if it has one */
    Optional<ModuleMark> mark(String moduleId);

    /** @return every mark, by module id */
    List<ModuleMark> marks();

    /**
     * Applies retention now (it also runs a minute after the start, then daily): kept bytes beyond the newest
     * versions of each module are removed, and modules archived longer than allowed are deleted.
     *
     * @return one line per file removed or module deleted
     */
    List<String> retain();

    /**
     * A view of this service whose operations are audited with the given origin instead of the
     * caller's own. It is for doors into the container that act for someone they authenticated:
     * the HTTP plane passes {@code http:<user>}, so that the audit trail names the user, not the
     * bundle. The origin is recorded as given; it grants nothing. Reads are unaffected.
     *
     * @param origin the origin to audit operations under, for example {@code http:alice}
     * @return a view of the same lifecycle service
     * @throws IllegalArgumentException if the origin is blank
     * @since 1.2
     */
    ModuleLifecycle as(String origin);
}
