package org.modreg.shell.format;

import java.util.Locale;

import org.apache.felix.service.command.Converter;
import org.modreg.api.dto.ModuleDiff;
import org.osgi.service.component.annotations.Component;

/** Two versions compared: the API verdict, each package's baseline, the manifest's changes. */
@Component(service = Converter.class, property = Converter.CONVERTER_CLASSES + "=org.modreg.api.dto.ModuleDiff")
public class ModuleDiffFormat extends Format<ModuleDiff> {

    public ModuleDiffFormat() {
        super(ModuleDiff.class);
    }

    @Override
    protected CharSequence format(ModuleDiff d, int level) {
        StringBuilder sb = new StringBuilder(d.moduleId()).append(' ').append(d.from()).append(" -> ").append(d.to());
        sb.append(d.breaking() ? ": BREAKING (an exported package changed in a major way, or was removed)" : ": no major API change");
        if (d.mismatched()) {
            sb.append("; a package version is lower than its change needs");
        }
        sb.append('\n');
        if (!d.packages().isEmpty()) {
            Table t = new Table("Package", "API change", "Was", "Declared", "Needs", "");
            for (ModuleDiff.PackageBaseline p : d.packages()) {
                t.row(p.packageName(), p.delta(), orDash(p.previous()), orDash(p.declared()), orDash(p.suggested()),
                        p.mismatch() ? "MISMATCH" : "");
            }
            sb.append(t);
        }
        if (d.changes().isEmpty()) {
            sb.append("Manifest: no capability or requirement changed\n");
        } else {
            sb.append("Manifest:\n");
            for (ModuleDiff.Change c : d.changes()) {
                sb.append(String.format(Locale.ROOT, "  %-7s %s %s %s%s%n", c.kind(), c.type(), c.namespace(), c.name(),
                        c.kind().equals("changed") ? ": " + c.before() + " -> " + c.after()
                                : c.kind().equals("added") ? " " + c.after() : " " + c.before()));
            }
        }
        return sb.toString().stripTrailing();
    }

    private static Object orDash(Object o) {
        return o == null ? "-" : o;
    }
}
