package org.modreg.core;

import org.modreg.core.audit.Origin;

import java.util.List;
import java.util.Optional;

import org.modreg.api.InstallOption;
import org.modreg.api.ModuleQuery;
import org.modreg.api.ModuleRegistry;
import org.modreg.api.ModuleSource;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleMatch;
import org.modreg.api.dto.ServiceMatch;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

/**
 * The {@link ModuleRegistry} service as one bundle sees it: a bundle-scoped view of the one
 * {@link ModuleRegistryImpl}, which knows its caller, so that the audit trail says who changed
 * what ({@link Origin}) and the statistics count the registry's look-ups under the module that
 * made them.
 */
@Component(service = ModuleRegistry.class, scope = ServiceScope.BUNDLE)
public final class RegistryView implements ModuleRegistry {

    private final ModuleRegistryImpl registry;
    private final String origin;
    private final String consumer;

    @Activate
    public RegistryView(ComponentContext context, @Reference ModuleRegistryImpl registry) {
        this.registry = registry;
        this.origin = Origin.of(context.getUsingBundle());
        this.consumer = context.getUsingBundle() == null ? null : context.getUsingBundle().getSymbolicName();
    }

    RegistryView(ModuleRegistryImpl registry, String origin, String consumer) {
        this.registry = registry;
        this.origin = origin;
        this.consumer = consumer;
    }

    @Override
    public ModuleRegistry as(String origin) {
        return new RegistryView(registry, Origin.checked(origin), consumer);
    }

    /** Reads wait, the first moments of a container's life, until the saved records are read back. */
    private void restored() {
        if (!registry.restored()) {
            registry.awaitRestored();
        }
    }

    @Override
    public List<Module> list() {
        restored();
        return registry.list();
    }

    @Override
    public Module get(String ref) {
        restored();
        return registry.get(ref);
    }

    @Override
    public Optional<Module> get(long bundleId) {
        restored();
        return registry.get(bundleId);
    }

    @Override
    public List<ModuleMatch> find(ModuleQuery query) {
        restored();
        return registry.find(query);
    }

    @Override
    public <T> List<ServiceMatch<T>> services(Class<T> type, String capability, String filter) {
        restored();
        return registry.services(consumer, type, capability, filter);
    }

    @Override
    public List<ServiceMatch<Object>> services(String objectClass, String capability, String filter) {
        restored();
        return registry.services(consumer, objectClass, capability, filter);
    }

    @Override
    public Module install(ModuleSource source, InstallOption... options) {
        return Origin.as(origin, () -> registry.install(source, options));
    }

    @Override
    public Module start(String ref) {
        return Origin.as(origin, () -> registry.start(ref));
    }

    @Override
    public Module stop(String ref) {
        return Origin.as(origin, () -> registry.stop(ref));
    }

    @Override
    public Module update(String ref, InstallOption... options) {
        return Origin.as(origin, () -> registry.update(ref, options));
    }

    @Override
    public Module update(String ref, ModuleSource source, InstallOption... options) {
        return Origin.as(origin, () -> registry.update(ref, source, options));
    }

    @Override
    public Module uninstall(String ref) {
        return Origin.as(origin, () -> registry.uninstall(ref));
    }

    @Override
    public List<Module> refresh(String... refs) {
        return Origin.as(origin, () -> registry.refresh(refs));
    }
}
