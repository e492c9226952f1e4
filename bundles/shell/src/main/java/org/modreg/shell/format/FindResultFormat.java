package org.modreg.shell.format;

import java.util.Locale;
import java.util.stream.Collectors;

import org.apache.felix.service.command.Converter;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleMatch;
import org.osgi.service.component.annotations.Component;

/** Ranked matches of {@code module:find}, with their score and what matched. */
@Component(service = Converter.class, property = Converter.CONVERTER_CLASSES + "=org.modreg.shell.format.FindResult")
public class FindResultFormat extends Format<FindResult> {

    public FindResultFormat() {
        super(FindResult.class);
    }

    @Override
    protected CharSequence format(FindResult f, int level) {
        if (f.matches().isEmpty()) {
            return "No modules";
        }
        Table t = new Table("ID", "Module", "Version", "State", "Score", "Matched");
        for (ModuleMatch m : f.matches()) {
            Module mod = m.module();
            t.row(mod.bundleId(), mod.id(), mod.version(), Text.state(mod, f.marks()), String.format(Locale.ROOT, "%.1f", m.score()),
                    m.matched().stream().map(c -> c.namespace() + "=" + c.name()
                            + (c.attributes().containsKey("service.id") ? " (service " + c.attributes().get("service.id") + ")" : ""))
                            .collect(Collectors.joining(", ")));
        }
        return t.toString().stripTrailing();
    }
}
