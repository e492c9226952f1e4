package org.modreg.shell.format;

import org.apache.felix.service.command.Converter;
import org.modreg.api.dto.ModuleVersion;
import org.osgi.service.component.annotations.Component;

/** One version of a module on a line: id, version, installed or kept, digest. */
@Component(service = Converter.class, property = Converter.CONVERTER_CLASSES + "=org.modreg.api.dto.ModuleVersion")
public class ModuleVersionFormat extends Format<ModuleVersion> {

    public ModuleVersionFormat() {
        super(ModuleVersion.class);
    }

    @Override
    protected CharSequence format(ModuleVersion v, int level) {
        return v.moduleId() + " " + v.version() + (v.installed() ? " (installed)" : v.kept() ? " (kept)" : "")
                + (v.digest() == null ? "" : " sha256:" + v.digest());
    }

    /** Where a version's bytes are: installed, kept to go back to, or gone. */
    static String bytes(ModuleVersion v) {
        return v.installed() ? "installed" : v.kept() ? "kept" : "gone";
    }
}
