package org.modreg.shell;

import static org.modreg.shell.Commands.REF;
import static org.modreg.shell.Commands.atLeast;
import static org.modreg.shell.Commands.out;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.modreg.api.ModuleAudit;
import org.modreg.api.ModuleRegistry;
import org.modreg.api.ModuleStatistics;
import org.modreg.api.dto.Health;
import org.modreg.shell.format.AuditTable;
import org.modreg.shell.format.StatsTable;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Measures and the record: usage statistics, the most used and the recent, health, the audit trail. */
@Component(service = StatsCommands.class, property = {
        "osgi.command.scope=module",
        "osgi.command.function=stats",
        "osgi.command.function=top",
        "osgi.command.function=recent",
        "osgi.command.function=health",
        "osgi.command.function=audit" })
public class StatsCommands {

    private final ModuleStatistics statistics;
    private final ModuleAudit audit;
    private final ModuleRegistry registry;

    @Activate
    public StatsCommands(@Reference ModuleStatistics statistics, @Reference ModuleAudit audit, @Reference ModuleRegistry registry) {
        this.statistics = statistics;
        this.audit = audit;
        this.registry = registry;
    }

    @Descriptor("usage statistics: starts, failures, start times, look-ups, consumers, sizes; all modules, or one in detail")
    public Object stats(@Descriptor(REF + "; none for a table of every module") String... ref) {
        Commands.atMostOne(ref, "module");
        return out(ref.length == 0 ? new StatsTable(statistics.all()) : statistics.stats(ref[0]));
    }

    @Descriptor("the modules most looked up")
    public StatsTable top(@Descriptor("how many") @Parameter(names = { "-n", "--number" }, absentValue = "10") int n) {
        atLeast("--number", n, 1);
        return out(new StatsTable(statistics.top(n)));
    }

    @Descriptor("the modules installed or updated recently")
    public StatsTable recent(@Descriptor("how many days back") @Parameter(names = { "-d", "--days" }, absentValue = "7") int days) {
        atLeast("--days", days, 1);
        return out(new StatsTable(statistics.recent(Duration.ofDays(days))));
    }

    @Descriptor("modules by state, errors, the healthy share, and the FAILED modules with their last error")
    public Health health() {
        return out(statistics.health());
    }

    @Descriptor("the audit trail: every install, start, stop, update, uninstall, refresh and rollback, with who asked "
            + "(shell, deploy, host, api:<module>) and how it ended")
    public AuditTable audit(
            @Descriptor("only this module's entries: a module id, or the bundle id of an installed module")
            @Parameter(names = { "-m", "--module" }, absentValue = "") String module,
            @Descriptor("only entries since: a date (2026-11-26), a date and time (2026-11-26T14:30), or a time back "
                    + "(30m, 2h, 7d)")
            @Parameter(names = { "-s", "--since" }, absentValue = "") String since,
            @Descriptor("at most this many entries, the newest; 0 for all")
            @Parameter(names = { "-n", "--number" }, absentValue = "50") int n) {
        atLeast("--number", n, 0);
        String id = null;
        if (!module.isBlank()) {
            id = module.trim();
            if (id.chars().allMatch(Character::isDigit)) {
                id = Commands.scoped(registry, registry::as).get(id).id(); // a bundle id names an installed module
            }
        }
        Instant from = since.isBlank() ? null : Since.parse(since, Clock.systemDefaultZone());
        return out(new AuditTable(audit.trail(id, from, n)));
    }
}
