package org.modreg.shell.format;

import org.apache.felix.service.command.Converter;
import org.modreg.api.dto.DeployResult;
import org.osgi.service.component.annotations.Component;

/** What a deploy did: the outcome, its message, and a note to a line. */
@Component(service = Converter.class, property = Converter.CONVERTER_CLASSES + "=org.modreg.api.dto.DeployResult")
public class DeployResultFormat extends Format<DeployResult> {

    public DeployResultFormat() {
        super(DeployResult.class);
    }

    @Override
    protected CharSequence format(DeployResult r, int level) {
        return deployed(r);
    }

    static String deployed(DeployResult r) {
        StringBuilder sb = new StringBuilder(r.outcome().name()).append(": ").append(r.message());
        r.notes().forEach(n -> sb.append("\n  ").append(n));
        return sb.toString();
    }
}
