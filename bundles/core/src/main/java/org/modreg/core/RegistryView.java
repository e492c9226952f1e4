package org.modreg.core;

import java.util.List;
import java.util.Optional;

import org.modreg.api.InstallOption;
import org.modreg.api.ModuleQuery;
import org.modreg.api.ModuleRegistry;
import org.modreg.api.ModuleSource;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleMatch;
import org.modreg.api.dto.ServiceMatch;
import org.modreg.core.index.ServiceLookup;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

/**
 * The {@link ModuleRegistry} service as one bundle sees it: a bundle-scoped view of the one
 * {@link Registry}, which passes the caller's {@link Call} with every operation, so that the audit
 * trail says who changed what and the statistics count the registry's look-ups under the module
 * that made them.
 */
@Component(service = ModuleRegistry.class, scope = ServiceScope.BUNDLE)
public final class RegistryView implements ModuleRegistry {

    private final Registry registry;
    private final Call call;

    @Activate
    public RegistryView(ComponentContext context, @Reference Registry registry) {
        this(registry, Call.of(context.getUsingBundle()));
    }

    RegistryView(Registry registry, Call call) {
        this.registry = registry;
        this.call = call;
    }

    @Override
    public ModuleRegistry as(String origin) {
        return new RegistryView(registry, call.as(origin));
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
        return ServiceLookup.ofType(type, registry.services(call, type.getName(), capability, filter));
    }

    @Override
    public List<ServiceMatch<Object>> services(String objectClass, String capability, String filter) {
        restored();
        return registry.services(call, objectClass, capability, filter);
    }

    @Override
    public Module install(ModuleSource source, InstallOption... options) {
        return registry.install(call, source, options);
    }

    @Override
    public Module start(String ref) {
        return registry.start(call, ref);
    }

    @Override
    public Module stop(String ref) {
        return registry.stop(call, ref);
    }

    @Override
    public Module update(String ref, InstallOption... options) {
        return registry.update(call, ref, options);
    }

    @Override
    public Module update(String ref, ModuleSource source, InstallOption... options) {
        return registry.update(call, ref, source, options);
    }

    @Override
    public Module uninstall(String ref) {
        return registry.uninstall(call, ref);
    }

    @Override
    public List<Module> refresh(String... refs) {
        return registry.refresh(call, refs);
    }
}
