package org.modreg.core.deploy;

import java.nio.file.Path;
import java.util.List;

import org.modreg.api.ModuleSource;
import org.modreg.api.dto.DeployPlan;
import org.modreg.api.dto.DeployResult;
import org.modreg.api.dto.Module;
import org.modreg.core.Call;

/**
 * The deploy directory as the core's own components see it: the {@link org.modreg.api.ModuleDeployer}
 * views, the history (a rollback through the directory) and the lifecycle (a delete takes the
 * file too). Each operation takes the {@link Call} it runs for.
 */
public interface DeployDirectory {

    Path directory();

    DeployResult deploy(Call call, ModuleSource source);

    DeployResult undeploy(Call call, String ref);

    DeployResult reload(Call call, String ref);

    /** Applies the whole directory now; the directory's own doing, whoever asked. */
    List<DeployResult> scan();

    DeployPlan plan(ModuleSource source);

    DeployPlan plan();

    /** @return the file of the deploy directory a module was deployed from; null if none */
    Path deployedFile(Module m);

    /**
     * Writes other bytes over a deployed module's file (atomically) and applies it: a rollback
     * through the directory, so that the file and the module agree.
     */
    DeployResult replaceFile(Call call, Path file, Path bytes);

    /** @return how the directory is seen now: {@code WATCHING}, {@code POLLING}, {@code MISSING} or {@code STOPPED} */
    String mode();
}
