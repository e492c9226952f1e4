package org.modreg.http.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import org.modreg.api.ModuleRegistry;
import org.modreg.api.ModuleState;
import org.modreg.api.ModuleStatistics;
import org.modreg.api.dto.Health;
import org.modreg.api.dto.Metrics;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleStats;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The container's metrics, through the Prometheus Java client (1.x) on a registry of its own
 * (not the client's static default one, which a module's own metrics might share). What the
 * registry knows is read at each scrape (modules by state, starts, look-ups, operations,
 * durations, index, database); what the plane sees is counted as it happens (requests by
 * route and status). The JVM's basics come from the client's JVM instrumentation.
 */
@Component(service = HttpMetrics.class)
public final class HttpMetrics {

    private final ModuleRegistry registry;
    private final ModuleStatistics statistics;
    /** Made at the first request, not at the start: the client's classes and the JVM's beans cost ~0.1 s to set up. */
    private volatile Meters meters;

    /** The Prometheus registry and what the plane counts in it. */
    private static final class Meters {
        final PrometheusRegistry prometheus = new PrometheusRegistry();
        final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
        final Counter requests;
        final Histogram latency;
        final Counter refusedLogins;

        Meters(ModuleRegistry registry, ModuleStatistics statistics) {
            requests = Counter.builder().name("modreg_http_requests_total").help("HTTP requests answered, by route and status")
                    .labelNames("method", "route", "status").register(prometheus);
            latency = Histogram.builder().name("modreg_http_request_duration_seconds")
                    .help("How long HTTP requests took to answer, by route (an event stream: until it closed)")
                    .labelNames("method", "route").classicOnly().register(prometheus);
            refusedLogins = Counter.builder().name("modreg_http_refused_logins_total")
                    .help("Requests refused for wrong credentials (a wrong token, password or user)").register(prometheus);
            prometheus.register((MultiCollector) () -> registryFigures(registry, statistics));
            JvmMetrics.builder().register(prometheus);
        }
    }

    @Activate
    public HttpMetrics(@Reference ModuleRegistry registry, @Reference ModuleStatistics statistics) {
        this.registry = registry;
        this.statistics = statistics;
    }

    private Meters meters() {
        Meters m = meters;
        if (m == null) {
            synchronized (this) {
                m = meters;
                if (m == null) {
                    meters = m = new Meters(registry, statistics);
                }
            }
        }
        return m;
    }

    /** Counts a request: its method, its route's template (not its path: a bounded set of labels) and status. */
    public void request(String method, String route, int status, long nanos) {
        Meters m = meters();
        m.requests.labelValues(method, route, Integer.toString(status)).inc();
        m.latency.labelValues(method, route).observe(nanos / 1e9);
    }

    /** Counts a login refused for wrong credentials. */
    public void refusedLogin() {
        meters().refusedLogins.inc();
    }

    /** @return the media type of {@link #write} */
    public String contentType() {
        return meters().writer.getContentType();
    }

    /** Writes every metric in the Prometheus text format. */
    public void write(OutputStream out) throws IOException {
        Meters m = meters();
        m.writer.write(out, m.prometheus.scrape());
    }

    private static MetricSnapshots registryFigures(ModuleRegistry registry, ModuleStatistics statistics) {
        MetricSnapshots.Builder all = MetricSnapshots.builder();
        List<Module> modules = registry.list();
        Map<ModuleState, Integer> byState = new EnumMap<>(ModuleState.class);
        for (ModuleState s : ModuleState.values()) {
            byState.put(s, 0);
        }
        modules.forEach(m -> byState.merge(m.state(), 1, Integer::sum));
        GaugeSnapshot.Builder states = GaugeSnapshot.builder().name("modreg_modules").help("Modules installed, by state");
        byState.forEach((s, n) -> states.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                .labels(Labels.of("state", s.name())).value(n).build()));
        all.metricSnapshot(states.build());

        List<ModuleStats> stats = statistics.all();
        CounterSnapshot.Builder starts = CounterSnapshot.builder().name("modreg_module_starts")
                .help("Starts of each module since it was first installed (kept across restarts)");
        CounterSnapshot.Builder failed = CounterSnapshot.builder().name("modreg_module_start_failures")
                .help("Failed starts of each module since it was first installed");
        CounterSnapshot.Builder lookups = CounterSnapshot.builder().name("modreg_module_lookups")
                .help("Look-ups of each module's services since it was first installed");
        for (ModuleStats s : stats) {
            Labels l = Labels.of("module", s.id());
            starts.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(l).value(s.starts()).build());
            failed.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(l).value(s.startFailures()).build());
            lookups.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(l).value(s.lookups()).build());
        }
        all.metricSnapshot(starts.build()).metricSnapshot(failed.build()).metricSnapshot(lookups.build());

        Metrics m = statistics.metrics();
        for (Metrics.Timing t : m.timings()) {
            double[] bounds = new double[t.bounds().size() + 1];
            long[] counts = new long[t.counts().size()];
            for (int i = 0; i < t.bounds().size(); i++) {
                bounds[i] = t.bounds().get(i);
            }
            bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
            for (int i = 0; i < counts.length; i++) {
                counts[i] = t.counts().get(i);
            }
            all.metricSnapshot(HistogramSnapshot.builder().name("modreg_" + t.name() + "_duration_seconds")
                    .help(switch (t.name()) {
                        case "start" -> "How long module starts took, since the container started";
                        case "check" -> "How long wiring checks took (before each install and update, and when asked)";
                        case "query" -> "How long registry queries took (find and services)";
                        default -> "How long " + t.name() + " took";
                    })
                    .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                            .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts)).sum(t.sumSeconds()).build())
                    .build());
        }
        CounterSnapshot.Builder ops = CounterSnapshot.builder().name("modreg_operations")
                .help("Operations ended since the container started, by operation, door (shell, deploy, http, host, api) and"
                        + " result; deploys are door=deploy, rollbacks result=ROLLED_BACK or operation=rollback");
        for (Metrics.OperationCount o : m.operations()) {
            ops.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                    .labels(Labels.of("operation", o.operation(), "door", o.door(), "result", o.result())).value(o.count()).build());
        }
        all.metricSnapshot(ops.build());

        Health h = statistics.health();
        all.metricSnapshot(gauge("modreg_index_modules", "Modules in the capability index", h.performance().indexedModules()));
        all.metricSnapshot(gauge("modreg_index_keys", "Keys of the capability index", h.performance().indexKeys()));
        all.metricSnapshot(gauge("modreg_index_postings", "Postings of the capability index", h.performance().indexPostings()));
        all.metricSnapshot(gauge("modreg_database_pending_writes", "Database writes queued and not yet committed",
                m.database().pendingWrites()));
        all.metricSnapshot(gauge("modreg_database_up", "1 while the database of records is open (or opening)",
                m.database().healthy() ? 1 : 0));
        all.metricSnapshot(gauge("modreg_deploy_watched", "1 while the deploy directory is watched or polled",
                m.deploy().healthy() ? 1 : 0));
        return all.build();
    }

    private static GaugeSnapshot gauge(String name, String help, double value) {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).build()).build();
    }
}
