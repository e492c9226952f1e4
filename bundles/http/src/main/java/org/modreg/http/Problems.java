package org.modreg.http;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;

import org.modreg.api.AmbiguousModuleException;
import org.modreg.api.DuplicateModuleException;
import org.modreg.api.InvalidModuleException;
import org.modreg.api.InvalidQueryException;
import org.modreg.api.LifecycleException;
import org.modreg.api.ModuleNotFoundException;
import org.modreg.api.UnresolvableModuleException;

/**
 * Errors as {@code application/problem+json} (RFC 9457): a status, a title, the detail (the
 * registry's own message, as the shell prints it) and the request it is about. The registry's
 * exceptions map to statuses by what they mean.
 */
public final class Problems {

    /** The media type of an error. */
    public static final String MEDIA_TYPE = "application/problem+json";

    private Problems() {
    }

    /** A request that cannot be answered as asked, with its status: thrown by the plane's own code. */
    public static final class HttpError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        public HttpError(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** @return the status an exception answers with */
    public static int status(Throwable e) {
        if (e instanceof HttpError h) {
            return h.status;
        }
        if (e instanceof Caller.Forbidden) {
            return 403;
        }
        if (e instanceof ModuleNotFoundException) {
            return 404;
        }
        if (e instanceof DuplicateModuleException || e instanceof AmbiguousModuleException) {
            return 409;
        }
        if (e instanceof InvalidModuleException || e instanceof UnresolvableModuleException) {
            return 422;
        }
        if (e instanceof LifecycleException) {
            // the module did not do what was asked: its start threw or hung (ModuleTimeoutException), it is
            // archived, ...: the module's doing, not the server's, so a 4xx
            return 409;
        }
        if (e instanceof InvalidQueryException || e instanceof IllegalArgumentException) {
            return 400;
        }
        if (e instanceof IllegalStateException) {
            return 409;
        }
        return 500;
    }

    /** @return the title of a status */
    static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Content";
            case 503 -> "Service Unavailable";
            default -> "Internal Server Error";
        };
    }

    /** Writes the problem of an exception; an {@link UnresolvableModuleException} carries its report along. */
    public static void write(HttpServletResponse response, Throwable e, String instance) throws IOException {
        int status = status(e);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("exception", e.getClass().getSimpleName());
        if (e instanceof UnresolvableModuleException u) {
            extra.put("report", u.report());
        }
        String detail = e.getMessage() != null ? e.getMessage() : e.toString();
        write(response, status, title(status), detail, instance, extra);
    }

    /**
     * Reads what is left of a request's body, up to a bound, before an error is sent without
     * having read it (a 401, 403, 404, 415, ...): a body left unread makes Jetty close the
     * connection after the answer, and a client that sends its next request on it, as keep-alive
     * allows, gets no answer at all.
     */
    public static void drain(jakarta.servlet.http.HttpServletRequest request) {
        try {
            java.io.InputStream in = request.getInputStream();
            byte[] buf = new byte[8192];
            long left = 1 << 20;
            for (int n; left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0;) {
                left -= n;
            }
        } catch (IOException | IllegalStateException e) {
            // the body was read as a reader, or the client went: nothing to keep the connection for
        }
    }

    /** Writes a problem. */
    public static void write(HttpServletResponse response, int status, String title, String detail, String instance,
            Map<String, Object> extra) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (instance != null) {
            body.put("instance", instance);
        }
        if (extra != null) {
            body.putAll(extra);
        }
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType(MEDIA_TYPE);
        response.setCharacterEncoding("UTF-8");
        Json.write(response.getOutputStream(), body);
    }
}
