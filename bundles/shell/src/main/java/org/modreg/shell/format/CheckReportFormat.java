package org.modreg.shell.format;

import org.apache.felix.service.command.Converter;
import org.modreg.api.dto.CheckReport;
import org.osgi.service.component.annotations.Component;

/** A wiring check, in the report's own words. */
@Component(service = Converter.class, property = Converter.CONVERTER_CLASSES + "=org.modreg.api.dto.CheckReport")
public class CheckReportFormat extends Format<CheckReport> {

    public CheckReportFormat() {
        super(CheckReport.class);
    }

    @Override
    protected CharSequence format(CheckReport r, int level) {
        return r.describe();
    }
}
