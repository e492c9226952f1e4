package org.modreg.http.rest;

import static org.modreg.http.rest.Route.flag;
import static org.modreg.http.rest.Route.integer;
import static org.modreg.http.rest.Route.string;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import org.modreg.api.InstallOption;
import org.modreg.api.ModuleQuery;
import org.modreg.api.ModuleSource;
import org.modreg.api.ModuleState;
import org.modreg.api.dto.CapabilityInfo;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleMatch;
import org.modreg.api.dto.RequirementInfo;
import org.modreg.http.Problems.HttpError;
import org.modreg.http.Role;

/** The resources of modules: {@code /modules} and {@code /modules/{ref}/...}. */
final class ModuleRoutes {

    static final String JAR = "a jar (application/java-archive), streamed; or application/json {\"location\": path or URL}";

    private ModuleRoutes() {
    }

    static void add(Routes r, String boot) {
        r.add("GET", "/modules", Role.VIEWER, "Modules matching every criterion given (all without any), ranked", null,
                ModuleRoutes::find,
                string("capability", "named capabilities, all of them (comma-separated or repeated)"),
                string("namespace", "the namespace of filter; default modreg.capability"),
                string("filter", "an LDAP filter over the capabilities of the namespace"),
                string("q", "keywords, ranked by relevance"), string("type", "module type: plugin, library, service, ..."),
                string("tag", "any of these tags"), string("alltags", "all of these tags"),
                string("versions", "an OSGi version range"), string("state", "these states (comma-separated)"),
                integer("limit", "at most this many"), integer("offset", "skip this many"),
                flag("matches", "answer with each match's score and matched capabilities"),
                string("view", "summary: each module's bundle id, id, version, name, state, type and tags only"));
        r.add("POST", "/modules", Role.OPERATOR, "Install a module: validate, check wiring, store, install (201)", JAR,
                ModuleRoutes::install, string("name", "the upload's file name"), flag("start", "start it too"),
                flag("force", "install even if it would not resolve (admin)"));
        r.add("GET", "/modules/{ref}", Role.VIEWER, "One module: a bundle id, a module id, or an id with ?version=", null,
                x -> x.services().registry().get(x.ref()), string("version", "the version, when several are installed"));
        r.add("DELETE", "/modules/{ref}", Role.OPERATOR, "Uninstall a module (refreshes what was wired to it)", null,
                x -> x.registry().uninstall(guarded(x, boot, "uninstall")), string("version", "the version"),
                flag("force", "even one of the container's own modules (admin)"));
        r.add("POST", "/modules/{ref}/start", Role.OPERATOR, "Start a module", null, x -> x.registry().start(x.ref()),
                string("version", "the version"));
        r.add("POST", "/modules/{ref}/stop", Role.OPERATOR, "Stop a module", null,
                x -> x.registry().stop(guarded(x, boot, "stop")), string("version", "the version"),
                flag("force", "even one of the container's own modules (admin)"));
        r.add("POST", "/modules/{ref}/update", Role.OPERATOR,
                "Update a module from its own location, or from the jar or location given; refused if it or a module wired to it"
                        + " would not resolve", JAR, x -> update(x, boot), string("version", "the version"),
                flag("force", "even if it would break what is wired to it, or is one of the container's own (admin)"));
        r.add("POST", "/refresh", Role.OPERATOR, "Rewire modules and their dependents; none named: all with stale revisions",
                "application/json {\"modules\": [ref, ...]}", x -> {
                    JsonNode body = x.json();
                    List<String> refs = new ArrayList<>(x.queries("module"));
                    body.path("modules").forEach(n -> refs.add(n.asText()));
                    return x.registry().refresh(refs.toArray(new String[0]));
                }, string("module", "a module to refresh (repeatable)"));
        r.add("GET", "/modules/{ref}/check", Role.VIEWER, "Would the installed module resolve, and if not, why", null,
                x -> x.services().wiring().check(x.ref()), string("version", "the version"));
        r.add("GET", "/modules/{ref}/capabilities", Role.VIEWER, "A module's capabilities", null,
                x -> capabilities(x.services().registry().get(x.ref()), x.query("namespace")),
                string("namespace", "only namespaces matching this * pattern"), string("version", "the version"));
        r.add("GET", "/modules/{ref}/requirements", Role.VIEWER, "A module's requirements", null,
                x -> requirements(x.services().registry().get(x.ref()), x.query("namespace")),
                string("namespace", "only namespaces matching this * pattern"), string("version", "the version"));
        r.add("GET", "/modules/{ref}/dependencies", Role.VIEWER, "What a module is wired to", null,
                x -> x.services().wiring().dependencies(x.ref(), x.flag("transitive")), flag("transitive", "transitively"),
                string("version", "the version"));
        r.add("GET", "/modules/{ref}/dependents", Role.VIEWER, "What is wired to a module", null,
                x -> x.services().wiring().dependents(x.ref(), x.flag("transitive")), flag("transitive", "transitively"),
                string("version", "the version"));
        r.add("GET", "/modules/{ref}/stats", Role.VIEWER, "A module's usage statistics", null,
                x -> x.services().statistics().stats(x.ref()), string("version", "the version"));
        r.add("GET", "/modules/{ref}/history", Role.VIEWER, "The versions a module has had", null,
                x -> x.services().history().history(x.path("ref")));
        r.add("POST", "/modules/{ref}/rollback", Role.OPERATOR,
                "Go back to a kept version through the safe update (by default the one before the installed version)",
                "application/json {\"version\": \"...\"}", x -> {
                    String v = x.query("to") != null ? x.query("to") : Exchange.text(x.json(), "version");
                    return x.history().rollback(x.path("ref"), v);
                }, string("to", "the version to go back to"));
        r.add("GET", "/modules/{ref}/diff", Role.VIEWER, "Two kept versions compared: manifests and API (bnd baselining)", null,
                x -> x.services().history().diff(x.path("ref"), required(x, "from"), required(x, "to")),
                string("from", "the older version"), string("to", "the newer version"));
        r.add("GET", "/modules/{ref}/resolve", Role.VIEWER, "The best kept or installed version within a range", null,
                x -> x.services().history().resolve(x.path("ref"), required(x, "range")), string("range", "an OSGi version range"));
        r.add("GET", "/modules/{ref}/verify", Role.VIEWER, "Hash a module's stored copies again", null,
                x -> x.services().history().verify(x.path("ref")));
        r.add("GET", "/modules/{ref}/mark", Role.VIEWER, "A module's lifecycle mark (404 if none)", null,
                x -> x.services().lifecycle().mark(x.path("ref"))
                        .orElseThrow(() -> new HttpError(404, x.path("ref") + " has no mark")));
        r.add("PUT", "/modules/{ref}/mark", Role.ADMIN, "Deprecate (still works, warned) or archive (stopped, not startable)",
                "application/json {\"kind\": \"deprecated\"|\"archived\", \"reason\": ..., \"replacement\": ...}", x -> {
                    JsonNode b = x.json();
                    String kind = Exchange.text(b, "kind");
                    String reason = Exchange.text(b, "reason");
                    if ("deprecated".equalsIgnoreCase(kind)) {
                        return x.lifecycle().deprecate(x.path("ref"), reason, Exchange.text(b, "replacement"));
                    }
                    if ("archived".equalsIgnoreCase(kind)) {
                        return x.lifecycle().archive(x.path("ref"), reason);
                    }
                    throw new IllegalArgumentException("kind \"" + kind + "\": deprecated or archived");
                });
        r.add("DELETE", "/modules/{ref}/mark", Role.ADMIN, "Remove a module's mark", null,
                x -> x.lifecycle().unmark(x.path("ref")).orElseThrow(() -> new HttpError(404, x.path("ref") + " has no mark")));
        r.add("DELETE", "/modules/{ref}/versions", Role.ADMIN,
                "Delete a module: every version uninstalled, its kept bytes removed (refused while used, unless forced)", null,
                x -> x.lifecycle().delete(x.path("ref"), x.flag("force")), flag("force", "even while other modules use it"));
    }

