package org.modreg.http.health;

import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.modreg.api.ModuleStatistics;
import org.modreg.api.dto.Metrics;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The database of records: open is healthy; still opening is temporarily unavailable; one that
 * could not be opened is critical, since the container then keeps no records, history or audit.
 */
@Component(property = { HealthCheck.NAME + "=database", HealthCheck.TAGS + "=modreg",
        // cheap, and read by load balancers: answered afresh each time (Felix caches results 2 s by default)
        HealthCheck.RESULT_CACHE_TTL_IN_MS + ":Long=1" })
public final class DatabaseCheck implements HealthCheck {

    private final ModuleStatistics statistics;

    @Activate
    public DatabaseCheck(@Reference ModuleStatistics statistics) {
        this.statistics = statistics;
    }

    @Override
    public Result execute() {
        Metrics.DatabaseStatus db = statistics.metrics().database();
        FormattingResultLog log = new FormattingResultLog();
        switch (db.state()) {
            case "OPEN" -> log.info("open: {} ({} writes pending)", db.detail(), db.pendingWrites());
            case "OPENING" -> log.temporarilyUnavailable("opening: {}", db.detail());
            default -> log.critical("{}: {}; records, history and the audit trail are not kept", db.state(), db.detail());
        }
        return new Result(log);
    }
}
