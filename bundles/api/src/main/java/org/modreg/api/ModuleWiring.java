package org.modreg.api;

import java.util.List;

import org.modreg.api.dto.CheckReport;
import org.modreg.api.dto.Dependency;
import org.modreg.api.dto.DependencyGraph;
import org.modreg.api.dto.WireInfo;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Wiring checks and the dependency graph, registered beside the {@link ModuleRegistry}.
 *
 * <p><b>Checks</b> are dry runs of the framework's own resolver (the
 * {@code org.osgi.service.resolver.Resolver} service) against the installed modules and their
 * current wires. They change nothing in the framework, and agree with what the framework does when
 * the module is really installed and resolved. The candidate's requirements and capabilities are
 * read from its manifest.
 *
 * <p><b>Graphs</b> are made from the framework's live wires; an unresolved module contributes its
 * declared requirements, each to the provider the resolver would pick.
 *
 * <p>Threading: every method may be called from any thread; each answers from the framework's
 * state at the time of the call.
 *
 * <p>A reference ({@code ref}) is as in {@link ModuleRegistry#get(String)}.
 */
@ProviderType
public interface ModuleWiring {

    /**
     * Checks a jar as a new module: would it resolve, and if not, why.
     *
     * @param source the jar
     * @return the report
     * @throws InvalidModuleException if the jar is not a valid bundle
     */
    CheckReport check(ModuleSource source);

    /**
     * Checks a jar as the new version of an installed module: would it resolve in place of the
     * current version, which modules wired to the current version would be refreshed (the blast
     * radius), and which of them would not resolve again.
     *
     * @param ref    the installed module
     * @param source the new jar; its module id must be the module's
     * @return the report
     * @throws ModuleNotFoundException if no module matches {@code ref}
     * @throws InvalidModuleException  if the jar is not a valid bundle or has another id
     */
    CheckReport checkUpdate(String ref, ModuleSource source);

    /**
     * Checks an installed module as it is: resolved, or what keeps it from resolving.
     *
     * @param ref the module
     * @return the report
     * @throws ModuleNotFoundException if no module matches {@code ref}
     */
    CheckReport check(String ref);

    /**
     * The modules a module depends on.
     *
     * @param ref        the module
     * @param transitive also what those depend on, and so on
     * @return the dependencies, nearest first, then by bundle id
     */
    List<Dependency> dependencies(String ref, boolean transitive);

    /**
     * The modules that depend on a module.
     *
     * @param ref        the module
     * @param transitive also what depends on those, and so on
     * @return the dependents, nearest first, then by bundle id
     */
    List<Dependency> dependents(String ref, boolean transitive);

    /**
     * Why two modules are tied: the wires between them in either direction, or else the wires
     * along the shortest chain of dependencies from one to the other.
     *
     * @param from one module
     * @param to   the other
     * @return the wires, in chain order; empty if they are not connected
     */
    List<WireInfo> why(String from, String to);

    /** @return the graph of every installed module */
    DependencyGraph graph();

    /**
     * The graph around one module: it, what it depends on and what depends on it, transitively.
     *
     * @param ref the module
     * @return the graph
     */
    DependencyGraph graph(String ref);
}
