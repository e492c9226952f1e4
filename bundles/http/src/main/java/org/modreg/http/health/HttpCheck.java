package org.modreg.http.health;

import java.util.Arrays;

import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;
import org.osgi.service.servlet.runtime.dto.FailedServletDTO;
import org.osgi.service.servlet.runtime.dto.RuntimeDTO;

/**
 * The HTTP plane: the servlet runtime is up on its endpoint, and no servlet of the plane failed
 * to register (a failure there, such as two servlets on one path, is a warning).
 */
@Component(property = { HealthCheck.NAME + "=http", HealthCheck.TAGS + "=modreg",
        // cheap, and read by load balancers: answered afresh each time (Felix caches results 2 s by default)
        HealthCheck.RESULT_CACHE_TTL_IN_MS + ":Long=1" })
public final class HttpCheck implements HealthCheck {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile HttpServiceRuntime runtime;

    @Override
    public Result execute() {
        HttpServiceRuntime r = runtime;
        FormattingResultLog log = new FormattingResultLog();
        if (r == null) {
            log.critical("no HTTP runtime: Jetty is not running");
            return new Result(log);
        }
        Object endpoint = r.getRuntimeDTO().serviceDTO.properties.get("osgi.http.endpoint");
        log.info("up on {}", endpoint instanceof String[] a ? Arrays.toString(a) : String.valueOf(endpoint));
        RuntimeDTO dto = r.getRuntimeDTO();
        for (FailedServletDTO f : dto.failedServletDTOs) {
            // a shadowed fallback (the 503 servlet while the API is up) is how it is meant to be
            if (f.failureReason != org.osgi.service.servlet.runtime.dto.DTOConstants.FAILURE_REASON_SHADOWED_BY_OTHER_SERVICE) {
                log.warn("servlet {} {} failed to register (reason {})", f.name, Arrays.toString(f.patterns), f.failureReason);
            }
        }
        return new Result(log);
    }
}
