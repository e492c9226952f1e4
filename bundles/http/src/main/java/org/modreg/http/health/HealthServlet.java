package org.modreg.http.health;

import java.io.IOException;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.modreg.api.ModuleRegistry;
import org.modreg.http.ModregContext;
import org.modreg.http.metrics.HttpMetrics;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code /health}, for load balancers: no authentication and no detail, 200 with the worst
 * status ({@code OK} or {@code WARN}) or 503 ({@code CRITICAL}, {@code TEMPORARILY_UNAVAILABLE},
 * {@code HEALTH_CHECK_ERROR}), and 503 {@code CRITICAL} while the registry is not running. The detail
 * is {@code /api/v1/health}, for viewers.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(ModregContext.SELECT)
@HttpWhiteboardServletPattern("/health")
public final class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient Checks checks;
    /** Optional, as the registry is: while it is down, /health answers 503 (and is not counted). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private transient volatile HttpMetrics metrics;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private transient volatile ModuleRegistry registry;

    @Activate
    public HealthServlet(@Reference Checks checks) {
        this.checks = checks;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long t0 = System.nanoTime();
        boolean registryUp = registry != null;
        Checks.Report r = registryUp ? checks.run() : null;
        int status = r != null && r.healthy() ? 200 : 503;
        resp.setStatus(status);
        resp.setContentType("text/plain;charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.getWriter().println(r != null ? r.status() : "CRITICAL");
        HttpMetrics m = metrics;
        if (m != null) {
            m.request("GET", "/health", status, System.nanoTime() - t0);
        }
    }
}
