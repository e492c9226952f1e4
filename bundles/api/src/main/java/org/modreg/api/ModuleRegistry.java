package org.modreg.api;

import java.util.List;
import java.util.Optional;

import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleMatch;
import org.modreg.api.dto.ServiceMatch;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The registry of modules: every bundle of the framework as a {@link Module} record, and the
 * operations that change them.
 *
 * <h2>What it reflects</h2>
 * Every bundle in the framework is a module, whoever installed it: the launcher at boot, another
 * tool, or code calling {@code BundleContext.installBundle} directly. Records are kept current by
 * bundle and service listeners; reading them never rescans the framework.
 *
 * <h2>References to modules</h2>
 * Operations take a module reference {@code ref}, one of:
 * <ul>
 * <li>a bundle id, for example {@code 12};</li>
 * <li>a module id ({@code Bundle-SymbolicName}), when exactly one version of it is installed,
 *     for example {@code org.modreg.example.text};</li>
 * <li>a module id and version separated by {@code /}, for example
 *     {@code org.modreg.example.text/1.2.0}.</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * The registry is thread safe. Reads ({@link #list()}, {@link #get(String)}) return immutable
 * snapshots without blocking, except in the first moments of a container's life: until the saved
 * records (digests, origins, error histories) have been read back from the database, reads wait
 * for them, so that no caller sees a module without what it is known to have. Lifecycle operations are synchronous: they return when the
 * framework has done the work, and never later than the configured operation timeout. A start
 * that hangs past the timeout is interrupted, the module ends {@link ModuleState#FAILED} and the
 * caller gets a {@link ModuleTimeoutException}; the container and the caller's thread go on.
 *
 * <h2>Errors</h2>
 * Every error is a {@link ModuleException} whose message names the file or the module. A failed
 * operation on an installed module also becomes registry state: the module is
 * {@link ModuleState#FAILED} and the reason is the newest entry of {@link Module#errors()}. A
 * failed operation never changes any other module.
 */
@ProviderType
public interface ModuleRegistry {

    /**
     * Framework property: the URI of the directory the launcher installs its boot bundles from
     * (the distribution's {@code system/}). Modules whose location starts with it are the
     * container's own; the shell refuses to stop or remove them unless forced.
     */
    String BOOT_PROPERTY = "modreg.boot";

    /**
     * Framework property: modreg's own data directory ({@code data/modreg} of the home): the
     * database, the content store, the HTTP plane's token and endpoint files.
     *
     * @since 1.2
     */
    String DATA_PROPERTY = "modreg.data";

    /**
     * Framework property: the deploy directory, unless the deployer's configuration names another.
     *
     * @since 1.2
     */
    String DEPLOY_PROPERTY = "modreg.deploy";

    /**
     * All modules, in bundle id order.
     *
     * @return an immutable snapshot
     */
    List<Module> list();

    /**
     * The module a reference names.
     *
     * @param ref a bundle id, a module id, or {@code id/version}
     * @return the module
     * @throws ModuleNotFoundException  if nothing matches
     * @throws AmbiguousModuleException if a module id without version matches several versions
     */
    Module get(String ref);

    /**
     * The module of a bundle.
     *
     * @param bundleId the bundle id
     * @return the module, or empty if no such bundle is installed
     */
    Optional<Module> get(long bundleId);

    /**
     * Finds modules by what they provide and what they are, from an index kept current by
     * bundle and service events (never a scan of the framework).
     *
     * <p>Results are ranked: keyword relevance first, then version, newest first, then id.
     * {@link ModuleQuery#limit(int)} and {@link ModuleQuery#offset(int)} page through them.
     *
     * @param query the criteria
     * @return the matching modules, each with the capabilities that matched
     */
    List<ModuleMatch> find(ModuleQuery query);

    /**
     * Live services of a type that provide a named capability: registered with the service
     * property {@code modreg.capability} naming it (see
     * {@link org.modreg.api.annotations.Capability}), or registered by a module that declares it
     * as a generic capability ({@code Provide-Capability: modreg.capability;modreg.capability=...}).
     * Only services whose class the type's own class loader can use are returned.
     *
     * @param <T>        the service type
     * @param type       the service interface
     * @param capability the capability name, or {@code null} for any
     * @param filter     an LDAP filter over the service properties, or {@code null}
     * @return the services, best first (highest {@code service.ranking}, then lowest id)
     * @throws InvalidQueryException if the filter is malformed
     */
    <T> List<ServiceMatch<T>> services(Class<T> type, String capability, String filter);

    /**
     * As {@link #services(Class, String, String)}, by interface name, for tools that have no
     * class: the shell, a host program.
     *
     * @param objectClass the service interface name, or {@code null} for any
     * @param capability  the capability name, or {@code null} for any
     * @param filter      an LDAP filter over the service properties, or {@code null}
     * @return the services, best first
     */
    List<ServiceMatch<Object>> services(String objectClass, String capability, String filter);

    /**
     * The best live service of a type that provides a capability: the first of
     * {@link #services(Class, String, String)}.
     *
     * @param <T>        the service type
     * @param type       the service interface
     * @param capability the capability name, or {@code null} for any
     * @param filter     an LDAP filter over the service properties, or {@code null}
     * @return the best service, if there is one
     */
    default <T> Optional<ServiceMatch<T>> service(Class<T> type, String capability, String filter) {
        List<ServiceMatch<T>> all = services(type, capability, filter);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /**
     * Validates and installs a module. Before anything is installed, the jar is checked: it must
     * be a zip with a manifest, a {@code Bundle-SymbolicName}, a valid {@code Bundle-Version},
     * well-formed headers, and no module of the same id and version may be installed. The bytes
     * are kept in the registry's content store by their SHA-256 digest. Then the wiring check
     * ({@link ModuleWiring#check(ModuleSource)}) must find that it would resolve.
     *
     * @param source  the jar
     * @param options {@link InstallOption#START} to start it too; {@link InstallOption#FORCE} to
     *                install it even if it would not resolve
     * @return the installed module (its state after the start, if asked)
     * @throws InvalidModuleException   if the jar fails validation; nothing is installed
     * @throws DuplicateModuleException if the same id and version, or the same location, is
     *                                  installed already; nothing is installed
     * @throws UnresolvableModuleException if the wiring check says it would not resolve, and
     *                                  {@link InstallOption#FORCE} is not given; nothing is installed
     * @throws LifecycleException       if the framework refused it, or it was installed but
     *                                  could not start (it then stays installed, FAILED)
     */
    Module install(ModuleSource source, InstallOption... options);

    /**
     * Starts a module: resolves it if needed and starts it, persistently.
     *
     * @param ref the module
     * @return the module after the start
     * @throws LifecycleException     if it could not resolve or its activator threw
     * @throws ModuleTimeoutException if the start did not end within the timeout
     */
    Module start(String ref);

    /**
     * Stops a module, persistently.
     *
     * @param ref the module
     * @return the module after the stop
     * @throws LifecycleException if its activator threw on stop (the module is stopped anyway)
     */
    Module stop(String ref);

    /**
     * Updates a module from its own location (the file or URL it was installed from). The new
     * bytes are validated like an install, and must keep the module id. The wiring check
     * ({@link ModuleWiring#checkUpdate(String, ModuleSource)}) must find that the new version
     * resolves and that every module wired to the old one resolves again. Then the module and the
     * modules wired to it are refreshed. If the new version fails to start (it throws, or hangs
     * past the lifecycle timeout), its previous bytes are put back and started: the update is
     * rolled back, the module keeps running its previous version, and a {@link LifecycleException}
     * says so.
     *
     * @param ref     the module
     * @param options {@link InstallOption#FORCE} to update even if the check finds a problem
     * @return the module after the update
     * @throws InvalidModuleException      if the new bytes fail validation; nothing changes
     * @throws UnresolvableModuleException if the check finds a problem and {@code FORCE} is not
     *                                     given; nothing changes
     * @throws LifecycleException          if the location cannot be read again, or the update failed
     *                                     (and was rolled back if the previous bytes are known)
     */
    Module update(String ref, InstallOption... options);

    /**
     * Updates a module from other bytes. As {@link #update(String, InstallOption...)}.
     *
     * @param ref     the module
     * @param source  the new jar; its module id must be the module's
     * @param options {@link InstallOption#FORCE} to update even if the check finds a problem
     * @return the module after the update
     */
    Module update(String ref, ModuleSource source, InstallOption... options);

    /**
     * Stops and uninstalls a module, then refreshes the modules that were wired to it.
     *
     * @param ref the module
     * @return the last record of the module, in state {@link ModuleState#UNINSTALLED}
     */
    Module uninstall(String ref);

    /**
     * Refreshes modules: drops stale revisions and rewires the given modules and every module
     * that depends on them. Without references, refreshes the modules that have stale revisions
     * (updated or uninstalled while others were wired to them).
     *
     * @param refs the modules; none for all pending
     * @return the modules that were refreshed, after the refresh
     */
    List<Module> refresh(String... refs);

    /**
     * A view of this service whose operations are audited with the given origin instead of the
     * caller's own. It is for doors into the container that act for someone they authenticated:
     * the HTTP plane passes {@code http:<user>}, so that the audit trail names the user, not the
     * bundle. The origin is recorded as given; it grants nothing. Reads are unaffected.
     *
     * @param origin the origin to audit operations under, for example {@code http:alice}
     * @return a view of the same registry
     * @throws IllegalArgumentException if the origin is blank
     * @since 1.2
     */
    ModuleRegistry as(String origin);
}
