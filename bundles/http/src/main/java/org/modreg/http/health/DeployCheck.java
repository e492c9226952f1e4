package org.modreg.http.health;

import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.modreg.api.ModuleStatistics;
import org.modreg.api.dto.Metrics;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The deploy directory: watched or polled is healthy; gone (it is looked for again) is a warning; stopped is critical. */
@Component(property = { HealthCheck.NAME + "=deploy", HealthCheck.TAGS + "=modreg",
        // cheap, and read by load balancers: answered afresh each time (Felix caches results 2 s by default)
        HealthCheck.RESULT_CACHE_TTL_IN_MS + ":Long=1" })
public final class DeployCheck implements HealthCheck {

    private final ModuleStatistics statistics;

    @Activate
    public DeployCheck(@Reference ModuleStatistics statistics) {
        this.statistics = statistics;
    }

    @Override
    public Result execute() {
        Metrics.DeployStatus d = statistics.metrics().deploy();
        FormattingResultLog log = new FormattingResultLog();
        switch (d.mode()) {
            case "WATCHING" -> log.info("{} is watched (file-system events)", d.directory());
            case "POLLING" -> log.info("{} is polled", d.directory());
            case "MISSING" -> log.warn("{} is gone: files dropped there are not seen until it is made again", d.directory());
            default -> log.critical("the deployer is {}: the deploy directory is not watched", d.mode());
        }
        return new Result(log);
    }
}
