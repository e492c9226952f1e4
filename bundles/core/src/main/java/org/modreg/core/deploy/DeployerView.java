package org.modreg.core.deploy;

import java.nio.file.Path;
import java.util.List;

import org.modreg.api.ModuleDeployer;
import org.modreg.api.ModuleSource;
import org.modreg.api.dto.DeployPlan;
import org.modreg.api.dto.DeployResult;
import org.modreg.core.Call;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

/**
 * The {@link ModuleDeployer} service as one bundle sees it: a bundle-scoped view of the one
 * {@link DeployDirectory}, which passes the caller's {@link Call}, so that the audit trail tells a
 * deploy asked in the shell or by a program from a file dropped in the directory.
 */
@Component(service = ModuleDeployer.class, scope = ServiceScope.BUNDLE)
public final class DeployerView implements ModuleDeployer {

    private final DeployDirectory deployer;
    private final Call call;

    @Activate
    public DeployerView(ComponentContext context, @Reference DeployDirectory deployer) {
        this(deployer, Call.of(context.getUsingBundle()));
    }

    private DeployerView(DeployDirectory deployer, Call call) {
        this.deployer = deployer;
        this.call = call;
    }

    @Override
    public ModuleDeployer as(String origin) {
        return new DeployerView(deployer, call.as(origin));
    }

    @Override
    public Path directory() {
        return deployer.directory();
    }

    @Override
    public DeployResult deploy(ModuleSource source) {
        return deployer.deploy(call, source);
    }

    @Override
    public DeployPlan plan(ModuleSource source) {
        return deployer.plan(source);
    }

    @Override
    public DeployPlan plan() {
        return deployer.plan();
    }

    @Override
    public DeployResult undeploy(String ref) {
        return deployer.undeploy(call, ref);
    }

    @Override
    public DeployResult reload(String ref) {
        return deployer.reload(call, ref);
    }

    @Override
    public List<DeployResult> scan() {
        return deployer.scan();
    }
}
