package org.modreg.shell.format;

import java.util.List;

import org.apache.felix.service.command.Converter;
import org.modreg.api.dto.Dependency;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.WireInfo;
import org.osgi.service.component.annotations.Component;

/** The modules a module depends on, or that depend on it, with the wires of each step. */
@Component(service = Converter.class, property = Converter.CONVERTER_CLASSES + "=org.modreg.shell.format.DependencyTable")
public class DependencyTableFormat extends Format<DependencyTable> {

    public DependencyTableFormat() {
        super(DependencyTable.class);
    }

    @Override
    protected CharSequence format(DependencyTable d, int level) {
        if (d.dependencies().isEmpty()) {
            return d.module() + (d.forward() ? " depends on no module" : ": no module depends on it");
        }
        Table t = new Table("ID", "Module", "Version", "State", "Distance", d.forward() ? "Uses" : "Used for");
        for (Dependency dep : d.dependencies()) {
            Module m = dep.module();
            t.row(m.bundleId(), m.id(), m.version(), m.state(), dep.distance(), wires(dep.wires()));
        }
        return t.toString().stripTrailing();
    }

    /** The wires of one step, shortened: "package a, package b, +3". */
    private static String wires(List<WireInfo> wires) {
        List<String> names = wires.stream().map(WireInfo::describe).distinct().toList();
        return names.size() <= 3 ? String.join(", ", names) : String.join(", ", names.subList(0, 3)) + ", +" + (names.size() - 3);
    }
}
