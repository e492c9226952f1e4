package org.modreg.example.unresolvable;

import java.nio.charset.StandardCharsets;

import org.apache.felix.utils.version.VersionRange;
import org.modreg.example.processor.DataProcessor;
import org.osgi.service.component.annotations.Component;

/** Normalises an OSGi version range; the import of felix utils is what keeps it from resolving. */
@Component
public class RangeProcessor implements DataProcessor {

    @Override
    public String name() {
        return "version-range";
    }

    @Override
    public byte[] process(byte[] input) {
        return VersionRange.parseVersionRange(new String(input, StandardCharsets.UTF_8).trim()).toString()
                .getBytes(StandardCharsets.UTF_8);
    }
}
