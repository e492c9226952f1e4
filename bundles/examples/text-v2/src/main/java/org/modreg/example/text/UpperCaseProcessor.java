package org.modreg.example.text;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.modreg.api.annotations.Capability;
import org.modreg.example.processor.DataProcessor;
import org.osgi.service.component.annotations.Component;

/** Trims, upper-cases and collapses the spaces of UTF-8 text: version 0.3.0 of the text plugin. */
@Component
@Capability("text-processing")
public class UpperCaseProcessor implements DataProcessor {

    @Override
    public String name() {
        return "upper-case";
    }

    @Override
    public byte[] process(byte[] input) {
        return new String(input, StandardCharsets.UTF_8).trim().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT)
                .getBytes(StandardCharsets.UTF_8);
    }
}
