package org.modreg.api;

import java.time.Instant;
import java.util.List;

import org.modreg.api.dto.AuditEntry;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The audit trail: every install, start, stop, update, uninstall, refresh and rollback made
 * through modreg (the registry API, the shell, the deploy directory), with its origin and result,
 * kept in modreg's database across restarts.
 *
 * <p>Entries are written as operations end, by a writer thread; a read sees every operation
 * that ended before it was called.
 *
 * <p>Threading: every method may be called from any thread.
 */
@ProviderType
public interface ModuleAudit {

    /**
     * @param moduleId only this module's entries; null for all
     * @param since    only entries at or after this time; null for all
     * @param limit    at most this many entries, the newest ones; 0 or less for no limit
     * @return the matching entries, oldest first
     */
    List<AuditEntry> trail(String moduleId, Instant since, int limit);

    /**
     * Writes an entry that is no module operation, for the doors into the container: a refused
     * login, a command run for a remote user. Module operations are written by the registry
     * itself; this is not needed for them.
     *
     * @param origin    who: {@code http:alice}, {@code http} for someone not known
     * @param operation what: {@code login}, {@code command}, ...
     * @param result    how it ended
     * @param target    what it was about: a request line, a command; may be null
     * @param error     why it failed or was refused; null if it did not
     * @since 1.2
     */
    void record(String origin, String operation, AuditEntry.Result result, String target, String error);
}
