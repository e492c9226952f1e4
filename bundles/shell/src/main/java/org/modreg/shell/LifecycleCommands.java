package org.modreg.shell;

import static org.modreg.shell.Commands.FORCE;
import static org.modreg.shell.Commands.REF;
import static org.modreg.shell.Commands.each;
import static org.modreg.shell.Commands.guard;
import static org.modreg.shell.Commands.out;

import java.util.ArrayList;
import java.util.List;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.modreg.api.InstallOption;
import org.modreg.api.ModuleLifecycle;
import org.modreg.api.ModuleRegistry;
import org.modreg.api.ModuleSource;
import org.modreg.api.ModuleState;
import org.modreg.api.dto.Module;
import org.modreg.shell.format.LifecycleResult;
import org.modreg.shell.format.ModuleInfo;
import org.modreg.shell.format.ModuleTable;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The lifecycle of modules: list, info, install, start, stop, update, uninstall, refresh. Each
 * command returns data ({@link ModuleTable}, {@link ModuleInfo}, {@link LifecycleResult}), which
 * the converter of its type prints; errors are the registry's exceptions, whose messages name the
 * module or the file.
 */
@Component(service = LifecycleCommands.class, property = {
        "osgi.command.scope=module",
        "osgi.command.function=list",
        "osgi.command.function=info",
        "osgi.command.function=install",
        "osgi.command.function=start",
        "osgi.command.function=stop",
        "osgi.command.function=update",
        "osgi.command.function=uninstall",
        "osgi.command.function=refresh" })
public class LifecycleCommands {

    private final ModuleRegistry registry;
    private final ModuleLifecycle lifecycle;
    private final String boot;

    @Activate
    public LifecycleCommands(@Reference ModuleRegistry registry, @Reference ModuleLifecycle lifecycle, BundleContext context) {
        this.registry = registry;
        this.lifecycle = lifecycle;
        this.boot = context.getProperty(ModuleRegistry.BOOT_PROPERTY);
    }

    private ModuleRegistry registry() {
        return Commands.scoped(registry, registry::as);
    }

    private ModuleLifecycle lifecycle() {
        return Commands.scoped(lifecycle, lifecycle::as);
    }

    @Descriptor("list modules: bundle id, module id, version, state, type and tags")
    public ModuleTable list(
            @Descriptor("only modules in this state (INSTALLED, RESOLVED, ACTIVE, STOPPED, FAILED, ...)")
            @Parameter(names = { "-s", "--state" }, absentValue = "") String state,
            @Descriptor("only modules of this type (plugin, library, service, ...)")
            @Parameter(names = { "-t", "--type" }, absentValue = "") String type) {
        ModuleState wanted = state.isEmpty() ? null : Commands.state(state);
        List<Module> modules = registry().list().stream()
                .filter(m -> wanted == null || m.state() == wanted)
                .filter(m -> type.isEmpty() || m.type().equalsIgnoreCase(type))
                .toList();
        return out(new ModuleTable(modules, Commands.marks(lifecycle())));
    }

    @Descriptor("show every field of a module: metadata, content, capabilities, requirements, services, errors, mark")
    public ModuleInfo info(@Descriptor(REF) String ref) {
        Module m = registry().get(ref);
        return out(new ModuleInfo(m, lifecycle().mark(m.id())));
    }

    @Descriptor("validate, check and install a module from a jar file or URL; refused if it would not resolve")
    public LifecycleResult install(
            @Descriptor("start the module once installed")
            @Parameter(names = { "-s", "--start" }, presentValue = "true", absentValue = "false") boolean start,
            @Descriptor("install even if the wiring check says it would not resolve")
            @Parameter(names = { "-f", "--force" }, presentValue = "true", absentValue = "false") boolean force,
            @Descriptor("path of the jar, or its URL") String location) {
        List<InstallOption> options = new ArrayList<>();
        if (start) {
            options.add(InstallOption.START);
        }
        if (force) {
            options.add(InstallOption.FORCE);
        }
        Module m = registry().install(ModuleSource.parse(location), options.toArray(new InstallOption[0]));
        return out(new LifecycleResult("installed", m));
    }

    @Descriptor("start modules")
    public ModuleTable start(@Descriptor(REF + "; several allowed") String... refs) {
        return out(each(refs, registry()::start));
    }

    @Descriptor("stop modules; refused for the container's own (the framework, the boot bundles) unless forced")
    public ModuleTable stop(
            @Descriptor(FORCE) @Parameter(names = { "-f", "--force" }, presentValue = "true", absentValue = "false") boolean force,
            @Descriptor(REF + "; several allowed") String... refs) {
        guard(registry(), boot, "stop", force, refs);
        return out(each(refs, registry()::stop));
    }

    @Descriptor("update a module from its own location; refused if it or a module wired to it would not resolve")
    public LifecycleResult update(
            @Descriptor("update even if the wiring check finds a problem, or it is one of the container's own")
            @Parameter(names = { "-f", "--force" }, presentValue = "true", absentValue = "false") boolean force,
            @Descriptor(REF) String ref) {
        guard(registry(), boot, "update", force, ref);
        return out(new LifecycleResult("updated", force ? registry().update(ref, InstallOption.FORCE) : registry().update(ref)));
    }

    @Descriptor("update a module from another jar file or URL; refused if it or a module wired to it would not resolve")
    public LifecycleResult update(
            @Descriptor("update even if the wiring check finds a problem, or it is one of the container's own")
            @Parameter(names = { "-f", "--force" }, presentValue = "true", absentValue = "false") boolean force,
            @Descriptor(REF) String ref,
            @Descriptor("path of the new jar, or its URL") String location) {
        guard(registry(), boot, "update", force, ref);
        ModuleSource source = ModuleSource.parse(location);
        return out(new LifecycleResult("updated", force ? registry().update(ref, source, InstallOption.FORCE) : registry().update(ref, source)));
    }

    @Descriptor("stop and uninstall modules, then refresh the modules wired to them; refused for the container's own unless forced")
    public ModuleTable uninstall(
            @Descriptor(FORCE) @Parameter(names = { "-f", "--force" }, presentValue = "true", absentValue = "false") boolean force,
            @Descriptor(REF + "; several allowed") String... refs) {
        guard(registry(), boot, "uninstall", force, refs);
        return out(each(refs, registry()::uninstall));
    }

    @Descriptor("refresh modules and their dependents; without arguments, those with stale revisions")
    public ModuleTable refresh(@Descriptor(REF + "; none for all pending") String... refs) {
        return out(new ModuleTable(registry().refresh(refs)));
    }
}
