package org.modreg.shell;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.command.Process;
import org.modreg.api.InstallOption;
import org.modreg.api.ModuleQuery;
import org.modreg.api.ModuleRegistry;
import org.modreg.api.ModuleSource;
import org.modreg.api.ModuleState;
import org.modreg.api.ModuleWiring;
import org.modreg.api.ModuleDeployer;
import org.modreg.api.ModuleStatistics;
import org.modreg.api.ModuleAudit;
import org.modreg.api.ModuleHistory;
import org.modreg.api.dto.Health;
import org.modreg.api.dto.DeployResult;
import org.modreg.api.dto.CheckReport;
import org.modreg.api.dto.DependencyGraph;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.WireInfo;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo commands in scope {@code module}. Commands return data ({@link ModuleTable},
 * {@link Module}, {@link LifecycleResult}); {@link ModuleFormatter} turns it into text. When a
 * command's output is redirected or piped, it prints that text there instead (see {@link #out}).
 * Errors are the registry's exceptions, whose messages name the module or the file.
 */
@Component(service = ModuleCommands.class, property = {
        "osgi.command.scope=module",
        "osgi.command.function=list",
        "osgi.command.function=info",
        "osgi.command.function=install",
        "osgi.command.function=start",
        "osgi.command.function=stop",
        "osgi.command.function=update",
        "osgi.command.function=uninstall",
        "osgi.command.function=refresh",
        "osgi.command.function=find",
        "osgi.command.function=services",
        "osgi.command.function=capabilities",
        "osgi.command.function=requirements",
        "osgi.command.function=check",
        "osgi.command.function=deps",
        "osgi.command.function=dependents",
        "osgi.command.function=graph",
        "osgi.command.function=why",
        "osgi.command.function=deploy",
        "osgi.command.function=undeploy",
        "osgi.command.function=reload",
        "osgi.command.function=stats",
        "osgi.command.function=top",
        "osgi.command.function=recent",
        "osgi.command.function=health",
        "osgi.command.function=audit",
        "osgi.command.function=history",
        "osgi.command.function=rollback",
        "osgi.command.function=resolve",
        "osgi.command.function=verify",
        "osgi.command.function=diff",
        "osgi.command.function=deprecate",
        "osgi.command.function=archive",
        "osgi.command.function=unmark",
        "osgi.command.function=delete",
        "osgi.command.function=retain" })
public class ModuleCommands {

    private static final String REF = "the module: bundle id, module id, or id/version";
    private static final String FORCE = "even if it is one of the container's own (the framework, a boot bundle)";

    private final ModuleRegistry registry;
    private final ModuleWiring wiring;
    private final ModuleDeployer deployer;
    private final ModuleStatistics statistics;
    private final ModuleAudit audit;
    private final ModuleHistory history;
    private final org.modreg.api.ModuleLifecycle lifecycle;

    /** The location prefix of the launcher's boot bundles (the distribution's system/), or null when embedded otherwise. */
    private final String boot;

    @Activate
    public ModuleCommands(@Reference ModuleRegistry registry, @Reference ModuleWiring wiring,
            @Reference ModuleDeployer deployer, @Reference ModuleStatistics statistics, @Reference ModuleAudit audit,
            @Reference ModuleHistory history, @Reference org.modreg.api.ModuleLifecycle lifecycle, BundleContext context) {
        this.boot = context.getProperty(ModuleRegistry.BOOT_PROPERTY);
        this.history = history;
        this.lifecycle = lifecycle;
        this.registry = registry;
        this.wiring = wiring;
        this.deployer = deployer;
        this.statistics = statistics;
        this.audit = audit;
    }

    @Descriptor("the versions a module has had: when, which bytes, from where, and whether they are kept to go back to")
    public HistoryTable history(@Descriptor("the module id") String id) {
        return out(new HistoryTable(id, history().history(id)));
    }

    @Descriptor("go back to a kept version through the safe update pipeline (check, start beside, roll back if it fails)")
    public Module rollback(@Descriptor("the module id") String id,
            @Descriptor("the version to go back to; none for the one before the installed version") String... version) {
        if (version.length > 1) {
            throw new IllegalArgumentException("name at most one version");
        }
        return out(history().rollback(id, version.length == 0 ? null : version[0]));
    }

