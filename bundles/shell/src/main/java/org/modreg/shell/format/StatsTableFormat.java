package org.modreg.shell.format;

import java.util.Locale;

import org.apache.felix.service.command.Converter;
import org.modreg.api.dto.ModuleStats;
import org.osgi.service.component.annotations.Component;

/** Usage statistics of many modules, a row each. */
@Component(service = Converter.class, property = Converter.CONVERTER_CLASSES + "=org.modreg.shell.format.StatsTable")
public class StatsTableFormat extends Format<StatsTable> {

    public StatsTableFormat() {
        super(StatsTable.class);
    }

    @Override
    protected CharSequence format(StatsTable t, int level) {
        if (t.stats().isEmpty()) {
            return "No modules";
        }
        Table table = new Table("Module", "Starts", "Failed", "Success", "Avg start ms", "Look-ups", "Last used");
        for (ModuleStats s : t.stats()) {
            table.row(s.id(), s.starts(), s.startFailures(), Text.percent(s.successRate()),
                    s.averageStartMillis() < 0 ? "" : String.format(Locale.ROOT, "%.1f", s.averageStartMillis()),
                    s.lookups(), s.lastUsed() == null ? "" : Text.TIME.format(s.lastUsed()));
        }
        return table.toString().stripTrailing();
    }
}
