package org.modreg.shell;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.modreg.api.InstallOption;
import org.modreg.api.ModuleQuery;
import org.modreg.api.ModuleRegistry;
import org.modreg.api.ModuleSource;
import org.modreg.api.ModuleState;
import org.modreg.api.dto.Module;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo commands in scope {@code module}. Commands return data ({@link ModuleTable},
 * {@link Module}, {@link LifecycleResult}); {@link ModuleFormatter} turns it into text. Errors
 * are the registry's exceptions, whose messages name the module or the file.
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
        "osgi.command.function=requirements" })
public class ModuleCommands {

    private static final String REF = "the module: bundle id, module id, or id/version";

    private final ModuleRegistry registry;

    @Activate
    public ModuleCommands(@Reference ModuleRegistry registry) {
        this.registry = registry;
    }

    @Descriptor("list modules: bundle id, module id, version, state, type and tags")
    public ModuleTable list(
            @Descriptor("only modules in this state (INSTALLED, RESOLVED, ACTIVE, STOPPED, FAILED, ...)")
            @Parameter(names = { "-s", "--state" }, absentValue = "") String state,
            @Descriptor("only modules of this type (plugin, library, service, ...)")
            @Parameter(names = { "-t", "--type" }, absentValue = "") String type) {
        ModuleState wanted = state.isEmpty() ? null : state(state);
        List<Module> modules = registry.list().stream()
                .filter(m -> wanted == null || m.state() == wanted)
                .filter(m -> type.isEmpty() || m.type().equalsIgnoreCase(type))
                .toList();
        return new ModuleTable(modules);
    }

    @Descriptor("show every field of a module: metadata, content, capabilities, requirements, services, errors")
    public Module info(@Descriptor(REF) String ref) {
        return registry.get(ref);
    }

    @Descriptor("validate and install a module from a jar file or URL")
    public LifecycleResult install(
            @Descriptor("start the module once installed")
            @Parameter(names = { "-s", "--start" }, presentValue = "true", absentValue = "false") boolean start,
            @Descriptor("path of the jar, or its URL") String location) {
        Module m = start ? registry.install(ModuleSource.parse(location), InstallOption.START)
                : registry.install(ModuleSource.parse(location));
        return new LifecycleResult("installed", m);
    }

    @Descriptor("start modules")
    public ModuleTable start(@Descriptor(REF + "; several allowed") String... refs) {
        return each(refs, registry::start);
    }

    @Descriptor("stop modules")
    public ModuleTable stop(@Descriptor(REF + "; several allowed") String... refs) {
        return each(refs, registry::stop);
    }

    @Descriptor("update a module from its own location")
    public LifecycleResult update(@Descriptor(REF) String ref) {
        return new LifecycleResult("updated", registry.update(ref));
    }

    @Descriptor("update a module from another jar file or URL")
    public LifecycleResult update(@Descriptor(REF) String ref,
            @Descriptor("path of the new jar, or its URL") String location) {
        return new LifecycleResult("updated", registry.update(ref, ModuleSource.parse(location)));
    }

    @Descriptor("stop and uninstall modules, then refresh the modules wired to them")
    public ModuleTable uninstall(@Descriptor(REF + "; several allowed") String... refs) {
        return each(refs, registry::uninstall);
    }

    @Descriptor("refresh modules and their dependents; without arguments, those with stale revisions")
    public ModuleTable refresh(@Descriptor(REF + "; none for all pending") String... refs) {
        return new ModuleTable(registry.refresh(refs));
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
        return new FindResult(registry.find(q));
    }

    @Descriptor("live services providing a named capability, best first, with their module and properties")
    public ServiceTable services(
            @Descriptor("LDAP filter over the service properties")
            @Parameter(names = { "-f", "--filter" }, absentValue = "") String filter,
            @Descriptor("service interface name") @Parameter(names = { "-i", "--interface" }, absentValue = "") String type,
            @Descriptor("the capability name") String capability) {
        return new ServiceTable(registry.services(type.isEmpty() ? null : type, capability, filter.isEmpty() ? null : filter));
    }

    @Descriptor("capabilities of a module, in every namespace or those matching a pattern")
    public CapabilityTable capabilities(
            @Descriptor("namespace pattern, * for any part, e.g. osgi.wiring.*")
            @Parameter(names = { "-n", "--namespace" }, absentValue = "*") String pattern,
            @Descriptor(REF) String ref) {
        Module m = registry.get(ref);
        java.util.function.Predicate<String> ns = glob(pattern);
        return new CapabilityTable(m.ref(), m.capabilities().stream().filter(c -> ns.test(c.namespace())).toList(), List.of());
    }

    @Descriptor("requirements of a module, in every namespace or those matching a pattern")
    public CapabilityTable requirements(
            @Descriptor("namespace pattern, * for any part, e.g. osgi.wiring.*")
            @Parameter(names = { "-n", "--namespace" }, absentValue = "*") String pattern,
            @Descriptor(REF) String ref) {
        Module m = registry.get(ref);
        java.util.function.Predicate<String> ns = glob(pattern);
        return new CapabilityTable(m.ref(), List.of(), m.requirements().stream().filter(r -> ns.test(r.namespace())).toList());
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
