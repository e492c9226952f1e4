package org.modreg.core.wiring;

import java.util.ArrayList;
import java.util.List;

import org.modreg.api.ModuleState;
import org.modreg.api.dto.CheckReport;
import org.modreg.api.dto.Dependency;
import org.modreg.api.dto.DependencyGraph;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.WireInfo;
import org.modreg.core.records.ModuleRecord;
import org.modreg.core.records.ModuleRecords;

/**
 * What the wiring says of installed modules: dependencies and dependents, why two modules are
 * wired, the dependency graph, a module's check as it stands, and what a removal would break.
 * Read from the {@link WiringChecker}'s snapshot of the framework's wiring.
 */
public final class Graphs {

    private final WiringChecker checker;
    private final ModuleRecords records;

    public Graphs(WiringChecker checker, ModuleRecords records) {
        this.checker = checker;
        this.records = records;
    }

    public List<Dependency> reach(String ref, boolean forward, boolean transitive) {
        ModuleRecord start = records.resolve(ref);
        DependencyGraphs g = graphs();
        List<Dependency> result = new ArrayList<>();
        for (long[] r : g.reach(start.bundleId, forward, transitive)) {
            ModuleRecord e = records.get(r[0]);
            Module m = e == null ? null : e.module();
            if (m != null) {
                result.add(new Dependency(m, (int) r[1], forward ? g.wires(r[2], r[0]) : g.wires(r[0], r[2])));
            }
        }
        return result;
    }

    public List<WireInfo> why(String from, String to) {
        return graphs().why(records.resolve(from).bundleId, records.resolve(to).bundleId);
    }

    public DependencyGraph graph() {
        return graphs().graph();
    }

    public DependencyGraph graph(String ref) {
        return graphs().around(records.resolve(ref).bundleId);
    }

    /** @return an installed module's check: what it needs and whether the framework can give it */
    public CheckReport check(String ref) {
        ModuleRecord r = records.resolve(ref);
        return checker.checkInstalled(records.bundle(r));
    }

    /** @return the modules wired to it that would not resolve again without it, with what they would miss */
    public List<CheckReport.Impact> removalImpact(String ref) {
        ModuleRecord r = records.resolve(ref);
        return checker.removalImpact(records.bundle(r));
    }

    private DependencyGraphs graphs() {
        return new DependencyGraphs(checker.snapshot(), id -> {
            ModuleRecord e = records.get(id);
            Module m = e == null ? null : e.module();
            return m == null ? ModuleState.INSTALLED : m.state();
        });
    }
}
