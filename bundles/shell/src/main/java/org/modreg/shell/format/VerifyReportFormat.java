package org.modreg.shell.format;

import org.apache.felix.service.command.Converter;
import org.modreg.api.dto.VerifyReport;
import org.osgi.service.component.annotations.Component;

/** The content store hashed again: all match, or each problem. */
@Component(service = Converter.class, property = Converter.CONVERTER_CLASSES + "=org.modreg.api.dto.VerifyReport")
public class VerifyReportFormat extends Format<VerifyReport> {

    public VerifyReportFormat() {
        super(VerifyReport.class);
    }

    @Override
    protected CharSequence format(VerifyReport r, int level) {
        return r.ok() ? "OK: " + r.checked() + " jars hashed, all match"
                : r.problems().size() + " problem(s), " + r.checked() + " jars hashed:\n  " + String.join("\n  ", r.problems());
    }
}
