package org.modreg.http.health;

import java.util.ArrayList;
import java.util.List;

import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.ResultLog;
import org.apache.felix.hc.api.execution.HealthCheckExecutionResult;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.apache.felix.hc.api.execution.HealthCheckSelector;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Component;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Runs every health check of the container through Felix's executor: modreg's own (tag
 * {@code modreg}) and any a module registers, so users add checks as {@code HealthCheck} services.
 */
@Component(service = Checks.class)
public final class Checks {

    /** One check's outcome. */
    public record Outcome(String name, List<String> tags, String status, long millis, List<String> messages) {
    }

    /** All outcomes, and the worst status. */
    public record Report(String status, boolean healthy, List<Outcome> checks) {
    }

    /** Felix's executor, got at the first check, not at the start: it sets up thread pools and schedulers. */
    private final ComponentServiceObjects<HealthCheckExecutor> executors;
    private volatile HealthCheckExecutor executor;
    /** Every health check's name: Felix's executor runs only the checks a selector names (an empty one selects none). */
    private final java.util.Set<String> names = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Activate
    public Checks(@Reference ComponentServiceObjects<HealthCheckExecutor> executors) {
        this.executors = executors;
    }

    @Deactivate
    void deactivate() {
        HealthCheckExecutor e = executor;
        if (e != null) {
            executors.ungetService(e);
        }
    }

    private HealthCheckExecutor executor() {
        HealthCheckExecutor e = executor;
        if (e == null) {
            synchronized (this) {
                e = executor;
                if (e == null) {
                    executor = e = executors.getService();
                }
            }
        }
        return e;
    }

    @Reference(service = HealthCheck.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addCheck(ServiceReference<HealthCheck> ref) {
        Object name = ref.getProperty(HealthCheck.NAME);
        names.add(name != null ? name.toString() : "service " + ref.getProperty(org.osgi.framework.Constants.SERVICE_ID));
    }

    void removeCheck(ServiceReference<HealthCheck> ref) {
        Object name = ref.getProperty(HealthCheck.NAME);
        names.remove(name != null ? name.toString() : "service " + ref.getProperty(org.osgi.framework.Constants.SERVICE_ID));
    }

    /** @return the outcome of every check; healthy while no check is worse than a warning */
    public Report run() {
        List<Outcome> out = new ArrayList<>();
        Result.Status worst = Result.Status.OK;
        for (HealthCheckExecutionResult r : executor().execute(HealthCheckSelector.names(names.toArray(new String[0])))) {
            Result result = r.getHealthCheckResult();
            List<String> messages = new ArrayList<>();
            for (ResultLog.Entry e : result) {
                if (!e.isDebug()) {
                    messages.add(e.getStatus() + " " + e.getMessage());
                }
            }
            out.add(new Outcome(r.getHealthCheckMetadata().getName(), r.getHealthCheckMetadata().getTags(),
                    result.getStatus().name(), r.getElapsedTimeInMs(), messages));
            if (result.getStatus().ordinal() > worst.ordinal()) {
                worst = result.getStatus();
            }
        }
        return new Report(worst.name(), worst == Result.Status.OK || worst == Result.Status.WARN, out);
    }
}