    @Descriptor("the best kept or installed version of a module within an OSGi version range")
    public org.modreg.api.dto.ModuleVersion resolve(@Descriptor("the module id") String id,
            @Descriptor("a version range, quoted: \"[1.2,2)\"; or a version, meaning at least it") String range) {
        return out(history().resolve(id, range));
    }

    @Descriptor("compare two kept versions: capabilities and requirements, and each exported package's API by bnd's "
            + "baselining (the version bump a change needs against the one declared)")
    public org.modreg.api.dto.ModuleDiff diff(@Descriptor("the module id") String id,
            @Descriptor("the older version") String from, @Descriptor("the newer version") String to) {
        return out(history().diff(id, from, to));
    }

    @Descriptor("hash again the content store's copies of kept and installed versions; report any copy changed or missing")
    public org.modreg.api.dto.VerifyReport verify(@Descriptor("the module id; none for all") String... id) {
        if (id.length > 1) {
            throw new IllegalArgumentException("name at most one module");
        }
        return out(history().verify(id.length == 0 ? null : id[0]));
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
                id = registry().get(id).id(); // a bundle id names an installed module
            }
        }
        java.time.Instant from = since.isBlank() ? null : Since.parse(since, java.time.Clock.systemDefaultZone());
        return out(new AuditTable(audit.trail(id, from, n)));
    }

    @Descriptor("usage statistics: starts, failures, start times, look-ups, consumers, sizes; all modules, or one in detail")
    public Object stats(@Descriptor(REF + "; none for a table of every module") String... ref) {
        if (ref.length > 1) {
            throw new IllegalArgumentException("name at most one module");
        }
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
        return out(new StatsTable(statistics.recent(java.time.Duration.ofDays(days))));
    }

    @Descriptor("modules by state, errors, the healthy share, and the FAILED modules with their last error")
    public Health health() {
        return out(statistics.health());
    }

    @Descriptor("list modules: bundle id, module id, version, state, type and tags")
    public ModuleTable list(
            @Descriptor("only modules in this state (INSTALLED, RESOLVED, ACTIVE, STOPPED, FAILED, ...)")
            @Parameter(names = { "-s", "--state" }, absentValue = "") String state,
            @Descriptor("only modules of this type (plugin, library, service, ...)")
            @Parameter(names = { "-t", "--type" }, absentValue = "") String type) {
        ModuleState wanted = state.isEmpty() ? null : state(state);
        List<Module> modules = registry().list().stream()
                .filter(m -> wanted == null || m.state() == wanted)
                .filter(m -> type.isEmpty() || m.type().equalsIgnoreCase(type))
                .toList();
        return out(new ModuleTable(modules, marks()));
    }

    private java.util.Map<String, org.modreg.api.dto.ModuleMark> marks() {
        java.util.Map<String, org.modreg.api.dto.ModuleMark> marks = new java.util.HashMap<>();
        for (org.modreg.api.dto.ModuleMark m : lifecycle().marks()) {
            marks.put(m.moduleId(), m);
        }
        return marks;
    }

    @Descriptor("show every field of a module: metadata, content, capabilities, requirements, services, errors, mark")
    public ModuleInfo info(@Descriptor(REF) String ref) {
        Module m = registry().get(ref);
        return out(new ModuleInfo(m, lifecycle().mark(m.id())));
    }

    @Descriptor("mark a module deprecated: it keeps working; list, find and info show it, look-ups are warned")
    public org.modreg.api.dto.ModuleMark deprecate(
            @Descriptor("why") @Parameter(names = { "-r", "--reason" }, absentValue = "") String reason,
            @Descriptor("the module to use instead") @Parameter(names = { "-u", "--use" }, absentValue = "") String use,
            @Descriptor("the module id") String id) {
        return out(lifecycle().deprecate(id, reason, use.isEmpty() ? null : use));
    }

    @Descriptor("archive a module: stopped, kept, not startable until unmarked; deleted after the retention's days")
    public ModuleTable archive(@Descriptor("why") @Parameter(names = { "-r", "--reason" }, absentValue = "") String reason,
            @Descriptor(FORCE) @Parameter(names = { "-f", "--force" }, presentValue = "true", absentValue = "false") boolean force,
            @Descriptor("the module id") String id) {
        guard("archive", force, id);
        return out(new ModuleTable(lifecycle().archive(id, reason), marks()));
    }

    @Descriptor("remove a module's mark (deprecated or archived)")
    public String unmark(@Descriptor("the module id") String id) {
        return out(lifecycle().unmark(id).map(m -> id + ": no longer " + m.kind().toString().toLowerCase(java.util.Locale.ROOT))
                .orElse(id + " had no mark"));
    }

    @Descriptor("delete a module: uninstall every version, remove its kept bytes (the audit trail stays); refused while "
            + "other modules use it")
    public ModuleTable delete(
            @Descriptor("delete even if other modules use it, or it is one of the container's own")
            @Parameter(names = { "-f", "--force" }, presentValue = "true", absentValue = "false") boolean force,
            @Descriptor("the module id") String id) {
        guard("delete", force, id);
        return out(new ModuleTable(lifecycle().delete(id, force)));
    }

    @Descriptor("apply retention now: kept bytes beyond the newest versions, archived modules past their days")
    public String retain() {
        List<String> done = lifecycle().retain();
        return out(done.isEmpty() ? "Nothing to remove" : String.join("\n", done));
    }

    @Descriptor("validate, check and install a module from a jar file or URL; refused if it would not resolve")
    public LifecycleResult install(
            @Descriptor("start the module once installed")
            @Parameter(names = { "-s", "--start" }, presentValue = "true", absentValue = "false") boolean start,
            @Descriptor("install even if the wiring check says it would not resolve")
            @Parameter(names = { "-f", "--force" }, presentValue = "true", absentValue = "false") boolean force,
            @Descriptor("path of the jar, or its URL") String location) {
        List<InstallOption> options = new java.util.ArrayList<>();
        if (start) {
            options.add(InstallOption.START);
        }
        if (force) {
            options.add(InstallOption.FORCE);
        }
        Module m = registry().install(ModuleSource.parse(location), options.toArray(new InstallOption[0]));
        return out(new LifecycleResult("installed", m));
    }

    @Descriptor("start modules")
    public ModuleTable start(@Descriptor(REF + "; several allowed") String... refs) {
        return out(each(refs, registry()::start));
    }

    @Descriptor("stop modules; refused for the container's own (the framework, the boot bundles) unless forced")
    public ModuleTable stop(
            @Descriptor(FORCE) @Parameter(names = { "-f", "--force" }, presentValue = "true", absentValue = "false") boolean force,
            @Descriptor(REF + "; several allowed") String... refs) {
        guard("stop", force, refs);
        return out(each(refs, registry()::stop));
    }

    @Descriptor("update a module from its own location; refused if it or a module wired to it would not resolve")
    public LifecycleResult update(
            @Descriptor("update even if the wiring check finds a problem, or it is one of the container's own")
            @Parameter(names = { "-f", "--force" }, presentValue = "true", absentValue = "false") boolean force,
            @Descriptor(REF) String ref) {
        guard("update", force, ref);
        return out(new LifecycleResult("updated", force ? registry().update(ref, InstallOption.FORCE) : registry().update(ref)));
    }

    @Descriptor("update a module from another jar file or URL; refused if it or a module wired to it would not resolve")
    public LifecycleResult update(
            @Descriptor("update even if the wiring check finds a problem, or it is one of the container's own")
            @Parameter(names = { "-f", "--force" }, presentValue = "true", absentValue = "false") boolean force,
            @Descriptor(REF) String ref,
            @Descriptor("path of the new jar, or its URL") String location) {
        guard("update", force, ref);
        ModuleSource source = ModuleSource.parse(location);
        return out(new LifecycleResult("updated", force ? registry().update(ref, source, InstallOption.FORCE) : registry().update(ref, source)));
    }

    @Descriptor("dry run: would a jar (or an installed module) resolve, what is missing, what would an update break")
    public CheckReport check(
            @Descriptor("check the jar as the new version of this installed module (blast radius)")
            @Parameter(names = { "-u", "--update" }, absentValue = "") String update,
            @Descriptor("path or URL of a jar; or an installed module: bundle id, module id, or id/version") String target) {
        if (!update.isEmpty()) {
            return out(wiring.checkUpdate(update, ModuleSource.parse(target)));
        }
        // the rule install and update use for a URL; a module reference has no colon, a path exists
        boolean jar = ModuleSource.isUrl(target) || java.nio.file.Files.exists(java.nio.file.Path.of(target));
        return out(jar ? wiring.check(ModuleSource.parse(target)) : wiring.check(target));
    }

    @Descriptor("the modules a module depends on, with the wires")
    public DependencyTable deps(
            @Descriptor("also what those depend on, and so on")
            @Parameter(names = { "-t", "--transitive" }, presentValue = "true", absentValue = "false") boolean transitive,
            @Descriptor(REF) String ref) {
        return out(new DependencyTable(registry().get(ref).ref(), wiring.dependencies(ref, transitive), true));
    }

    @Descriptor("the modules that depend on a module, with the wires")
    public DependencyTable dependents(
            @Descriptor("also what depends on those, and so on")
            @Parameter(names = { "-t", "--transitive" }, presentValue = "true", absentValue = "false") boolean transitive,
            @Descriptor(REF) String ref) {
        return out(new DependencyTable(registry().get(ref).ref(), wiring.dependents(ref, transitive), false));
    }

    @Descriptor("the dependency graph: cycles, start order and conflicts; or all of it as DOT or JSON")
    public Object graph(
            @Descriptor("print Graphviz DOT") @Parameter(names = { "-d", "--dot" }, presentValue = "true", absentValue = "false") boolean dot,
            @Descriptor("print JSON") @Parameter(names = { "-j", "--json" }, presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("only this module, its dependencies and its dependents; none for every module") String... ref) {
        if (ref.length > 1) {
            throw new IllegalArgumentException("name at most one module");
        }
        if (dot && json) {
            throw new IllegalArgumentException("--dot or --json, not both");
        }
        DependencyGraph g = ref.length == 0 ? wiring.graph() : wiring.graph(ref[0]);
        return out(dot ? g.toDot() : json ? g.toJson() : new GraphSummary(g));
    }

    @Descriptor("deploy a jar through the deploy directory (copied into it), with the safe update; without a jar, apply the directory now")
    public Object deploy(
            @Descriptor("print what would be done (install, update, refresh, with reasons) and touch nothing")
            @Parameter(names = { "-n", "--dry-run" }, presentValue = "true", absentValue = "false") boolean dryRun,
            @Descriptor("path of the jar, or its URL; none for the whole deploy directory") String... location) {
        if (location.length > 1) {
            throw new IllegalArgumentException("name at most one jar");
        }
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

    /**
     * A command's result: returned, for the shell to print on the terminal and for a script to keep
     * ({@code x = (module:list)}); printed instead when the command line sends the command's output
     * elsewhere ({@code module:graph --dot > g.dot}, {@code module:list | grep ACTIVE}). Gogo prints
     * what the last command of a line returns on the terminal only, so that a redirection wrote
     * nothing. A command in parentheses runs as a job of its own, whose output Gogo captures and
     * whose result it keeps: that one is returned.
     */
    /**
     * The session variable a door into the container sets to the origin its commands are audited
     * under: the HTTP plane's command endpoint sets {@code http:<user>}. Without it, the shell's own.
     */
    static final String ORIGIN_VARIABLE = "modreg.origin";

    private static String origin() {
        Process p = Process.Utils.current();
        CommandSession session = p == null || p.job() == null ? null : p.job().session();
        Object o = session == null ? null : session.get(ORIGIN_VARIABLE);
        return o instanceof String s && !s.isBlank() ? s : null;
    }

    private ModuleRegistry registry() {
        String o = origin();
        return o == null ? registry : registry.as(o);
    }

    private ModuleDeployer deployer() {
        String o = origin();
        return o == null ? deployer : deployer.as(o);
    }

    private ModuleHistory history() {
        String o = origin();
        return o == null ? history : history.as(o);
    }

    private org.modreg.api.ModuleLifecycle lifecycle() {
        String o = origin();
        return o == null ? lifecycle : lifecycle.as(o);
    }

    static <T> T out(T result) {
        Process p = Process.Utils.current();
        CommandSession session = p == null || p.job() == null ? null : p.job().session();
        if (result == null || session == null || p.isTty(1) || p.job().parent() != null) {
            return result;
        }
        p.out().println(session.format(result, Converter.INSPECT));
        return null;
    }

    private static void atLeast(String option, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(option + " " + value + ": at least " + min);
        }
    }

    /**
     * Refuses, unless forced, to stop, update, uninstall, archive or delete the container's own
     * modules: the framework (stopping it stops the container) and the launcher's boot bundles (the
     * registry, this shell, SCR, Gogo, ...), as Karaf guards its system bundles. A slip of the
     * keyboard would otherwise take the shell, or the container, away.
     */
    private void guard(String operation, boolean force, String... refs) {
        if (force) {
            return;
        }
        for (String ref : refs) {
            Module m = registry().get(ref);
            if (m.bundleId() == 0) {
                throw new IllegalArgumentException(ModuleFormatter.line(m) + " is the framework: to " + operation
                        + " it would take the container down (shutdown stops it cleanly); --force to " + operation + " it anyway");
            }
            if (boot != null && m.location().startsWith(boot)) {
                throw new IllegalArgumentException(ModuleFormatter.line(m) + " is one of the container's own modules (a boot bundle, "
                        + m.location() + "): to " + operation + " it could take the registry or the shell away; --force to "
                        + operation + " it anyway");
            }
        }
    }

    /** A deploy that did not leave the file's content running is an error of the command. */
    private static DeployResult failIfNot(DeployResult r) {
        if (!r.ok()) {
            throw new IllegalStateException(r.message());
        }
        return r;
    }

    @Descriptor("which wires tie two modules, directly or along the shortest chain")
    public WhyResult why(@Descriptor(REF) String from, @Descriptor(REF) String to) {
        Module a = registry().get(from);
        Module b = registry().get(to);
        List<WireInfo> wires = wiring.why(from, to);
        java.util.Map<Long, String> names = new java.util.HashMap<>();
        for (WireInfo w : wires) {
            for (long id : new long[] { w.requirer(), w.provider() }) {
                names.computeIfAbsent(id, i -> registry().get(i).map(Module::ref).orElse("bundle " + i));
            }
        }
        return out(new WhyResult(ModuleFormatter.line(a), ModuleFormatter.line(b), names, wires));
    }

    @Descriptor("stop and uninstall modules, then refresh the modules wired to them; refused for the container's own unless forced")
    public ModuleTable uninstall(
            @Descriptor(FORCE) @Parameter(names = { "-f", "--force" }, presentValue = "true", absentValue = "false") boolean force,
            @Descriptor(REF + "; several allowed") String... refs) {
        guard("uninstall", force, refs);
        return out(each(refs, registry()::uninstall));
    }

    @Descriptor("refresh modules and their dependents; without arguments, those with stale revisions")
    public ModuleTable refresh(@Descriptor(REF + "; none for all pending") String... refs) {
        return out(new ModuleTable(registry().refresh(refs)));
    }

    @Descriptor("find modules by capability, namespace and filter, keywords, type, tag, version range and state")
    public FindResult find(
            @Descriptor("named capabilities the module must all provide, comma separated")
            @Parameter(names = { "-c", "--capability" }, absentValue = "") String capability,
            @Descriptor("namespace of --filter (default modreg.capability), e.g. osgi.wiring.package")
            @Parameter(names = { "-n", "--namespace" }, absentValue = "") String namespace,
            @Descriptor("LDAP filter over the attributes of a capability in --namespace")
            @Parameter(names = { "-f", "--filter" }, absentValue = "") String filter,
            @Descriptor("module type") @Parameter(names = { "-t", "--type" }, absentValue = "") String type,
            @Descriptor("tags, comma separated; any of them")
            @Parameter(names = { "-g", "--tag" }, absentValue = "") String tags,
            @Descriptor("version range, e.g. [1.0,2)") @Parameter(names = { "-v", "--versions" }, absentValue = "") String versions,
            @Descriptor("state") @Parameter(names = { "-s", "--state" }, absentValue = "") String state,
            @Descriptor("at most this many results") @Parameter(names = { "-l", "--limit" }, absentValue = "0") int limit,
            @Descriptor("keywords") String... keywords) {
        ModuleQuery q = ModuleQuery.all();
        if (!capability.isEmpty()) {
            q = q.capability(capability.split("\\s*,\\s*"));
        }
        if (!filter.isEmpty() || !namespace.isEmpty()) {
            q = q.filter(namespace.isEmpty() ? ModuleQuery.CAPABILITY_NAMESPACE : namespace, filter);
        }
        if (!type.isEmpty()) {
            q = q.type(type);
        }
        if (!tags.isEmpty()) {
            q = q.anyTag(tags.split("\\s*,\\s*"));
        }
        if (!versions.isEmpty()) {
            q = q.versions(versions);
        }
        if (!state.isEmpty()) {
            q = q.state(state(state));
        }
        if (keywords.length > 0) {
            q = q.keywords(String.join(" ", keywords));
        }
        if (limit > 0) {
            q = q.limit(limit);
        }
        return out(new FindResult(registry().find(q), marks()));
    }

    @Descriptor("live services providing a named capability, best first, with their module and properties")
    public ServiceTable services(
            @Descriptor("LDAP filter over the service properties")
            @Parameter(names = { "-f", "--filter" }, absentValue = "") String filter,
            @Descriptor("service interface name") @Parameter(names = { "-i", "--interface" }, absentValue = "") String type,
            @Descriptor("the capability name") String capability) {
        return out(new ServiceTable(registry().services(type.isEmpty() ? null : type, capability, filter.isEmpty() ? null : filter)));
    }

    @Descriptor("capabilities of a module, in every namespace or those matching a pattern")
    public CapabilityTable capabilities(
            @Descriptor("namespace pattern, * for any part, e.g. osgi.wiring.*")
            @Parameter(names = { "-n", "--namespace" }, absentValue = "*") String pattern,
            @Descriptor(REF) String ref) {
        Module m = registry().get(ref);
        java.util.function.Predicate<String> ns = glob(pattern);
        return out(new CapabilityTable(m.ref(), m.capabilities().stream().filter(c -> ns.test(c.namespace())).toList(), List.of()));
    }

    @Descriptor("requirements of a module, in every namespace or those matching a pattern")
    public CapabilityTable requirements(
            @Descriptor("namespace pattern, * for any part, e.g. osgi.wiring.*")
            @Parameter(names = { "-n", "--namespace" }, absentValue = "*") String pattern,
            @Descriptor(REF) String ref) {
        Module m = registry().get(ref);
        java.util.function.Predicate<String> ns = glob(pattern);
        return out(new CapabilityTable(m.ref(), List.of(), m.requirements().stream().filter(r -> ns.test(r.namespace())).toList()));
    }

    /** A namespace pattern with {@code *} wildcards as a predicate. */
    static java.util.function.Predicate<String> glob(String pattern) {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(Arrays.stream(pattern.split("\\*", -1))
                .map(java.util.regex.Pattern::quote).collect(Collectors.joining(".*")));
        return s -> p.matcher(s).matches();
    }

    /**
     * Runs an operation on each module; one failure does not stop the others, and all failures
     * are reported together, each with its module, as Karaf's bulk bundle commands do.
     */
    private static ModuleTable each(String[] refs, java.util.function.Function<String, Module> op) {
        if (refs.length == 0) {
            throw new IllegalArgumentException("name at least one module");
        }
        List<Module> done = new java.util.ArrayList<>();
        List<RuntimeException> failures = new java.util.ArrayList<>();
        for (String ref : refs) {
            try {
                done.add(op.apply(ref));
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        if (failures.size() == 1 && done.isEmpty()) {
            throw failures.get(0);
        }
        if (!failures.isEmpty()) {
            String msg = failures.stream().map(RuntimeException::getMessage).collect(Collectors.joining("\n"));
            if (!done.isEmpty()) {
                msg += "\n(done: " + done.stream().map(Module::ref).collect(Collectors.joining(", ")) + ")";
            }
            throw new IllegalStateException(msg);
        }
        return new ModuleTable(done);
    }

    private static ModuleState state(String s) {
        try {
            return ModuleState.valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown state \"" + s + "\"; one of "
                    + Arrays.toString(ModuleState.values()));
        }
    }
}
