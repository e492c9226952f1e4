package org.modreg.api;

import java.util.List;

import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleDiff;
import org.modreg.api.dto.ModuleVersion;
import org.modreg.api.dto.VerifyReport;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The versions a module has had, and going back to one of them.
 *
 * <p>Every version installed or updated to is a row of the history, kept in modreg's database,
 * and its bytes stay in the content store (by SHA-256), so that any of them can be rolled back to.
 * A released version is immutable: installing or updating to an id and version that had other
 * bytes before is refused ({@link DuplicateModuleException}) unless forced; versions whose
 * qualifier ends with {@code SNAPSHOT} are exempt, as in Maven.
 *
 * <p>Threading: every method may be called from any thread.
 */
@ProviderType
public interface ModuleHistory {

    /**
     * @param moduleId a module id
     * @return its history, oldest first; empty if the id never was installed
     */
    List<ModuleVersion> history(String moduleId);

    /**
     * Updates a module back to a kept version, through the safe update pipeline: the wiring check
     * first, the new version started beside the running one when it can be, rolled back again if
     * it does not start. A module deployed from the deploy directory gets the kept bytes written
     * to its file, so that the directory and the module agree.
     *
     * @param moduleId the module (one version of it installed)
     * @param version  the version to go back to; null for the one before the installed version
     * @return the module after the rollback
     * @throws ModuleNotFoundException     if the module is not installed, or no kept version matches
     * @throws UnresolvableModuleException if the kept version would not resolve, or would break a consumer
     * @throws LifecycleException          if it does not start (the running version stays)
     */
    Module rollback(String moduleId, String version);

    /**
     * The best version of a module within a range: the highest kept or installed version in it.
     *
     * @param moduleId a module id
     * @param range    an OSGi version range, such as {@code [1.2,2)}, or a version (at least that)
     * @return the highest matching version; if several bytes carried it, the installed ones, else the latest
     * @throws InvalidQueryException   if the range is not a valid OSGi version range
     * @throws ModuleNotFoundException if no kept or installed version is in the range
     */
    ModuleVersion resolve(String moduleId, String range);

    /**
     * Compares two kept versions of a module: a manifest-level diff of its capabilities and
     * requirements (exported and imported packages, services, generic capabilities), and bnd's
     * baselining of each exported package's API, with the version bump the change needs against
     * the one declared.
     *
     * @param moduleId a module id
     * @param from     the older version
     * @param to       the newer version
     * @return the differences
     * @throws ModuleNotFoundException if either version is not kept
     * @throws InvalidQueryException   if a version is not a version
     */
    ModuleDiff diff(String moduleId, String from, String to);

    /**
     * Hashes again the content store's copies of the kept versions and of the installed modules
     * (each module installed through modreg has its bytes there), and names each copy whose bytes
     * no longer match the digest it is stored under, or that is missing. The framework's own copy
     * of an installed bundle, in its cache, is not read.
     *
     * @param moduleId only this module's; null for all
     * @return what was checked and each mismatch
     */
    VerifyReport verify(String moduleId);

    /**
     * A view of this service whose operations are audited with the given origin instead of the
     * caller's own. It is for doors into the container that act for someone they authenticated:
     * the HTTP plane passes {@code http:<user>}, so that the audit trail names the user, not the
     * bundle. The origin is recorded as given; it grants nothing. Reads are unaffected.
     *
     * @param origin the origin to audit operations under, for example {@code http:alice}
     * @return a view of the same history
     * @throws IllegalArgumentException if the origin is blank
     * @since 1.2
     */
    ModuleHistory as(String origin);
}
