package org.modreg.shell.format;

import java.util.Locale;
import java.util.TreeMap;

import org.apache.felix.service.command.Converter;
import org.modreg.api.dto.Health;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleError;
import org.osgi.service.component.annotations.Component;

/** The container's health: modules by state, the FAILED ones with their last error, performance. */
@Component(service = Converter.class, property = Converter.CONVERTER_CLASSES + "=org.modreg.api.dto.Health")
public class HealthFormat extends Format<Health> {

    public HealthFormat() {
        super(Health.class);
    }

    @Override
    protected CharSequence format(Health h, int level) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%d modules, %.0f%% healthy, %d errors in their histories%n", h.modules(),
                h.healthyPercent(), h.errors()));
        new TreeMap<>(h.byState()).forEach((state, n) -> sb.append("  ").append(state).append(": ").append(n).append('\n'));
        for (Module m : h.failed()) {
            sb.append("FAILED ").append(Text.line(m)).append(": ")
                    .append(m.lastError().map(ModuleError::message).orElse("no error recorded")).append('\n');
        }
        Health.Performance p = h.performance();
        if (p != null) {
            sb.append(String.format(Locale.ROOT, "Performance: average start %s, %d queries averaging %s, "
                    + "index of %d modules: %d keys, %d postings%n", millis(p.averageStartMillis()), p.queries(),
                    millis(p.averageQueryMillis()), p.indexedModules(), p.indexKeys(), p.indexPostings()));
        }
        return sb.toString().stripTrailing();
    }

    private static String millis(double ms) {
        return ms < 0 ? "-" : String.format(Locale.ROOT, "%.3f ms", ms);
    }
}
