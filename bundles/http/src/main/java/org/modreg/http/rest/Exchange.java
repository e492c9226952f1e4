package org.modreg.http.rest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.databind.JsonNode;

import org.modreg.api.ModuleDeployer;
import org.modreg.api.ModuleHistory;
import org.modreg.api.ModuleLifecycle;
import org.modreg.api.ModuleRegistry;
import org.modreg.api.ModuleSource;
import org.modreg.http.Caller;
import org.modreg.http.Json;
import org.modreg.http.Problems.HttpError;
import org.modreg.http.Role;

/**
 * One request to a {@link Route}: its parameters, its body, and the registry's services acting
 * for its caller (their operations audited as {@code http:<user>}).
 */
public final class Exchange {

    /** What a handler returns when it wrote the response itself. */
    public static final Object WRITTEN = new Object();

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final Map<String, String> path;
    private final Caller caller;
    private final Services services;
    private final long uploadMax;
    private int status = 200;

    Exchange(HttpServletRequest request, HttpServletResponse response, Map<String, String> path, Caller caller,
            Services services, long uploadMax) {
        this.request = request;
        this.response = response;
        this.path = path;
        this.caller = caller;
        this.services = services;
        this.uploadMax = uploadMax;
    }

    public HttpServletRequest request() {
        return request;
    }

    public HttpServletResponse response() {
        return response;
    }

    public Caller caller() {
        return caller;
    }

    /** @return the read-only services: wiring, statistics, audit (their reads need no origin) */
    public Services services() {
        return services;
    }

    public ModuleRegistry registry() {
        return services.registry().as(caller.origin());
    }

    public ModuleDeployer deployer() {
        return services.deployer().as(caller.origin());
    }

    public ModuleHistory history() {
        return services.history().as(caller.origin());
    }

    public ModuleLifecycle lifecycle() {
        return services.lifecycle().as(caller.origin());
    }

    /** @param status the status of a successful answer (201 for a created module); default 200 */
    public void status(int status) {
        this.status = status;
    }

    int status() {
        return status;
    }

    /** @return a path parameter */
    public String path(String name) {
        return path.get(name);
    }

    /**
     * The module reference of the path, as the shell takes it: {@code {ref}} is a bundle id or a
     * module id, and {@code ?version=} makes it {@code id/version}.
     */
    public String ref() {
        String ref = path.get("ref");
        String version = query("version");
        return version == null ? ref : ref + "/" + version;
    }

    /** @return a query parameter; null if absent or empty */
    public String query(String name) {
        String v = request.getParameter(name);
        return v == null || v.isEmpty() ? null : v;
    }

    /** @return every value of a query parameter, comma-separated values split */
    public List<String> queries(String name) {
        String[] values = request.getParameterValues(name);
        List<String> out = new ArrayList<>();
        if (values != null) {
            for (String v : values) {
                for (String part : v.split(",")) {
                    if (!part.isBlank()) {
                        out.add(part.strip());
                    }
                }
            }
        }
        return out;
    }

    /** @return a boolean query parameter: absent is false, {@code true} or empty is true */
    public boolean flag(String name) {
        String v = request.getParameter(name);
        if (v == null) {
            return false;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "", "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new IllegalArgumentException("query parameter " + name + "=" + v + ": true or false");
        };
    }

    /** @return an integer query parameter, at least {@code min}; the default if absent */
    public int integer(String name, int otherwise, int min) {
        String v = query(name);
        if (v == null) {
            return otherwise;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n < min) {
                throw new IllegalArgumentException("query parameter " + name + "=" + v + ": at least " + min);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("query parameter " + name + "=" + v + ": not a whole number");
        }
    }

    /** @throws org.modreg.http.Caller.Forbidden if {@code ?force} is asked and the caller is no administrator */
    public boolean force() {
        boolean force = flag("force");
        if (force) {
            Caller.require(request, Role.ADMIN);
        }
        return force;
    }

    /** @return whether the body is a jar (any content type but JSON, form or text) */
    public boolean hasJar() {
        String type = request.getContentType();
        long length = request.getContentLengthLong();
        if (length == 0) {
            return false;
        }
        if (type == null) {
            return length > 0;
        }
        String t = type.toLowerCase(Locale.ROOT);
        return !(t.startsWith("application/json") || t.startsWith("text/") || t.startsWith("application/x-www-form-urlencoded"));
    }

    /** @return whether the body is JSON (sent with its length or chunked) */
    public boolean isJson() {
        String type = request.getContentType();
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/json") && request.getContentLengthLong() != 0;
    }

    /** @return the JSON body; an empty object if there is none */
    public JsonNode json() throws IOException {
        String type = request.getContentType();
        if (request.getContentLengthLong() == 0 || type == null && request.getContentLengthLong() < 0) {
            return Json.MAPPER.createObjectNode();
        }
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new HttpError(415, "the body must be application/json here, not " + type);
        }
        try (InputStream in = limited()) {
            JsonNode n = Json.MAPPER.readTree(in);
            return n == null ? Json.MAPPER.createObjectNode() : n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new HttpError(400, "the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** @return a string member of the JSON body, or null */
    public static String text(JsonNode body, String name) {
        JsonNode n = body.get(name);
        return n == null || n.isNull() ? null : n.asText();
    }

    /**
     * The jar in the body, streamed: nothing is buffered here, the registry stages it in its
     * content store as it reads. Larger than {@code upload.max} is refused with 413, at once when
     * the request says its length, or as soon as the limit is passed.
     *
     * @param fallbackName the file name when the request gives none ({@code ?name=} or
     *                     {@code Content-Disposition})
     */
    public ModuleSource upload(String fallbackName) throws IOException {
        String name = query("name");
        String disposition = request.getHeader("Content-Disposition");
        if (name == null && disposition != null) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("filename=\"?([^\";]+)\"?").matcher(disposition);
            if (m.find()) {
                name = m.group(1);
            }
        }
        name = name == null ? fallbackName : fileName(name);
        return ModuleSource.of(name, limited());
    }

    /** @return a plain file name: no directories, no leading dot */
    public static String fileName(String name) {
        String n = name;
        if (n.isEmpty() || n.startsWith(".") || !n.matches("[A-Za-z0-9._+-]+")) {
            throw new IllegalArgumentException("file name \"" + name + "\": letters, digits and . _ + - only, not starting with a dot");
        }
        return n;
    }

    private InputStream limited() throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > uploadMax) {
            throw new HttpError(413, "the body has " + declared + " bytes; at most " + uploadMax + " are taken (upload.max)");
        }
        return new FilterInputStream(request.getInputStream()) {
            private long read;

            private void count(long n) throws IOException {
                if (n > 0 && (read += n) > uploadMax) {
                    throw new TooLarge(uploadMax);
                }
            }

            @Override
            public int read() throws IOException {
                int b = super.read();
                count(b < 0 ? 0 : 1);
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                count(n);
                return n;
            }
        };
    }

    /** An upload past the limit: the registry sees an I/O error, the caller a 413. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(long max) {
            super("the body is larger than " + max + " bytes (upload.max)");
        }
    }
}
