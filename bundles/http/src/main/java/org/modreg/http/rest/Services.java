package org.modreg.http.rest;

import org.modreg.api.ModuleAudit;
import org.modreg.api.ModuleDeployer;
import org.modreg.api.ModuleHistory;
import org.modreg.api.ModuleLifecycle;
import org.modreg.api.ModuleRegistry;
import org.modreg.api.ModuleStatistics;
import org.modreg.api.ModuleWiring;

/**
 * The registry's services as the HTTP bundle sees them. The plane is a client of the API, never
 * of the core: what REST does, any module could do through these.
 */
public record Services(ModuleRegistry registry, ModuleWiring wiring, ModuleDeployer deployer, ModuleStatistics statistics,
        ModuleAudit audit, ModuleHistory history, ModuleLifecycle lifecycle) {
}
