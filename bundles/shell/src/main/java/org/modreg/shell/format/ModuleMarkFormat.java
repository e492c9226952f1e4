package org.modreg.shell.format;

import org.apache.felix.service.command.Converter;
import org.modreg.api.dto.ModuleMark;
import org.osgi.service.component.annotations.Component;

/** A lifecycle mark: its kind, reason, replacement, since when and by whom. */
@Component(service = Converter.class, property = Converter.CONVERTER_CLASSES + "=org.modreg.api.dto.ModuleMark")
public class ModuleMarkFormat extends Format<ModuleMark> {

    public ModuleMarkFormat() {
        super(ModuleMark.class);
    }

    @Override
    protected CharSequence format(ModuleMark m, int level) {
        return Text.markLine(m).strip();
    }
}
