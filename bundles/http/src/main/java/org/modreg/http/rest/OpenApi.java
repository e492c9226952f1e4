package org.modreg.http.rest;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.modreg.http.Json;

/**
 * The OpenAPI 3.0 document of the API, made from the route table itself, so that it lists every
 * resource the servlet answers and no other: paths, methods, parameters, the role each needs,
 * request bodies and the problem responses.
 */
final class OpenApi {

    private OpenApi() {
    }

    static ObjectNode document(List<Route> routes) {
        ObjectNode doc = Json.MAPPER.createObjectNode();
        doc.put("openapi", "3.0.3");
        ObjectNode info = doc.putObject("info");
        info.put("title", "modreg management API");
        info.put("version", "1");
        info.put("description", "The registry of a running modreg container. Every request is authenticated (the token of"
                + " data/modreg/http/token as a Bearer token, or a user with HTTP Basic) except /health; each operation names"
                + " the role it needs (viewer, operator, admin). Errors are application/problem+json (RFC 9457).");
        doc.putArray("servers").addObject().put("url", ApiServlet.PREFIX);
        ObjectNode schemes = doc.putObject("components").putObject("securitySchemes");
        schemes.putObject("token").put("type", "http").put("scheme", "bearer");
        schemes.putObject("basic").put("type", "http").put("scheme", "basic");
        ArrayNode security = doc.putArray("security");
        security.addObject().putArray("token");
        security.addObject().putArray("basic");
        ObjectNode paths = doc.putObject("paths");
        for (Route r : routes) {
            ObjectNode path = paths.has(r.template()) ? (ObjectNode) paths.get(r.template()) : paths.putObject(r.template());
            ObjectNode op = path.putObject(r.method().toLowerCase(java.util.Locale.ROOT));
            op.put("summary", r.summary());
            op.put("x-role", r.role().toString());
            op.put("operationId", r.method().toLowerCase(java.util.Locale.ROOT) + r.template().replaceAll("[^A-Za-z]+", "_"));
            ArrayNode params = op.putArray("parameters");
            for (String p : r.pathParams()) {
                ObjectNode n = params.addObject();
                n.put("name", p).put("in", "path").put("required", true);
                n.put("description", "ref".equals(p) ? "a bundle id or a module id (with ?version= when several are installed)"
                        : p);
                n.putObject("schema").put("type", "string");
            }
            for (Route.Param p : r.params()) {
                ObjectNode n = params.addObject();
                n.put("name", p.name()).put("in", "query").put("description", p.description());
                n.putObject("schema").put("type", p.type());
            }
            if (r.body() != null) {
                ObjectNode body = op.putObject("requestBody");
                body.put("description", r.body());
                ObjectNode content = body.putObject("content");
                if (r.body().contains("java-archive")) {
                    content.putObject("application/java-archive").putObject("schema").put("type", "string").put("format", "binary");
                }
                if (r.body().contains("json")) {
                    content.putObject("application/json").putObject("schema").put("type", "object");
                }
                if (r.body().contains("text/plain")) {
                    content.putObject("text/plain").putObject("schema").put("type", "string");
                }
            }
            ObjectNode responses = op.putObject("responses");
            responses.putObject("200").put("description", "the answer, as JSON (unless said otherwise)");
            for (String[] s : new String[][] { { "400", "a malformed request or query" }, { "401", "no or wrong credentials" },
                    { "403", "the role " + r.role() + " is needed" }, { "404", "no such module or resource" },
                    { "409", "a duplicate, an immutable version, or a guarded or refusing module" },
                    { "413", "the upload is larger than upload.max" }, { "422", "not a bundle, or it would not resolve" },
                    { "503", "the container is starting" } }) {
                responses.putObject(s[0]).put("description", s[1]).putObject("content").putObject("application/problem+json");
            }
        }
        return doc;
    }
}
