package org.modreg.http.rest;

import static org.modreg.http.rest.Route.integer;
import static org.modreg.http.rest.Route.string;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.modreg.api.ModuleSource;
import org.modreg.api.dto.DependencyGraph;
import org.modreg.api.dto.ServiceMatch;
import org.modreg.http.Role;
import org.modreg.http.health.Checks;

/** What is about the whole container: check, services, graph, why, statistics, health, audit, verify, marks, retention. */
final class ContainerRoutes {

    private ContainerRoutes() {
    }

    static void add(Routes r, Checks checks) {
        r.add("POST", "/check", Role.OPERATOR,
                "Dry run of a jar against what is installed: would it resolve, what is missing, near misses, uses conflicts;"
                        + " with ?update=REF as an update of that module (what would be refreshed, what would break)",
                ModuleRoutes.JAR, x -> {
                    ModuleSource s = x.hasJar() ? x.upload("check.jar") : location(x);
                    String update = x.query("update");
                    return update == null ? x.services().wiring().check(s) : x.services().wiring().checkUpdate(update, s);
                }, string("update", "check as an update of this module"), string("name", "the upload's file name"));
        r.add("GET", "/services", Role.VIEWER, "Live services providing a capability, best first, with their module", null,
                x -> services(x), string("capability", "the named capability"), string("interface", "only this interface"),
                string("filter", "an LDAP filter over the service properties"));
        r.add("GET", "/why", Role.VIEWER, "The wires tying two modules, directly or along the shortest chain", null,
                x -> x.services().wiring().why(required(x, "from"), required(x, "to")), string("from", "a module"),
                string("to", "another module"));
        r.add("GET", "/graph", Role.VIEWER,
                "The dependency graph (all, or around one module): nodes, edges, cycles, start order, conflicts; as JSON,"
                        + " or Graphviz DOT with ?format=dot or Accept: text/vnd.graphviz", null, x -> {
                    String module = x.query("module");
                    DependencyGraph g = module == null ? x.services().wiring().graph() : x.services().wiring().graph(module);
                    String accept = x.request().getHeader("Accept");
                    if ("dot".equals(x.query("format")) || accept != null && accept.contains("text/vnd.graphviz")) {
                        x.response().setContentType("text/vnd.graphviz;charset=utf-8");
                        return g.toDot();
                    }
                    return g;
                }, string("module", "around this module"), string("format", "json (default) or dot"));
        r.add("GET", "/stats", Role.VIEWER, "Usage statistics of every module", null, x -> x.services().statistics().all());
        r.add("GET", "/top", Role.VIEWER, "The modules most looked up", null,
                x -> x.services().statistics().top(x.integer("n", 10, 1)), integer("n", "how many (default 10)"));
        r.add("GET", "/recent", Role.VIEWER, "Modules installed or updated lately, newest first", null,
                x -> x.services().statistics().recent(Duration.ofDays(x.integer("days", 7, 1))),
                integer("days", "how far back (default 7)"));
        r.add("GET", "/health", Role.VIEWER,
                "The container's health in detail: every health check with its messages (FAILED modules with reasons, the"
                        + " database, the deploy directory, HTTP, and checks modules add), and the modules by state", null, x -> {
                    Checks.Report report = checks.run();
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("status", report.status());
                    out.put("healthy", report.healthy());
                    out.put("checks", report.checks());
                    out.put("modules", x.services().statistics().health());
                    if (!report.healthy()) {
                        x.status(503);
                    }
                    return out;
                });
        r.add("GET", "/metrics", Role.VIEWER, "The operational figures as JSON (histograms, operations, database, deploy);"
                + " /metrics has them for Prometheus", null, x -> x.services().statistics().metrics());
        r.add("GET", "/audit", Role.VIEWER, "The audit trail, oldest first", null,
                x -> x.services().audit().trail(x.query("module"), since(x.query("since")), x.integer("limit", 50, 0)),
                string("module", "only this module's entries"),
                string("since", "a date, a date and time (2026-11-26T14:30), or a time back (30m, 2h, 7d)"),
                integer("limit", "the newest N (default 50; 0 for all)"));
        r.add("GET", "/verify", Role.VIEWER, "Hash every stored copy (kept and installed versions) again", null,
                x -> x.services().history().verify(null));
        r.add("GET", "/marks", Role.VIEWER, "Every lifecycle mark", null, x -> x.services().lifecycle().marks());
        r.add("POST", "/retention", Role.ADMIN, "Apply retention now (old versions' bytes, archived modules)", null,
                x -> Map.of("removed", x.lifecycle().retain()));
        r.add("GET", "/whoami", Role.VIEWER, "The caller: user and role", null,
                x -> Map.of("user", x.caller().user(), "role", x.caller().role().toString(), "origin", x.caller().origin()));
    }

    private static List<Map<String, Object>> services(Exchange x) {
        String capability = required(x, "capability");
        List<ServiceMatch<Object>> found = x.services().registry().services(x.query("interface"), capability, x.query("filter"));
        return found.stream().map(m -> {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("serviceId", m.info().serviceId());
            o.put("objectClass", m.info().objectClass());
            o.put("ranking", m.reference().getProperty(org.osgi.framework.Constants.SERVICE_RANKING));
            o.put("module", Map.of("id", m.provider().id(), "version", m.provider().version().toString(), "bundleId",
                    m.provider().bundleId()));
            o.put("properties", m.info().properties());
            return o;
        }).toList();
    }

    private static ModuleSource location(Exchange x) throws java.io.IOException {
        String location = Exchange.text(x.json(), "location");
        if (location == null) {
            throw new IllegalArgumentException("nothing to check: send a jar, or {\"location\": path or URL}");
        }
        return ModuleSource.parse(location);
    }

    private static String required(Exchange x, String name) {
        String v = x.query(name);
        if (v == null) {
            throw new IllegalArgumentException("query parameter " + name + " is needed");
        }
        return v;
    }

    /** The shell's forms of a time: a date, a date and time, or a time back (30m, 2h, 7d). */
    static Instant since(String text) {
        if (text == null) {
            return null;
        }
        try {
            return org.modreg.api.ModuleAudit.since(text, java.time.Clock.systemDefaultZone());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("since " + e.getMessage());
        }
    }
}
