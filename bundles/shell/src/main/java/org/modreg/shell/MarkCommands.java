package org.modreg.shell;

import static org.modreg.shell.Commands.FORCE;
import static org.modreg.shell.Commands.guard;
import static org.modreg.shell.Commands.out;

import java.util.List;
import java.util.Locale;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.modreg.api.ModuleLifecycle;
import org.modreg.api.ModuleRegistry;
import org.modreg.api.dto.ModuleMark;
import org.modreg.shell.format.ModuleTable;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** A module's lifecycle marks and retention: deprecate, archive, unmark, delete, retain. */
@Component(service = MarkCommands.class, property = {
        "osgi.command.scope=module",
        "osgi.command.function=deprecate",
        "osgi.command.function=archive",
        "osgi.command.function=unmark",
        "osgi.command.function=delete",
        "osgi.command.function=retain" })
public class MarkCommands {

    private final ModuleRegistry registry;
    private final ModuleLifecycle lifecycle;
    private final String boot;

    @Activate
    public MarkCommands(@Reference ModuleRegistry registry, @Reference ModuleLifecycle lifecycle, BundleContext context) {
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

    @Descriptor("mark a module deprecated: it keeps working; list, find and info show it, look-ups are warned")
    public ModuleMark deprecate(
            @Descriptor("why") @Parameter(names = { "-r", "--reason" }, absentValue = "") String reason,
            @Descriptor("the module to use instead") @Parameter(names = { "-u", "--use" }, absentValue = "") String use,
            @Descriptor("the module id") String id) {
        return out(lifecycle().deprecate(id, reason, use.isEmpty() ? null : use));
    }

    @Descriptor("archive a module: stopped, kept, not startable until unmarked; deleted after the retention's days")
    public ModuleTable archive(@Descriptor("why") @Parameter(names = { "-r", "--reason" }, absentValue = "") String reason,
            @Descriptor(FORCE) @Parameter(names = { "-f", "--force" }, presentValue = "true", absentValue = "false") boolean force,
            @Descriptor("the module id") String id) {
        guard(registry(), boot, "archive", force, id);
        return out(new ModuleTable(lifecycle().archive(id, reason), Commands.marks(lifecycle())));
    }

    @Descriptor("remove a module's mark (deprecated or archived)")
    public String unmark(@Descriptor("the module id") String id) {
        return out(lifecycle().unmark(id).map(m -> id + ": no longer " + m.kind().toString().toLowerCase(Locale.ROOT))
                .orElse(id + " had no mark"));
    }

    @Descriptor("delete a module: uninstall every version, remove its kept bytes (the audit trail stays); refused while "
            + "other modules use it")
    public ModuleTable delete(
            @Descriptor("delete even if other modules use it, or it is one of the container's own")
            @Parameter(names = { "-f", "--force" }, presentValue = "true", absentValue = "false") boolean force,
            @Descriptor("the module id") String id) {
        guard(registry(), boot, "delete", force, id);
        return out(new ModuleTable(lifecycle().delete(id, force)));
    }

    @Descriptor("apply retention now: kept bytes beyond the newest versions, archived modules past their days")
    public String retain() {
        List<String> done = lifecycle().retain();
        return out(done.isEmpty() ? "Nothing to remove" : String.join("\n", done));
    }
}
