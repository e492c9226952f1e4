package org.modreg.shell.format;

import org.apache.felix.service.command.Converter;
import org.modreg.api.dto.DeployPlan;
import org.osgi.service.component.annotations.Component;

/** A dry run of a deploy, in the plan's own words. */
@Component(service = Converter.class, property = Converter.CONVERTER_CLASSES + "=org.modreg.api.dto.DeployPlan")
public class DeployPlanFormat extends Format<DeployPlan> {

    public DeployPlanFormat() {
        super(DeployPlan.class);
    }

    @Override
    protected CharSequence format(DeployPlan p, int level) {
        return p.describe();
    }
}
