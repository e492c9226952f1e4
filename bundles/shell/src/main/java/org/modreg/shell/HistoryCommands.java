package org.modreg.shell;

import static org.modreg.shell.Commands.out;

import org.apache.felix.service.command.Descriptor;
import org.modreg.api.ModuleHistory;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleDiff;
import org.modreg.api.dto.ModuleVersion;
import org.modreg.api.dto.VerifyReport;
import org.modreg.shell.format.HistoryTable;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Version history: the versions a module has had, going back to one, resolving a range, comparing two, verifying bytes. */
@Component(service = HistoryCommands.class, property = {
        "osgi.command.scope=module",
        "osgi.command.function=history",
        "osgi.command.function=rollback",
        "osgi.command.function=resolve",
        "osgi.command.function=verify",
        "osgi.command.function=diff" })
public class HistoryCommands {

    private final ModuleHistory history;

    @Activate
    public HistoryCommands(@Reference ModuleHistory history) {
        this.history = history;
    }

    private ModuleHistory history() {
        return Commands.scoped(history, history::as);
    }

    @Descriptor("the versions a module has had: when, which bytes, from where, and whether they are kept to go back to")
    public HistoryTable history(@Descriptor("the module id") String id) {
        return out(new HistoryTable(id, history().history(id)));
    }

    @Descriptor("go back to a kept version through the safe update pipeline (check, start beside, roll back if it fails)")
    public Module rollback(@Descriptor("the module id") String id,
            @Descriptor("the version to go back to; none for the one before the installed version") String... version) {
        Commands.atMostOne(version, "version");
        return out(history().rollback(id, version.length == 0 ? null : version[0]));
    }

    @Descriptor("the best kept or installed version of a module within an OSGi version range")
    public ModuleVersion resolve(@Descriptor("the module id") String id,
            @Descriptor("a version range, quoted: \"[1.2,2)\"; or a version, meaning at least it") String range) {
        return out(history().resolve(id, range));
    }

    @Descriptor("compare two kept versions: capabilities and requirements, and each exported package's API by bnd's "
            + "baselining (the version bump a change needs against the one declared)")
    public ModuleDiff diff(@Descriptor("the module id") String id,
            @Descriptor("the older version") String from, @Descriptor("the newer version") String to) {
        return out(history().diff(id, from, to));
    }

    @Descriptor("hash again the content store's copies of kept and installed versions; report any copy changed or missing")
    public VerifyReport verify(@Descriptor("the module id; none for all") String... id) {
        Commands.atMostOne(id, "module");
        return out(history().verify(id.length == 0 ? null : id[0]));
    }
}
