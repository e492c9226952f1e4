package org.modreg.shell.format;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.felix.service.command.Converter;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleContent;
import org.modreg.api.dto.ModuleError;
import org.modreg.api.dto.ServiceInfo;
import org.osgi.service.component.annotations.Component;

/** A module: every field at {@link Converter#INSPECT}, 'id version (bundle n)' at {@link Converter#LINE}. */
@Component(service = Converter.class, property = Converter.CONVERTER_CLASSES + "=org.modreg.api.dto.Module")
public class ModuleFormat extends Format<Module> {

    public ModuleFormat() {
        super(Module.class);
    }

    @Override
    protected CharSequence format(Module m, int level) {
        return level == INSPECT ? inspect(m) : Text.line(m);
    }

    static String inspect(Module m) {
        StringBuilder sb = new StringBuilder();
        Text.field(sb, "Module", m.id());
        Text.field(sb, "Version", m.version());
        Text.field(sb, "Bundle", m.bundleId());
        Text.field(sb, "State", m.state());
        Text.field(sb, "Type", m.type());
        Text.field(sb, "Name", m.name());
        Text.field(sb, "Description", m.description());
        Text.field(sb, "Vendor", m.vendor());
        Text.field(sb, "License", m.license());
        Text.field(sb, "Docs", m.docUrl());
        Text.field(sb, "Tags", String.join(", ", m.tags()));
        Text.field(sb, "Keywords", String.join(" ", new TreeSet<>(m.keywords())));
        Text.field(sb, "Location", m.location());
        ModuleContent c = m.content();
        Text.field(sb, "Digest", c.isKnown() ? "sha256:" + c.digest() : "unknown");
        Text.field(sb, "Size", c.size() < 0 ? "unknown" : c.size() + " bytes"
                + (c.compressedSize() < 0 ? "" : " (" + c.compressedSize() + " compressed)"));
        Text.field(sb, "Stored", c.stored());
        Text.field(sb, "Modified", Text.TIME.format(m.lastModified()));
        sb.append("Capabilities (").append(m.capabilities().size()).append(")\n");
        m.capabilities().forEach(cap -> Text.capability(sb, cap));
        sb.append("Requirements (").append(m.requirements().size()).append(")\n");
        m.requirements().forEach(r -> Text.requirement(sb, r));
        sb.append("Services (").append(m.services().size()).append(")\n");
        for (ServiceInfo s : m.services()) {
            Map<String, Object> props = new TreeMap<>(s.properties());
            for (String every : new String[] { "objectClass", "service.id", "service.bundleid", "service.scope" }) {
                props.remove(every);
            }
            sb.append("  [").append(s.serviceId()).append("] ").append(String.join(", ", s.objectClass()))
                    .append(props.isEmpty() ? "" : " " + Text.attributes(props)).append('\n');
        }
        sb.append("Errors (").append(m.errors().size()).append(")\n");
        for (ModuleError e : m.errors()) {
            sb.append("  ").append(Text.TIME.format(e.time())).append(' ').append(e.operation()).append(": ")
                    .append(e.message()).append('\n');
        }
        return sb.toString().stripTrailing();
    }
}
