package org.modreg.shell;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Registered, with {@value #READY}, once the commands of every topic are: what a launcher or a
 * test waits for before it types a command. Each topic is a component with its own references, so
 * one can come before another (the deploy commands wait for the deployer); one of them alone is not
 * the shell.
 */
@Component(service = Shell.class, property = Shell.READY)
public class Shell {

    /** The property the shell's readiness is registered with; filter {@code (modreg.shell=ready)}. */
    public static final String READY = "modreg.shell=ready";

    /** Takes every topic, to be satisfied only when all are there. */
    @Activate
    public Shell(@Reference LifecycleCommands lifecycle, @Reference FindCommands find, @Reference WiringCommands wiring,
            @Reference DeployCommands deploy, @Reference HistoryCommands history, @Reference MarkCommands marks,
            @Reference StatsCommands stats) {
    }
}
