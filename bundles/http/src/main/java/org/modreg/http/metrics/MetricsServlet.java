package org.modreg.http.metrics;

import java.io.IOException;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.modreg.http.Caller;
import org.modreg.http.ModregContext;
import org.modreg.http.Problems;
import org.modreg.http.Role;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/** {@code /metrics}: every metric in the Prometheus text format, for viewers (a scraper with a user or the token). */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(ModregContext.SELECT)
@HttpWhiteboardServletPattern("/metrics")
public final class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient HttpMetrics metrics;

    @Activate
    public MetricsServlet(@Reference HttpMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long t0 = System.nanoTime();
        int status = 200;
        try {
            Caller.require(req, Role.VIEWER);
            resp.setContentType(metrics.contentType());
            metrics.write(resp.getOutputStream());
        } catch (RuntimeException e) {
            status = Problems.status(e);
            Problems.write(resp, e, req.getRequestURI());
        }
        metrics.request("GET", "/metrics", status, System.nanoTime() - t0);
    }
}
