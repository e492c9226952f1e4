package org.modreg.http.rest;

import java.io.IOException;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.modreg.http.ModregContext;
import org.modreg.http.Problems;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * 503 on {@code /api/v1/*} while the registry's services are not there (the container is
 * starting, or the core stopped): ranked below {@link ApiServlet}, which shadows it once it is up.
 */
@Component(service = Servlet.class, property = "service.ranking:Integer=-1000")
@HttpWhiteboardContextSelect(ModregContext.SELECT)
@HttpWhiteboardServletPattern(ApiServlet.PREFIX + "/*")
public final class Unavailable extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Problems.drain(req);
        resp.setHeader("Retry-After", "1");
        Problems.write(resp, 503, "Service Unavailable", "the container is starting (or its registry is stopped):"
                + " try again shortly", req.getRequestURI(), null);
    }
}
