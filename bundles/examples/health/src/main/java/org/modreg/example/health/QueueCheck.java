package org.modreg.example.health;

import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.service.component.annotations.Component;

/**
 * A plugin's own health check, as a plugin author writes one: a {@link HealthCheck} service with
 * a name and tags. It reports a warning, so that a test sees it in the container's health.
 */
@Component(property = { HealthCheck.NAME + "=example-queue", HealthCheck.TAGS + "=example" })
public class QueueCheck implements HealthCheck {

    @Override
    public Result execute() {
        FormattingResultLog log = new FormattingResultLog();
        log.warn("the example queue is {} items long (more than {})", 120, 100);
        return new Result(log);
    }
}
