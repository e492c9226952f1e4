package org.modreg.core.deploy;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the deploy directory's watcher, PID {@value Deployer#PID}. */
@ObjectClassDefinition(name = "modreg deploy directory", description = "Plugins dropped into a directory are deployed, updated and undeployed")
public @interface DeployerConfig {

    @AttributeDefinition(name = "Directory", description = "The deploy directory; empty for the container's (framework property modreg.deploy)")
    public String directory() default "";

    @AttributeDefinition(name = "Watch", description = "React to file-system events (NIO WatchService); false polls instead")
    public boolean watch() default true;

    @AttributeDefinition(name = "Poll interval", description = "Milliseconds between scans when polling")
    public long poll_interval() default 1000;

    @AttributeDefinition(name = "Quiet period", description = "Milliseconds a file must stay unchanged, and be a readable zip, before it is deployed")
    public long quiet_period() default 3;

    @AttributeDefinition(name = "Incomplete timeout", description = "Milliseconds after which a file that is still no readable zip is reported as bad")
    public long incomplete_timeout() default 10000;

    @AttributeDefinition(name = "Sub-directories", description = "Also deploy the jars of sub-directories")
    public boolean recursive() default false;
}
