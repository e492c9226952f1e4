package org.modreg.example.text;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.modreg.api.annotations.Capability;
import org.modreg.example.processor.DataProcessor;
import org.osgi.service.component.annotations.Component;

/** Trims and upper-cases UTF-8 text. */
@Component
@Capability("text-processing")
public class UpperCaseProcessor implements DataProcessor {

    @Override
    public String name() {
        return "upper-case";
    }

    @Override
    public byte[] process(byte[] input) {
        return new String(input, StandardCharsets.UTF_8).trim().toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
    }
}
