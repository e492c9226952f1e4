package org.modreg.core;

import java.util.List;

import org.modreg.api.ModuleSource;
import org.modreg.api.ModuleWiring;
import org.modreg.api.dto.CheckReport;
import org.modreg.api.dto.Dependency;
import org.modreg.api.dto.DependencyGraph;
import org.modreg.api.dto.WireInfo;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@link ModuleWiring} service: the {@link Registry}'s checks and graphs, registered under the
 * API interface alone. Registered together with an implementation class, the service was hidden
 * from any bundle that sees another copy of {@code org.modreg.core} (a host with the core jar on
 * its class path, as the benchmarks have): the framework filters a service out for a bundle that
 * cannot see each of its classes as the registering bundle does.
 */
@Component(service = ModuleWiring.class)
public final class WiringView implements ModuleWiring {

    private final Registry registry;

    @Activate
    public WiringView(@Reference Registry registry) {
        this.registry = registry;
    }

    @Override
    public CheckReport check(ModuleSource source) {
        return registry.check(source);
    }

    @Override
    public CheckReport checkUpdate(String ref, ModuleSource source) {
        return registry.checkUpdate(ref, source);
    }

    @Override
    public CheckReport check(String ref) {
        return registry.graphs().check(ref);
    }

    @Override
    public List<Dependency> dependencies(String ref, boolean transitive) {
        return registry.graphs().reach(ref, true, transitive);
    }

    @Override
    public List<Dependency> dependents(String ref, boolean transitive) {
        return registry.graphs().reach(ref, false, transitive);
    }

    @Override
    public List<WireInfo> why(String from, String to) {
        return registry.graphs().why(from, to);
    }

    @Override
    public DependencyGraph graph() {
        return registry.graphs().graph();
    }

    @Override
    public DependencyGraph graph(String ref) {
        return registry.graphs().graph(ref);
    }
}
