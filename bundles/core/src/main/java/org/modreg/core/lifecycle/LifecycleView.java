package org.modreg.core.lifecycle;

import org.modreg.core.ModuleRegistryImpl;
import org.modreg.core.audit.Origin;

import java.util.List;
import java.util.Optional;

import org.modreg.api.ModuleLifecycle;
import org.modreg.api.ModuleNotFoundException;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleMark;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

/** The {@link ModuleLifecycle} service as one bundle sees it: its marks and deletes are audited under its caller. */
@Component(service = ModuleLifecycle.class, scope = ServiceScope.BUNDLE)
public final class LifecycleView implements ModuleLifecycle {

    private final Lifecycle lifecycle;
    private final ModuleRegistryImpl registry;
    private final String origin;

    @Activate
    public LifecycleView(ComponentContext context, @Reference Lifecycle lifecycle, @Reference ModuleRegistryImpl registry) {
        this.lifecycle = lifecycle;
        this.registry = registry;
        this.origin = Origin.of(context.getUsingBundle());
    }

    private LifecycleView(Lifecycle lifecycle, ModuleRegistryImpl registry, String origin) {
        this.lifecycle = lifecycle;
        this.registry = registry;
        this.origin = origin;
    }

    @Override
    public ModuleLifecycle as(String origin) {
        return new LifecycleView(lifecycle, registry, Origin.checked(origin));
    }

    public static ModuleMark dto(MarkStore.Mark m) {
        return new ModuleMark(m.moduleId(), ModuleMark.Kind.valueOf(m.mark()), m.reason(), m.replacement(), m.time(), m.origin());
    }

    @Override
    public ModuleMark deprecate(String moduleId, String reason, String replacement) {
        return Origin.as(origin, () -> dto(lifecycle.deprecate(moduleId, reason, replacement)));
    }

    @Override
    public List<Module> archive(String moduleId, String reason) {
        return Origin.as(origin, () -> lifecycle.archive(moduleId, reason));
    }

    @Override
    public Optional<ModuleMark> unmark(String moduleId) {
        return Origin.as(origin, () -> {
            MarkStore.Mark m = registry.unmark(moduleId);
            if (m == null && lifecycle.installed(moduleId).isEmpty()) {
                throw new ModuleNotFoundException(moduleId);
            }
            return Optional.ofNullable(m).map(LifecycleView::dto);
        });
    }

    @Override
    public List<Module> delete(String moduleId, boolean force) {
        return Origin.as(origin, () -> lifecycle.delete(moduleId, force));
    }

    @Override
    public Optional<ModuleMark> mark(String moduleId) {
        return Optional.ofNullable(registry.markOf(moduleId)).map(LifecycleView::dto);
    }

    @Override
    public List<ModuleMark> marks() {
        return registry.marks().values().stream().map(LifecycleView::dto).toList();
    }

    @Override
    public List<String> retain() {
        return Origin.as(origin, lifecycle::retain);
    }
}
