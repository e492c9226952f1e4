package org.modreg.shell.format;

import java.util.Locale;
import java.util.Map;

import org.apache.felix.service.command.Converter;
import org.modreg.api.dto.ModuleStats;
import org.osgi.service.component.annotations.Component;

/** One module's usage statistics in detail: starts, start times, look-ups by whom and of what. */
@Component(service = Converter.class, property = Converter.CONVERTER_CLASSES + "=org.modreg.api.dto.ModuleStats")
public class ModuleStatsFormat extends Format<ModuleStats> {

    public ModuleStatsFormat() {
        super(ModuleStats.class);
    }

    @Override
    protected CharSequence format(ModuleStats s, int level) {
        StringBuilder sb = new StringBuilder();
        Text.field(sb, "Module", s.id());
        Text.field(sb, "Installed", s.installed() == null ? "" : Text.TIME.format(s.installed()));
        Text.field(sb, "Updated", s.lastUpdated() == null ? "never" : Text.TIME.format(s.lastUpdated()) + " (" + s.updates() + " updates)");
        Text.field(sb, "Starts", s.starts() + " (" + s.startFailures() + " failed, " + Text.percent(s.successRate()) + " success)");
        if (s.averageStartMillis() >= 0) {
            Text.field(sb, "Start time", String.format(Locale.ROOT, "last %.1f ms, average %.1f ms, max %.1f ms",
                    s.lastStartMillis(), s.averageStartMillis(), s.maxStartMillis()));
        }
        Text.field(sb, "Look-ups", s.lookups() + (s.lastUsed() == null ? "" : " (last " + Text.TIME.format(s.lastUsed()) + ")"));
        s.lookupsByConsumer().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sb.append("  by ").append(e.getKey()).append(": ").append(e.getValue()).append('\n'));
        s.lookupsByService().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sb.append("  of ").append(e.getKey()).append(": ").append(e.getValue()).append('\n'));
        Text.field(sb, "Consumers", s.consumers().isEmpty() ? "none now" : String.join(", ", s.consumers()));
        Text.field(sb, "Size", s.size() < 0 ? "unknown" : s.size() + " bytes (" + s.compressedSize() + " compressed)");
        return sb.toString().stripTrailing();
    }
}
