package org.modreg.http.rest;

import java.io.IOException;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.modreg.api.ModuleAudit;
import org.modreg.api.ModuleDeployer;
import org.modreg.api.ModuleHistory;
import org.modreg.api.ModuleLifecycle;
import org.modreg.api.ModuleRegistry;
import org.modreg.api.ModuleStatistics;
import org.modreg.api.ModuleWiring;
import org.modreg.http.Caller;
import org.modreg.http.Json;
import org.modreg.http.ModregContext;
import org.modreg.http.Problems;
import org.modreg.http.command.CommandEndpoint;
import org.modreg.http.events.EventStream;
import org.modreg.http.health.Checks;
import org.modreg.http.metrics.HttpMetrics;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code /api/v1/*}: one servlet, a table of {@link Route}s. Each request is matched to its
 * route (404 no such path, 405 with {@code Allow} for another method), its caller's role is
 * checked (403), the route answers, and what it returns is sent as JSON; an exception becomes a
 * problem ({@link Problems}). Every request is counted by route and status.
 *
 * <p>It is there once the registry's services are; until then {@link Unavailable} answers 503.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(ModregContext.SELECT)
@HttpWhiteboardServletPattern(ApiServlet.PREFIX + "/*")
@HttpWhiteboardServletAsyncSupported
public final class ApiServlet extends HttpServlet {

    /** Where the API lives. */
    public static final String PREFIX = "/api/v1";

    private static final long serialVersionUID = 1L;

    private final transient Routes routes = new Routes();
    private final transient Services services;
    private final transient ModregContext context;
    private final transient HttpMetrics metrics;

    @Activate
    public ApiServlet(@Reference ModuleRegistry registry, @Reference ModuleWiring wiring, @Reference ModuleDeployer deployer,
            @Reference ModuleStatistics statistics, @Reference ModuleAudit audit, @Reference ModuleHistory history,
            @Reference ModuleLifecycle lifecycle, @Reference ModregContext context, @Reference HttpMetrics metrics,
            @Reference Checks checks, @Reference EventStream events, @Reference CommandEndpoint commands) {
        this.services = new Services(registry, wiring, deployer, statistics, audit, history, lifecycle);
        this.context = context;
        this.metrics = metrics;
        String boot = context.bootLocation();
        ModuleRoutes.add(routes, boot);
        DeployRoutes.add(routes);
        ContainerRoutes.add(routes, checks);
        events.routes(routes);
        commands.routes(routes);
        routes.add("GET", "/openapi.json", org.modreg.http.Role.VIEWER, "This document: every resource of the API", null,
                x -> OpenApi.document(routes.all()));
    }

    /** @return the routes, for the OpenAPI document and its test */
    public Routes routes() {
        return routes;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long t0 = System.nanoTime();
        String path = req.getPathInfo() == null ? "/" : req.getPathInfo();
        Routes.Match match = routes.match(req.getMethod(), path);
        String label = match.route() == null ? "unmatched" : match.route().template();
        int status;
        try {
            if (match.route() == null) {
                if (match.allowed().isEmpty()) {
                    throw new Problems.HttpError(404, "no resource " + PREFIX + path + " (see " + PREFIX + "/openapi.json)");
                }
                resp.setHeader("Allow", String.join(", ", match.allowed()));
                throw new Problems.HttpError(405, req.getMethod() + " is not allowed on " + PREFIX + path + ": "
                        + String.join(", ", match.allowed()));
            }
            Caller caller = Caller.require(req, match.route().role());
            Exchange x = new Exchange(req, resp, match.params(), caller, services, context.config().upload_max());
            Object result = match.route().handler().handle(x);
            if (result != Exchange.WRITTEN) {
                resp.setStatus(x.status());
                if (result instanceof CharSequence text) {
                    if (resp.getContentType() == null) {
                        resp.setContentType("text/plain;charset=utf-8");
                    }
                    resp.getWriter().print(text);
                } else {
                    resp.setContentType("application/json");
                    Json.write(resp.getOutputStream(), result);
                }
            }
            status = resp.getStatus();
        } catch (Exception e) {
            Throwable t = tooLarge(e);
            Throwable shown = t != null ? new Problems.HttpError(413, t.getMessage()) : e;
            status = Problems.status(shown);
            if (status == 500) {
                log(req.getMethod() + " " + req.getRequestURI() + " failed", e);
            }
            if (status != 413) {
                Problems.drain(req);
            }
            Problems.write(resp, shown, req.getRequestURI());
        }
        metrics.request(req.getMethod(), match.route() == null ? label : PREFIX + label, status, System.nanoTime() - t0);
    }

    private static Throwable tooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Exchange.TooLarge) {
                return t;
            }
        }
        return null;
    }
}
