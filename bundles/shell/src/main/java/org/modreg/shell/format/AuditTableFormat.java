package org.modreg.shell.format;

import org.apache.felix.service.command.Converter;
import org.modreg.api.dto.AuditEntry;
import org.osgi.service.component.annotations.Component;

/** The audit trail as a table, an error shown by its first line. */
@Component(service = Converter.class, property = Converter.CONVERTER_CLASSES + "=org.modreg.shell.format.AuditTable")
public class AuditTableFormat extends Format<AuditTable> {

    public AuditTableFormat() {
        super(AuditTable.class);
    }

    @Override
    protected CharSequence format(AuditTable a, int level) {
        if (a.entries().isEmpty()) {
            return "No audit entries";
        }
        Table t = new Table("#", "Time", "Origin", "Operation", "Module", "Version", "Result", "Target", "Detail / error");
        for (AuditEntry e : a.entries()) {
            String note = e.error() != null ? firstLine(e.error()) : e.detail() == null ? "" : e.detail();
            t.row(e.sequence(), Text.TIME.format(e.time()), e.origin(), e.operation(), e.moduleId() == null ? "-" : e.moduleId(),
                    e.version() == null ? "-" : e.version(), e.result(), e.target() == null ? "" : e.target(), note);
        }
        return t.toString().stripTrailing();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl) + " ...";
    }
}
