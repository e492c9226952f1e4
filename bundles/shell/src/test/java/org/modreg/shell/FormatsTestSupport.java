package org.modreg.shell;

import java.time.Instant;
import java.util.List;

import org.apache.felix.service.command.Converter;

/** The shell's converters, as DS registers them, and its time format, for {@link FormatsTest}. */
final class FormatsTestSupport {

    private FormatsTestSupport() {
    }

    static List<Converter> converters() {
        return List.of(new ModuleFormatter());
    }

    static String time(Instant t) {
        return ModuleFormatter.TIME.format(t);
    }
}