    private static Object find(Exchange x) {
        ModuleQuery q = ModuleQuery.all();
        List<String> caps = x.queries("capability");
        if (!caps.isEmpty()) {
            q = q.capability(caps.toArray(new String[0]));
        }
        if (x.query("filter") != null || x.query("namespace") != null) {
            q = q.filter(x.query("namespace") == null ? ModuleQuery.CAPABILITY_NAMESPACE : x.query("namespace"), x.query("filter"));
        }
        if (x.query("q") != null) {
            q = q.keywords(x.query("q"));
        }
        if (x.query("type") != null) {
            q = q.type(x.query("type"));
        }
        if (!x.queries("tag").isEmpty()) {
            q = q.anyTag(x.queries("tag").toArray(new String[0]));
        }
        if (!x.queries("alltags").isEmpty()) {
            q = q.allTags(x.queries("alltags").toArray(new String[0]));
        }
        if (x.query("versions") != null) {
            q = q.versions(x.query("versions"));
        }
        List<String> states = x.queries("state");
        if (!states.isEmpty()) {
            ModuleState[] s = new ModuleState[states.size()];
            for (int i = 0; i < s.length; i++) {
                try {
                    s[i] = ModuleState.valueOf(states.get(i).toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("state \"" + states.get(i) + "\": one of "
                            + java.util.Arrays.toString(ModuleState.values()));
                }
            }
            q = q.state(s);
        }
        q = q.limit(x.integer("limit", Integer.MAX_VALUE, 0)).offset(x.integer("offset", 0, 0));
        List<ModuleMatch> found = x.services().registry().find(q);
        String view = x.query("view");
        if (view != null && !view.equals("summary") && !view.equals("full")) {
            throw new IllegalArgumentException("view \"" + view + "\": summary or full");
        }
        if ("summary".equals(view)) {
            return found.stream().map(m -> new Summary(m.module().bundleId(), m.module().id(), m.module().version().toString(),
                    m.module().name(), m.module().state().name(), m.module().type(), m.module().tags())).toList();
        }
        return x.flag("matches") ? found : found.stream().map(ModuleMatch::module).toList();
    }

    /** A module in a list, for dashboards: a record is ~10 KB with its capabilities, this ~150 bytes. */
    record Summary(long bundleId, String id, String version, String name, String state, String type, List<String> tags) {
    }

    private static Object install(Exchange x) throws java.io.IOException {
        List<InstallOption> options = new ArrayList<>();
        ModuleSource source;
        boolean start = x.flag("start");
        boolean force = x.force();
        if (x.hasJar()) {
            source = x.upload("upload.jar");
        } else {
            JsonNode body = x.json();
            String location = Exchange.text(body, "location");
            if (location == null) {
                throw new IllegalArgumentException("nothing to install: send a jar, or {\"location\": path or URL}");
            }
            source = ModuleSource.parse(location);
            start |= body.path("start").asBoolean(false);
            if (body.path("force").asBoolean(false) && !force) {
                force = true;
                org.modreg.http.Caller.require(x.request(), Role.ADMIN);
            }
        }
        if (start) {
            options.add(InstallOption.START);
        }
        if (force) {
            options.add(InstallOption.FORCE);
        }
        Module m = x.registry().install(source, options.toArray(new InstallOption[0]));
        x.status(201);
        x.response().setHeader("Location", ApiServlet.PREFIX + "/modules/" + m.bundleId());
        return m;
    }

    private static Object update(Exchange x, String boot) throws java.io.IOException {
        boolean force = x.force();
        String ref = guarded(x, boot, "update");
        InstallOption[] options = force ? new InstallOption[] { InstallOption.FORCE } : new InstallOption[0];
        if (x.hasJar()) {
            return x.registry().update(ref, x.upload("update.jar"), options);
        }
        String location = Exchange.text(x.json(), "location");
        return location == null ? x.registry().update(ref, options) : x.registry().update(ref, ModuleSource.parse(location), options);
    }

    /**
     * The container's own modules, the framework and the launcher's boot bundles, are not
     * stopped, updated or uninstalled unless forced (an administrator's {@code ?force=true}), as
     * the shell guards them.
     */
    private static String guarded(Exchange x, String boot, String operation) {
        String ref = x.ref();
        if (x.force()) {
            return ref;
        }
        Module m = x.services().registry().get(ref);
        if (m.bundleId() == 0) {
            throw new HttpError(409, m.id() + " " + m.version() + " (bundle 0) is the framework: to " + operation
                    + " it would take the container down; ?force=true (admin) to " + operation + " it anyway");
        }
        if (boot != null && m.location().startsWith(boot)) {
            throw new HttpError(409, m.id() + " " + m.version() + " (bundle " + m.bundleId() + ") is one of the container's own"
                    + " modules (a boot bundle, " + m.location() + "): to " + operation + " it could take the registry or this"
                    + " API away; ?force=true (admin) to " + operation + " it anyway");
        }
        return ref;
    }

    private static String required(Exchange x, String name) {
        String v = x.query(name);
        if (v == null) {
            throw new IllegalArgumentException("query parameter " + name + " is needed");
        }
        return v;
    }

    private static List<CapabilityInfo> capabilities(Module m, String pattern) {
        return m.capabilities().stream().filter(c -> matches(pattern, c.namespace())).toList();
    }

    private static List<RequirementInfo> requirements(Module m, String pattern) {
        return m.requirements().stream().filter(c -> matches(pattern, c.namespace())).toList();
    }

    private static boolean matches(String pattern, String namespace) {
        return pattern == null || namespace.matches(java.util.regex.Pattern.quote(pattern).replace("*", "\\E.*\\Q"));
    }
}
