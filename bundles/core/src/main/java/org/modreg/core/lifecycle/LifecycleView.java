package org.modreg.core.lifecycle;

import java.util.List;
import java.util.Optional;

import org.modreg.api.ModuleLifecycle;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleMark;
import org.modreg.core.Call;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

/** The {@link ModuleLifecycle} service as one bundle sees it: its calls audited under its {@link Call}. */
@Component(service = ModuleLifecycle.class, scope = ServiceScope.BUNDLE)
public final class LifecycleView implements ModuleLifecycle {

    private final Lifecycle lifecycle;
    private final Call call;

    @Activate
    public LifecycleView(ComponentContext context, @Reference Lifecycle lifecycle) {
        this(lifecycle, Call.of(context.getUsingBundle()));
    }

    private LifecycleView(Lifecycle lifecycle, Call call) {
        this.lifecycle = lifecycle;
        this.call = call;
    }

    @Override
    public ModuleLifecycle as(String origin) {
        return new LifecycleView(lifecycle, call.as(origin));
    }

    @Override
    public ModuleMark deprecate(String moduleId, String reason, String replacement) {
        return lifecycle.deprecate(call, moduleId, reason, replacement);
    }

    @Override
    public List<Module> archive(String moduleId, String reason) {
        return lifecycle.archive(call, moduleId, reason);
    }

    @Override
    public Optional<ModuleMark> unmark(String moduleId) {
        return lifecycle.unmark(call, moduleId);
    }

    @Override
    public List<Module> delete(String moduleId, boolean force) {
        return lifecycle.delete(call, moduleId, force);
    }

    @Override
    public Optional<ModuleMark> mark(String moduleId) {
        return Optional.ofNullable(lifecycle.marks().of(moduleId));
    }

    @Override
    public List<ModuleMark> marks() {
        return List.copyOf(lifecycle.marks().all().values());
    }

    @Override
    public List<String> retain() {
        return lifecycle.retain(call);
    }
}
