package org.modreg.core.wiring;

import org.modreg.core.ModuleRegistryImpl;

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
 * The {@link ModuleWiring} service: {@link ModuleRegistryImpl}'s checks and graph, registered
 * under the API interface alone. Registered together with the implementation class, the service
 * was hidden from any bundle that sees another copy of {@code org.modreg.core} (a host with the
 * core jar on its class path, as the benchmarks have): the framework filters a service out for a
 * bundle that cannot see each of its classes as the registering bundle does.
 */
@Component(service = ModuleWiring.class)
public final class WiringView implements ModuleWiring {

    private final ModuleRegistryImpl registry;

    @Activate
    public WiringView(@Reference ModuleRegistryImpl registry) {
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
        return registry.check(ref);
    }

    @Override
    public List<Dependency> dependencies(String ref, boolean transitive) {
        return registry.dependencies(ref, transitive);
    }

    @Override
    public List<Dependency> dependents(String ref, boolean transitive) {
        return registry.dependents(ref, transitive);
    }

    @Override
    public List<WireInfo> why(String from, String to) {
        return registry.why(from, to);
    }

    @Override
    public DependencyGraph graph() {
        return registry.graph();
    }

    @Override
    public DependencyGraph graph(String ref) {
        return registry.graph(ref);
    }
}
