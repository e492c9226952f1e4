package org.modreg.core.deploy;

import org.modreg.core.audit.Origin;

import java.nio.file.Path;
import java.util.List;

import org.modreg.api.ModuleDeployer;
import org.modreg.api.ModuleSource;
import org.modreg.api.dto.DeployPlan;
import org.modreg.api.dto.DeployResult;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;

/**
 * The {@link ModuleDeployer} service as one bundle sees it: a bundle-scoped view of the one
 * {@link Deployer}, so that the audit trail tells a deploy asked in the shell or by a program
 * from a file dropped in the directory ({@link Origin}).
 */
@Component(service = ModuleDeployer.class, scope = ServiceScope.BUNDLE)
public final class DeployerView implements ModuleDeployer {

    private final Deployer deployer;
    private final String origin;

    @Activate
    public DeployerView(ComponentContext context, @Reference Deployer deployer) {
        this.deployer = deployer;
        this.origin = Origin.of(context.getUsingBundle());
    }

    public DeployerView(Deployer deployer, String origin) {
        this.deployer = deployer;
        this.origin = origin;
    }

    @Override
    public ModuleDeployer as(String origin) {
        return new DeployerView(deployer, Origin.checked(origin));
    }

    @Override
    public Path directory() {
        return deployer.directory();
    }

    @Override
    public DeployResult deploy(ModuleSource source) {
        return Origin.as(origin, () -> deployer.deploy(source));
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
        return Origin.as(origin, () -> deployer.undeploy(ref));
    }

    @Override
    public DeployResult reload(String ref) {
        return Origin.as(origin, () -> deployer.reload(ref));
    }

    @Override
    public List<DeployResult> scan() {
        return Origin.as(origin, deployer::scan);
    }
}
