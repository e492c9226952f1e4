package org.modreg.http.rest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.modreg.http.Role;

/** The API's routes, in the order they were added; a request goes to the first that matches its path and method. */
public final class Routes {

    private final List<Route> routes = new ArrayList<>();
    private final List<Compiled> compiled = new ArrayList<>();

    private record Compiled(Route route, java.util.regex.Pattern pattern, List<String> names) {
    }

    /** Adds a route. */
    public Routes add(String method, String template, Role role, String summary, String body, Route.Handler handler,
            Route.Param... params) {
        Route r = new Route(method, template, role, summary, List.of(params), body, handler);
        routes.add(r);
        compiled.add(new Compiled(r, r.pattern(), r.pathParams()));
        return this;
    }

    /** @return every route */
    public List<Route> all() {
        return List.copyOf(routes);
    }

    /** What a path matched: the route and its path parameters, or the methods the path allows. */
    record Match(Route route, Map<String, String> params, Set<String> allowed) {
    }

    /** @return the route for the method and path; if none, the methods the path has (empty: no such path) */
    Match match(String method, String path) {
        Set<String> allowed = new TreeSet<>();
        for (Compiled c : compiled) {
            java.util.regex.Matcher m = c.pattern().matcher(path);
            if (m.matches()) {
                if (c.route().method().equals(method)) {
                    Map<String, String> params = new LinkedHashMap<>();
                    for (int i = 0; i < c.names().size(); i++) {
                        params.put(c.names().get(i), java.net.URLDecoder.decode(m.group(i + 1), java.nio.charset.StandardCharsets.UTF_8));
                    }
                    return new Match(c.route(), params, Set.of());
                }
                allowed.add(c.route().method());
            }
        }
        return new Match(null, Map.of(), allowed);
    }
}
