package org.modreg.http.rest;

import static org.modreg.http.rest.Route.string;

import org.modreg.api.ModuleSource;
import org.modreg.http.Role;

/** The deploy directory: {@code /deploy}, its plan, and undeploy and reload. */
final class DeployRoutes {

    private DeployRoutes() {
    }

    static void add(Routes r) {
        r.add("GET", "/deploy/plan", Role.VIEWER, "What applying the deploy directory would do (touches nothing)", null,
                x -> x.services().deployer().plan());
        r.add("POST", "/deploy/plan", Role.OPERATOR, "What deploying this jar would do (touches nothing)", ModuleRoutes.JAR,
                x -> x.services().deployer().plan(source(x)), string("name", "the file name in the deploy directory"));
        r.add("POST", "/deploy", Role.OPERATOR,
                "Copy a jar into the deploy directory and apply it (checked before it is copied); without a jar, apply the"
                        + " whole directory", ModuleRoutes.JAR,
                x -> x.hasJar() || x.isJson() ? x.deployer().deploy(source(x)) : x.deployer().scan(),
                string("name", "the file name in the deploy directory"));
        r.add("DELETE", "/deploy/{ref}", Role.OPERATOR,
                "Delete a module's file from the deploy directory and undeploy it; names the dependents left without a provider",
                null, x -> x.deployer().undeploy(x.ref()), string("version", "the version"));
        r.add("POST", "/modules/{ref}/reload", Role.OPERATOR,
                "Apply the module's deploy file again through the safe update, even if unchanged", null,
                x -> x.deployer().reload(x.ref()), string("version", "the version"));
    }

    /** An uploaded jar (its name in the directory: ?name=, or the upload's) or {"location": ...}. */
    private static ModuleSource source(Exchange x) throws java.io.IOException {
        if (x.hasJar()) {
            if (x.query("name") == null && x.request().getHeader("Content-Disposition") == null) {
                throw new IllegalArgumentException("name the file in the deploy directory: ?name=plugin.jar");
            }
            return x.upload(null);
        }
        String location = Exchange.text(x.json(), "location");
        if (location == null) {
            throw new IllegalArgumentException("nothing to deploy: send a jar with ?name=, or {\"location\": path or URL}");
        }
        return ModuleSource.parse(location);
    }
}
