package org.modreg.shell;

import static org.modreg.shell.Commands.REF;
import static org.modreg.shell.Commands.out;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.modreg.api.ModuleRegistry;
import org.modreg.api.ModuleSource;
import org.modreg.api.ModuleWiring;
import org.modreg.api.dto.CheckReport;
import org.modreg.api.dto.DependencyGraph;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.WireInfo;
import org.modreg.shell.format.DependencyTable;
import org.modreg.shell.format.GraphSummary;
import org.modreg.shell.format.Text;
import org.modreg.shell.format.WhyResult;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Wiring: the dry-run check, dependencies and dependents, the graph, and why two modules are tied. */
@Component(service = WiringCommands.class, property = {
        "osgi.command.scope=module",
        "osgi.command.function=check",
        "osgi.command.function=deps",
        "osgi.command.function=dependents",
        "osgi.command.function=graph",
        "osgi.command.function=why" })
public class WiringCommands {

    private final ModuleRegistry registry;
    private final ModuleWiring wiring;

    @Activate
    public WiringCommands(@Reference ModuleRegistry registry, @Reference ModuleWiring wiring) {
        this.registry = registry;
        this.wiring = wiring;
    }

    private ModuleRegistry registry() {
        return Commands.scoped(registry, registry::as);
    }

    @Descriptor("dry run: would a jar (or an installed module) resolve, what is missing, what would an update break")
    public CheckReport check(
            @Descriptor("check the jar as the new version of this installed module (blast radius)")
            @Parameter(names = { "-u", "--update" }, absentValue = "") String update,
            @Descriptor("path or URL of a jar; or an installed module: bundle id, module id, or id/version") String target) {
        if (!update.isEmpty()) {
            return out(wiring.checkUpdate(update, ModuleSource.parse(target)));
        }
        // the rule install and update use for a URL; a module reference has no colon, a path exists
        boolean jar = ModuleSource.isUrl(target) || Files.exists(Path.of(target));
        return out(jar ? wiring.check(ModuleSource.parse(target)) : wiring.check(target));
    }

    @Descriptor("the modules a module depends on, with the wires")
    public DependencyTable deps(
            @Descriptor("also what those depend on, and so on")
            @Parameter(names = { "-t", "--transitive" }, presentValue = "true", absentValue = "false") boolean transitive,
            @Descriptor(REF) String ref) {
        return out(new DependencyTable(registry().get(ref).ref(), wiring.dependencies(ref, transitive), true));
    }

    @Descriptor("the modules that depend on a module, with the wires")
    public DependencyTable dependents(
            @Descriptor("also what depends on those, and so on")
            @Parameter(names = { "-t", "--transitive" }, presentValue = "true", absentValue = "false") boolean transitive,
            @Descriptor(REF) String ref) {
        return out(new DependencyTable(registry().get(ref).ref(), wiring.dependents(ref, transitive), false));
    }

    @Descriptor("the dependency graph: cycles, start order and conflicts; or all of it as DOT or JSON")
    public Object graph(
            @Descriptor("print Graphviz DOT") @Parameter(names = { "-d", "--dot" }, presentValue = "true", absentValue = "false") boolean dot,
            @Descriptor("print JSON") @Parameter(names = { "-j", "--json" }, presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("only this module, its dependencies and its dependents; none for every module") String... ref) {
        Commands.atMostOne(ref, "module");
        if (dot && json) {
            throw new IllegalArgumentException("--dot or --json, not both");
        }
        DependencyGraph g = ref.length == 0 ? wiring.graph() : wiring.graph(ref[0]);
        return out(dot ? g.toDot() : json ? g.toJson() : new GraphSummary(g));
    }

    @Descriptor("which wires tie two modules, directly or along the shortest chain")
    public WhyResult why(@Descriptor(REF) String from, @Descriptor(REF) String to) {
        Module a = registry().get(from);
        Module b = registry().get(to);
        List<WireInfo> wires = wiring.why(from, to);
        Map<Long, String> names = new HashMap<>();
        for (WireInfo w : wires) {
            for (long id : new long[] { w.requirer(), w.provider() }) {
                names.computeIfAbsent(id, i -> registry().get(i).map(Module::ref).orElse("bundle " + i));
            }
        }
        return out(new WhyResult(Text.line(a), Text.line(b), names, wires));
    }
}
