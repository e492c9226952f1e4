package org.modreg.core.content;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.modreg.api.DuplicateModuleException;
import org.modreg.api.ModuleSource;
import org.modreg.api.dto.Module;
import org.osgi.framework.Version;

/**
 * Whether a checked jar may come in: a new module must not have the id and version, or the
 * location, of an installed one; and a released version is immutable, so the same id and version
 * with other bytes than before is refused (a version whose qualifier ends with SNAPSHOT is exempt,
 * as in Maven).
 */
public final class Admission {

    /** "id/version" -> the digests it had. Filled from the version history. */
    private final Map<String, Set<String>> versionDigests = new ConcurrentHashMap<>();

    /** The bytes a version had: from the history at start, and from each install or update. */
    public void known(String id, String version, String digest) {
        if (digest != null) {
            versionDigests.computeIfAbsent(id + "/" + version, k -> ConcurrentHashMap.newKeySet()).add(digest);
        }
    }

    /**
     * @param jar       the validated jar
     * @param updating  the module it updates; null for a new module
     * @param installed the modules installed now
     * @param force     a forced jar skips the immutability of versions, not the duplicates
     * @throws DuplicateModuleException if it may not come in
     */
    public void admit(ModuleSource source, ValidatedJar jar, Module updating, Collection<Module> installed, boolean force) {
        duplicates(source, jar, updating, installed);
        if (!force) {
            immutable(source, jar);
        }
    }

    private static void duplicates(ModuleSource source, ValidatedJar jar, Module updating, Collection<Module> installed) {
        for (Module m : installed) {
            if (updating != null && m.bundleId() == updating.bundleId()) {
                continue;
            }
            if (m.id().equals(jar.id()) && m.version().equals(jar.version())) {
                throw new DuplicateModuleException(source.name() + ": " + jar.id() + " " + jar.version()
                        + " is installed already as bundle " + m.bundleId()
                        + (updating == null ? "; update it instead" : ""), m.bundleId());
            }
            if (updating == null && m.location().equals(source.location())) {
                throw new DuplicateModuleException(source.name() + ": this location is installed already as bundle "
                        + m.bundleId() + " (" + m.ref() + "); update it instead", m.bundleId());
            }
        }
    }

    private void immutable(ModuleSource source, ValidatedJar jar) {
        Version v = jar.version();
        if (v.getQualifier().toUpperCase(Locale.ROOT).endsWith("SNAPSHOT")) {
            return;
        }
        Set<String> before = versionDigests.get(jar.id() + "/" + v);
        if (before != null && !before.contains(jar.digest())) {
            throw new DuplicateModuleException(source.name() + ": " + jar.id() + " " + v + " was installed before with other "
                    + "bytes (sha256 " + before.iterator().next().substring(0, 12) + "..., now " + jar.digest().substring(0, 12)
                    + "...); a released version is immutable: give the new bytes a new version, or force", -1);
        }
    }
}
