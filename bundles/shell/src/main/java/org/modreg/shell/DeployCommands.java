package org.modreg.shell;

import static org.modreg.shell.Commands.REF;
import static org.modreg.shell.Commands.out;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.modreg.api.ModuleDeployer;
import org.modreg.api.ModuleSource;
import org.modreg.api.dto.DeployResult;
import org.modreg.shell.format.DeployResults;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The deploy directory: deploy a jar or apply the directory (or plan either), undeploy, reload. */
@Component(service = DeployCommands.class, property = {
        "osgi.command.scope=module",
        "osgi.command.function=deploy",
        "osgi.command.function=undeploy",
        "osgi.command.function=reload" })
public class DeployCommands {

    private final ModuleDeployer deployer;

    @Activate
    public DeployCommands(@Reference ModuleDeployer deployer) {
        this.deployer = deployer;
    }

    private ModuleDeployer deployer() {
        return Commands.scoped(deployer, deployer::as);
    }

    @Descriptor("deploy a jar through the deploy directory (copied into it), with the safe update; without a jar, apply the directory now")
    public Object deploy(
            @Descriptor("print what would be done (install, update, refresh, with reasons) and touch nothing")
            @Parameter(names = { "-n", "--dry-run" }, presentValue = "true", absentValue = "false") boolean dryRun,
            @Descriptor("path of the jar, or its URL; none for the whole deploy directory") String... location) {
        Commands.atMostOne(location, "jar");
        if (location.length == 0) {
            return out(dryRun ? deployer().plan() : new DeployResults(deployer().scan()));
        }
        ModuleSource source = ModuleSource.parse(location[0]);
        return out(dryRun ? deployer().plan(source) : failIfNot(deployer().deploy(source)));
    }

    @Descriptor("delete a module's file from the deploy directory and undeploy it")
    public DeployResult undeploy(@Descriptor(REF) String ref) {
        return out(deployer().undeploy(ref));
    }

    @Descriptor("apply a deployed module's file again through the safe update (restarts it)")
    public DeployResult reload(@Descriptor(REF) String ref) {
        return out(failIfNot(deployer().reload(ref)));
    }

    /** A deploy that did not leave the file's content running is an error of the command. */
    private static DeployResult failIfNot(DeployResult r) {
        if (!r.ok()) {
            throw new IllegalStateException(r.message());
        }
        return r;
    }
}
