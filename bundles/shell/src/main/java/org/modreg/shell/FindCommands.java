package org.modreg.shell;

import static org.modreg.shell.Commands.REF;
import static org.modreg.shell.Commands.out;

import java.util.List;
import java.util.function.Predicate;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.modreg.api.ModuleLifecycle;
import org.modreg.api.ModuleQuery;
import org.modreg.api.ModuleRegistry;
import org.modreg.api.dto.Module;
import org.modreg.shell.format.CapabilityTable;
import org.modreg.shell.format.FindResult;
import org.modreg.shell.format.ServiceTable;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Discovery: modules by capability and the rest of a query, live services, a module's capabilities and requirements. */
@Component(service = FindCommands.class, property = {
        "osgi.command.scope=module",
        "osgi.command.function=find",
        "osgi.command.function=services",
        "osgi.command.function=capabilities",
        "osgi.command.function=requirements" })
public class FindCommands {

    private final ModuleRegistry registry;
    private final ModuleLifecycle lifecycle;

    @Activate
    public FindCommands(@Reference ModuleRegistry registry, @Reference ModuleLifecycle lifecycle) {
        this.registry = registry;
        this.lifecycle = lifecycle;
    }

    private ModuleRegistry registry() {
        return Commands.scoped(registry, registry::as);
    }

    private ModuleLifecycle lifecycle() {
        return Commands.scoped(lifecycle, lifecycle::as);
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
            q = q.state(Commands.state(state));
        }
        if (keywords.length > 0) {
            q = q.keywords(String.join(" ", keywords));
        }
        if (limit > 0) {
            q = q.limit(limit);
        }
        return out(new FindResult(registry().find(q), Commands.marks(lifecycle())));
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
        Predicate<String> ns = Commands.glob(pattern);
        return out(new CapabilityTable(m.ref(), m.capabilities().stream().filter(c -> ns.test(c.namespace())).toList(), List.of()));
    }

    @Descriptor("requirements of a module, in every namespace or those matching a pattern")
    public CapabilityTable requirements(
            @Descriptor("namespace pattern, * for any part, e.g. osgi.wiring.*")
            @Parameter(names = { "-n", "--namespace" }, absentValue = "*") String pattern,
            @Descriptor(REF) String ref) {
        Module m = registry().get(ref);
        Predicate<String> ns = Commands.glob(pattern);
        return out(new CapabilityTable(m.ref(), List.of(), m.requirements().stream().filter(r -> ns.test(r.namespace())).toList()));
    }
}
