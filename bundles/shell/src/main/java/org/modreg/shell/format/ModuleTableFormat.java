package org.modreg.shell.format;

import org.apache.felix.service.command.Converter;
import org.modreg.api.dto.Module;
import org.osgi.service.component.annotations.Component;

/** A list of modules as a table: bundle id, module id, version, state with mark, type, tags. */
@Component(service = Converter.class, property = Converter.CONVERTER_CLASSES + "=org.modreg.shell.format.ModuleTable")
public class ModuleTableFormat extends Format<ModuleTable> {

    public ModuleTableFormat() {
        super(ModuleTable.class);
    }

    @Override
    protected CharSequence format(ModuleTable t, int level) {
        if (t.modules().isEmpty()) {
            return "No modules";
        }
        Table table = new Table("ID", "Module", "Version", "State", "Type", "Tags");
        for (Module m : t.modules()) {
            table.row(m.bundleId(), m.id(), m.version(), Text.state(m, t.marks()), m.type(), String.join(",", m.tags()));
        }
        return table.toString().stripTrailing();
    }
}
