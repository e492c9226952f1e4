package org.modreg.shell.format;

import org.apache.felix.service.command.Converter;
import org.modreg.api.dto.ModuleVersion;
import org.osgi.service.component.annotations.Component;

/** A module's versions: when, which bytes, from where, and whether they are kept. */
@Component(service = Converter.class, property = Converter.CONVERTER_CLASSES + "=org.modreg.shell.format.HistoryTable")
public class HistoryTableFormat extends Format<HistoryTable> {

    public HistoryTableFormat() {
        super(HistoryTable.class);
    }

    @Override
    protected CharSequence format(HistoryTable h, int level) {
        if (h.versions().isEmpty()) {
            return "No history for " + h.moduleId();
        }
        Table t = new Table("Time", "Event", "Version", "Digest", "Size", "Origin", "Bytes");
        for (ModuleVersion v : h.versions()) {
            t.row(Text.TIME.format(v.time()), v.event(), v.version(), v.digest() == null ? "-" : v.digest().substring(0, 12),
                    v.size() < 0 ? "-" : v.size(), v.origin(), ModuleVersionFormat.bytes(v));
        }
        return t.toString().stripTrailing();
    }
}
