package org.modreg.http.health;

import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.modreg.api.ModuleStatistics;
import org.modreg.api.dto.Health;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleError;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Modules that failed, each with its last error: a warning, not a failure of the container (it
 * keeps running, and so do the other modules), so a load balancer keeps sending traffic.
 */
@Component(property = { HealthCheck.NAME + "=modules", HealthCheck.TAGS + "=modreg",
        // cheap, and read by load balancers: answered afresh each time (Felix caches results 2 s by default)
        HealthCheck.RESULT_CACHE_TTL_IN_MS + ":Long=1" })
public final class ModulesCheck implements HealthCheck {

    private final ModuleStatistics statistics;

    @Activate
    public ModulesCheck(@Reference ModuleStatistics statistics) {
        this.statistics = statistics;
    }

    @Override
    public Result execute() {
        Health h = statistics.health();
        FormattingResultLog log = new FormattingResultLog();
        log.info("{} modules, {} failed", h.modules(), h.failed().size());
        for (Module m : h.failed()) {
            ModuleError last = m.errors().isEmpty() ? null : m.errors().get(m.errors().size() - 1);
            log.warn("{} {} (bundle {}) FAILED: {}", m.id(), m.version(), m.bundleId(),
                    last == null ? "no error recorded" : last.operation() + ": " + last.message());
        }
        return new Result(log);
    }
}
