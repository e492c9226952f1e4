package org.modreg.shell.format;

import org.apache.felix.service.command.Converter;
import org.osgi.service.component.annotations.Component;

/** A module's capabilities or requirements, one to a line. */
@Component(service = Converter.class, property = Converter.CONVERTER_CLASSES + "=org.modreg.shell.format.CapabilityTable")
public class CapabilityTableFormat extends Format<CapabilityTable> {

    public CapabilityTableFormat() {
        super(CapabilityTable.class);
    }

    @Override
    protected CharSequence format(CapabilityTable c, int level) {
        StringBuilder sb = new StringBuilder(c.module()).append('\n');
        c.capabilities().forEach(cap -> Text.capability(sb, cap));
        c.requirements().forEach(r -> Text.requirement(sb, r));
        if (c.capabilities().isEmpty() && c.requirements().isEmpty()) {
            sb.append("  (none)\n");
        }
        return sb.toString().stripTrailing();
    }
}
