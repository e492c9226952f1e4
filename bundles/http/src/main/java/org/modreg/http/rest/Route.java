package org.modreg.http.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.modreg.http.Role;

/**
 * One resource method of the API: an HTTP method, a path template ({@code /modules/{ref}/start}),
 * the role it needs, what it does (for the OpenAPI document) and its handler.
 *
 * @param method   GET, POST, PUT or DELETE
 * @param template the path below {@code /api/v1}, with {@code {name}} for a path segment
 * @param role     the role a caller needs
 * @param summary  one line for the OpenAPI document
 * @param params   the query parameters, for the OpenAPI document
 * @param body     what the request body is, for the OpenAPI document: null for none
 * @param handler  what answers it
 */
public record Route(String method, String template, Role role, String summary, List<Param> params, String body,
        Handler handler) {

    /** Answers a request: returns what to send as JSON, or {@link Exchange#WRITTEN} if it wrote the response itself. */
    @FunctionalInterface
    public interface Handler {
        Object handle(Exchange x) throws Exception;
    }

    /**
     * A query parameter.
     *
     * @param name        its name
     * @param type        {@code string}, {@code integer}, {@code boolean}
     * @param description what it means
     */
    public record Param(String name, String type, String description) {
    }

    /** @return a parameter of type string */
    public static Param string(String name, String description) {
        return new Param(name, "string", description);
    }

    /** @return a parameter of type integer */
    public static Param integer(String name, String description) {
        return new Param(name, "integer", description);
    }

    /** @return a parameter of type boolean */
    public static Param flag(String name, String description) {
        return new Param(name, "boolean", description);
    }

    public Route {
        params = List.copyOf(params);
    }

    /** @return the names of the template's path parameters, in order */
    public List<String> pathParams() {
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("\\{([a-z]+)}").matcher(template);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** @return the template as a pattern, a group for each path parameter */
    Pattern pattern() {
        return Pattern.compile(template.replace(".", "\\.").replaceAll("\\{[a-z]+}", "([^/]+)"));
    }
}
