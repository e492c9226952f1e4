package org.modreg.shell.format;

import org.apache.felix.service.command.Converter;
import org.osgi.service.component.annotations.Component;

/** {@code module:info}: every field of the module, and its mark; one line at {@link Converter#LINE}. */
@Component(service = Converter.class, property = Converter.CONVERTER_CLASSES + "=org.modreg.shell.format.ModuleInfo")
public class ModuleInfoFormat extends Format<ModuleInfo> {

    public ModuleInfoFormat() {
        super(ModuleInfo.class);
    }

    @Override
    protected CharSequence format(ModuleInfo i, int level) {
        return level == INSPECT ? ModuleFormat.inspect(i.module()) + i.mark().map(Text::markLine).orElse("") : Text.line(i.module());
    }
}
