package org.modreg.shell.format;

import org.apache.felix.service.command.Converter;
import org.modreg.api.dto.WireInfo;
import org.osgi.service.component.annotations.Component;

/** The wires that tie two modules, one step to a line. */
@Component(service = Converter.class, property = Converter.CONVERTER_CLASSES + "=org.modreg.shell.format.WhyResult")
public class WhyResultFormat extends Format<WhyResult> {

    public WhyResultFormat() {
        super(WhyResult.class);
    }

    @Override
    protected CharSequence format(WhyResult w, int level) {
        if (w.wires().isEmpty()) {
            return w.from() + " and " + w.to() + " are not tied by any wire";
        }
        StringBuilder sb = new StringBuilder(w.from()).append(" and ").append(w.to()).append(" are tied by:\n");
        for (WireInfo wire : w.wires()) {
            sb.append("  ").append(w.names().get(wire.requirer())).append(" -> ").append(w.names().get(wire.provider()))
                    .append(": ").append(wire.describe()).append('\n');
        }
        return sb.toString().stripTrailing();
    }
}
