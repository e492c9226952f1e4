package org.modreg.shell;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.felix.service.command.Converter;
import org.modreg.api.dto.CapabilityInfo;
import org.modreg.api.dto.CheckReport;
import org.modreg.api.dto.Health;
import org.modreg.api.dto.ModuleStats;
import org.modreg.api.dto.Dependency;
import org.modreg.api.dto.DependencyGraph;
import org.modreg.api.dto.DeployPlan;
import org.modreg.api.dto.DeployResult;
import org.modreg.api.dto.WireInfo;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleContent;
import org.modreg.api.dto.ModuleError;
import org.modreg.api.dto.ModuleMatch;
import org.modreg.api.dto.ServiceMatch;
import org.modreg.api.dto.RequirementInfo;
import org.modreg.api.dto.ServiceInfo;
import org.osgi.service.component.annotations.Component;

/**
 * Formats what the commands return, the way SCR's shell formats its DTOs: a Gogo
 * {@link Converter} that only formats, and only modreg's types.
 */
@Component(property = Converter.CONVERTER_CLASSES + "=org.modreg.api.dto.Module")
public class ModuleFormatter implements Converter {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @Override
    public Object convert(Class<?> desiredType, Object in) {
        return null;
    }

    @Override
    public CharSequence format(Object target, int level, Converter escape) {
        if (target instanceof ModuleTable t) {
            return table(t.modules(), t.marks());
        }
        if (target instanceof ModuleInfo i) {
            return level == INSPECT ? inspect(i.module()) + i.mark().map(ModuleFormatter::markLine).orElse("") : line(i.module());
        }
        if (target instanceof org.modreg.api.dto.ModuleMark m) {
            return markLine(m).strip();
        }
        if (target instanceof LifecycleResult r) {
            return line(r.module()) + " " + r.action() + ": " + r.module().state();
        }
        if (target instanceof FindResult f) {
            return found(f);
        }
        if (target instanceof ServiceTable t) {
            return services(t);
        }
        if (target instanceof CapabilityTable t) {
            return capabilities(t);
        }
        if (target instanceof Module m) {
            return level == INSPECT ? inspect(m) : line(m);
        }
        if (target instanceof CheckReport r) {
            return r.describe();
        }
        if (target instanceof DependencyTable d) {
            return dependencies(d);
        }
        if (target instanceof GraphSummary g) {
            return graph(g.graph());
        }
        if (target instanceof WhyResult w) {
            return why(w);
        }
        if (target instanceof DeployResult r) {
            return deployed(r);
        }
        if (target instanceof DeployResults r) {
            return r.results().isEmpty() ? "Nothing to do"
                    : r.results().stream().map(ModuleFormatter::deployed).collect(Collectors.joining("\n"));
        }
        if (target instanceof DeployPlan p) {
            return p.describe();
        }
        if (target instanceof StatsTable t) {
            return statsTable(t.stats());
        }
        if (target instanceof ModuleStats st) {
            return stats(st);
        }
        if (target instanceof Health h) {
            return health(h);
        }
        if (target instanceof AuditTable a) {
            return audit(a);
        }
        if (target instanceof HistoryTable h) {
            return history(h);
        }
        if (target instanceof org.modreg.api.dto.ModuleVersion v) {
            return v.moduleId() + " " + v.version() + (v.installed() ? " (installed)" : v.kept() ? " (kept)" : "")
                    + (v.digest() == null ? "" : " sha256:" + v.digest());
        }
        if (target instanceof org.modreg.api.dto.ModuleDiff d) {
            return diff(d);
        }
        if (target instanceof org.modreg.api.dto.VerifyReport r) {
            return r.ok() ? "OK: " + r.checked() + " jars hashed, all match"
                    : r.problems().size() + " problem(s), " + r.checked() + " jars hashed:\n  " + String.join("\n  ", r.problems());
        }
        return null;
    }

    static String line(Module m) {
        return m.id() + " " + m.version() + " (bundle " + m.bundleId() + ")";
    }

    static String table(List<Module> modules) {
        return table(modules, java.util.Map.of());
    }

    static String table(List<Module> modules, java.util.Map<String, org.modreg.api.dto.ModuleMark> marks) {
        if (modules.isEmpty()) {
            return "No modules";
        }
        Table t = new Table("ID", "Module", "Version", "State", "Type", "Tags");
        for (Module m : modules) {
            t.row(m.bundleId(), m.id(), m.version(), state(m, marks), m.type(), String.join(",", m.tags()));
        }
        return t.toString().stripTrailing();
    }

    /** The state, and the lifecycle mark beside it: "ACTIVE, deprecated". */
    static String state(Module m, java.util.Map<String, org.modreg.api.dto.ModuleMark> marks) {
        org.modreg.api.dto.ModuleMark mark = marks.get(m.id());
        return mark == null ? m.state().toString() : m.state() + ", " + mark.kind().toString().toLowerCase(java.util.Locale.ROOT);
    }

    static String markLine(org.modreg.api.dto.ModuleMark m) {
        return "\nMark         " + m.kind() + (m.reason() == null || m.reason().isBlank() ? "" : ": " + m.reason())
                + (m.replacement() == null ? "" : " (use " + m.replacement() + ")") + ", since "
                + TIME.format(m.time()) + " by " + m.origin();
    }

    static String found(FindResult f) {
        if (f.matches().isEmpty()) {
            return "No modules";
        }
        Table t = new Table("ID", "Module", "Version", "State", "Score", "Matched");
        for (ModuleMatch m : f.matches()) {
            Module mod = m.module();
            t.row(mod.bundleId(), mod.id(), mod.version(), state(mod, f.marks()), String.format(java.util.Locale.ROOT, "%.1f", m.score()),
                    m.matched().stream().map(c -> c.namespace() + "=" + c.name()
                            + (c.attributes().containsKey("service.id") ? " (service " + c.attributes().get("service.id") + ")" : ""))
                            .collect(Collectors.joining(", ")));
        }
        return t.toString().stripTrailing();
    }

    static String services(ServiceTable s) {
        if (s.services().isEmpty()) {
            return "No services";
        }
        Table t = new Table("Service", "Interface", "Ranking", "Module", "Properties");
        for (ServiceMatch<Object> m : s.services()) {
            Map<String, Object> props = new TreeMap<>(m.info().properties());
            Object ranking = props.getOrDefault("service.ranking", 0);
            for (String hidden : List.of("objectClass", "service.id", "service.bundleid", "service.scope", "service.ranking",
                    "component.id", "component.name", "osgi.ds.satisfying.condition.target")) {
                props.remove(hidden);
            }
            t.row(m.info().serviceId(), String.join(", ", m.info().objectClass()), ranking, m.provider().ref(), attributes(props));
        }
        return t.toString().stripTrailing();
    }

    static String dependencies(DependencyTable d) {
        if (d.dependencies().isEmpty()) {
            return d.module() + (d.forward() ? " depends on no module" : ": no module depends on it");
        }
        Table t = new Table("ID", "Module", "Version", "State", "Distance", d.forward() ? "Uses" : "Used for");
        for (Dependency dep : d.dependencies()) {
            Module m = dep.module();
            t.row(m.bundleId(), m.id(), m.version(), m.state(), dep.distance(), wires(dep.wires()));
        }
        return t.toString().stripTrailing();
    }

    /** The wires of one step, shortened: "package a, package b, +3". */
    static String wires(List<WireInfo> wires) {
        List<String> names = wires.stream().map(w -> w.describe()).distinct().toList();
        return names.size() <= 3 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 3)) + ", +" + (names.size() - 3);
    }

    static String graph(DependencyGraph g) {
        StringBuilder sb = new StringBuilder();
        Map<Long, String> names = new java.util.HashMap<>();
        g.nodes().forEach(n -> names.put(n.bundleId(), n.id() + " " + n.version() + " [" + n.bundleId() + "]"));
        long declared = g.edges().stream().filter(DependencyGraph.Edge::declared).count();
        sb.append(g.nodes().size()).append(" modules, ").append(g.edges().size()).append(" dependencies")
                .append(declared == 0 ? "" : " (" + declared + " declared by unresolved modules)").append('\n');
        sb.append("Cycles (").append(g.cycles().size()).append(")\n");
        for (List<Long> c : g.cycles()) {
            sb.append("  ").append(c.stream().map(names::get).collect(Collectors.joining(" <-> "))).append('\n');
        }
        sb.append("Start order\n");
        int i = 1;
        for (List<Long> group : g.startOrder()) {
            sb.append(String.format("  %3d. ", i++)).append(group.stream().map(names::get).collect(Collectors.joining(" + ")))
                    .append(group.size() > 1 ? "   (cycle: started together)" : "").append('\n');
        }
        sb.append("Conflicts (").append(g.conflicts().size()).append(")\n");
        for (DependencyGraph.Conflict c : g.conflicts()) {
            sb.append("  ").append(c.kind()).append(": ").append(c.description()).append('\n');
        }
        return sb.toString().stripTrailing();
    }

    static String why(WhyResult w) {
        if (w.wires().isEmpty()) {
            return w.from() + " and " + w.to() + " are not tied by any wire";
        }
        StringBuilder sb = new StringBuilder(w.from()).append(" and ").append(w.to()).append(" are tied by:\n");
        for (WireInfo wire : w.wires()) {
            sb.append("  ").append(w.names().get(wire.requirer())).append(" -> ").append(w.names().get(wire.provider()))
                    .append(": ").append(wire.describe()).append('\n');
        }
        return sb.toString().stripTrailing();
    }

    static String deployed(DeployResult r) {
        StringBuilder sb = new StringBuilder(r.outcome().name()).append(": ").append(r.message());
        r.notes().forEach(n -> sb.append("\n  ").append(n));
        return sb.toString();
    }

    static String statsTable(List<ModuleStats> stats) {
        if (stats.isEmpty()) {
            return "No modules";
        }
        Table t = new Table("Module", "Starts", "Failed", "Success", "Avg start ms", "Look-ups", "Last used");
        for (ModuleStats s : stats) {
            t.row(s.id(), s.starts(), s.startFailures(), String.format(java.util.Locale.ROOT, "%.0f%%", 100 * s.successRate()),
                    s.averageStartMillis() < 0 ? "" : String.format(java.util.Locale.ROOT, "%.1f", s.averageStartMillis()),
                    s.lookups(), s.lastUsed() == null ? "" : TIME.format(s.lastUsed()));
        }
        return t.toString().stripTrailing();
    }

    static String stats(ModuleStats s) {
        StringBuilder sb = new StringBuilder();
        field(sb, "Module", s.id());
        field(sb, "Installed", s.installed() == null ? "" : TIME.format(s.installed()));
        field(sb, "Updated", s.lastUpdated() == null ? "never" : TIME.format(s.lastUpdated()) + " (" + s.updates() + " updates)");
        field(sb, "Starts", s.starts() + " (" + s.startFailures() + " failed, "
                + String.format(java.util.Locale.ROOT, "%.0f%%", 100 * s.successRate()) + " success)");
        if (s.averageStartMillis() >= 0) {
            field(sb, "Start time", String.format(java.util.Locale.ROOT, "last %.1f ms, average %.1f ms, max %.1f ms",
                    s.lastStartMillis(), s.averageStartMillis(), s.maxStartMillis()));
        }
        field(sb, "Look-ups", s.lookups() + (s.lastUsed() == null ? "" : " (last " + TIME.format(s.lastUsed()) + ")"));
        s.lookupsByConsumer().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sb.append("  by ").append(e.getKey()).append(": ").append(e.getValue()).append('\n'));
        s.lookupsByService().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sb.append("  of ").append(e.getKey()).append(": ").append(e.getValue()).append('\n'));
        field(sb, "Consumers", s.consumers().isEmpty() ? "none now" : String.join(", ", s.consumers()));
        field(sb, "Size", s.size() < 0 ? "unknown" : s.size() + " bytes (" + s.compressedSize() + " compressed)");
        return sb.toString().stripTrailing();
    }

    private static String millis(double ms) {
        return ms < 0 ? "-" : String.format(java.util.Locale.ROOT, "%.3f ms", ms);
    }

    static String diff(org.modreg.api.dto.ModuleDiff d) {
        StringBuilder sb = new StringBuilder(d.moduleId()).append(' ').append(d.from()).append(" -> ").append(d.to());
        sb.append(d.breaking() ? ": BREAKING (an exported package changed in a major way, or was removed)" : ": no major API change");
        if (d.mismatched()) {
            sb.append("; a package version is lower than its change needs");
        }
        sb.append('\n');
        if (!d.packages().isEmpty()) {
            Table t = new Table("Package", "API change", "Was", "Declared", "Needs", "");
            for (org.modreg.api.dto.ModuleDiff.PackageBaseline p : d.packages()) {
                t.row(p.packageName(), p.delta(), p.previous() == null ? "-" : p.previous(), p.declared() == null ? "-" : p.declared(),
                        p.suggested() == null ? "-" : p.suggested(), p.mismatch() ? "MISMATCH" : "");
            }
            sb.append(t.toString());
        }
        if (d.changes().isEmpty()) {
            sb.append("Manifest: no capability or requirement changed\n");
        } else {
            sb.append("Manifest:\n");
            for (org.modreg.api.dto.ModuleDiff.Change c : d.changes()) {
                sb.append(String.format(java.util.Locale.ROOT, "  %-7s %s %s %s%s%n", c.kind(), c.type(), c.namespace(), c.name(),
                        c.kind().equals("changed") ? ": " + c.before() + " -> " + c.after()
                                : c.kind().equals("added") ? " " + c.after() : " " + c.before()));
            }
        }
        return sb.toString().stripTrailing();
    }

    static String history(HistoryTable h) {
        if (h.versions().isEmpty()) {
            return "No history for " + h.moduleId();
        }
        Table t = new Table("Time", "Event", "Version", "Digest", "Size", "Origin", "Bytes");
        for (org.modreg.api.dto.ModuleVersion v : h.versions()) {
            t.row(TIME.format(v.time()), v.event(), v.version(), v.digest() == null ? "-" : v.digest().substring(0, 12),
                    v.size() < 0 ? "-" : v.size(), v.origin(), v.installed() ? "installed" : v.kept() ? "kept" : "gone");
        }
        return t.toString().stripTrailing();
    }

    static String audit(AuditTable a) {
        if (a.entries().isEmpty()) {
            return "No audit entries";
        }
        Table t = new Table("#", "Time", "Origin", "Operation", "Module", "Version", "Result", "Target", "Detail / error");
        for (org.modreg.api.dto.AuditEntry e : a.entries()) {
            String note = e.error() != null ? firstLine(e.error()) : e.detail() == null ? "" : e.detail();
            t.row(e.sequence(), TIME.format(e.time()), e.origin(), e.operation(), e.moduleId() == null ? "-" : e.moduleId(),
                    e.version() == null ? "-" : e.version(), e.result(), e.target() == null ? "" : e.target(), note);
        }
        return t.toString().stripTrailing();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl) + " ...";
    }

    static String health(Health h) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(java.util.Locale.ROOT, "%d modules, %.0f%% healthy, %d errors in their histories%n", h.modules(),
                h.healthyPercent(), h.errors()));
        new TreeMap<>(h.byState()).forEach((state, n) -> sb.append("  ").append(state).append(": ").append(n).append('\n'));
        for (Module m : h.failed()) {
            sb.append("FAILED ").append(line(m)).append(": ")
                    .append(m.lastError().map(ModuleError::message).orElse("no error recorded")).append('\n');
        }
        Health.Performance p = h.performance();
        if (p != null) {
            sb.append(String.format(java.util.Locale.ROOT, "Performance: average start %s, %d queries averaging %s, "
                    + "index of %d modules: %d keys, %d postings%n", millis(p.averageStartMillis()), p.queries(),
                    millis(p.averageQueryMillis()), p.indexedModules(), p.indexKeys(), p.indexPostings()));
        }
        return sb.toString().stripTrailing();
    }

    static String capabilities(CapabilityTable c) {
        StringBuilder sb = new StringBuilder(c.module()).append('\n');
        for (CapabilityInfo cap : c.capabilities()) {
            sb.append("  ").append(cap.namespace()).append(' ').append(attributes(cap.attributes()))
                    .append(cap.directives().isEmpty() ? "" : " " + directives(cap.directives())).append('\n');
        }
        for (RequirementInfo r : c.requirements()) {
            sb.append("  ").append(r.namespace()).append(' ').append(r.filter() == null ? "" : r.filter())
                    .append(r.optional() ? " (optional)" : "").append('\n');
        }
        if (c.capabilities().isEmpty() && c.requirements().isEmpty()) {
            sb.append("  (none)\n");
        }
        return sb.toString().stripTrailing();
    }

    static String inspect(Module m) {
        StringBuilder sb = new StringBuilder();
        field(sb, "Module", m.id());
        field(sb, "Version", m.version());
        field(sb, "Bundle", m.bundleId());
        field(sb, "State", m.state());
        field(sb, "Type", m.type());
        field(sb, "Name", m.name());
        field(sb, "Description", m.description());
        field(sb, "Vendor", m.vendor());
        field(sb, "License", m.license());
        field(sb, "Docs", m.docUrl());
        field(sb, "Tags", String.join(", ", m.tags()));
        field(sb, "Keywords", String.join(" ", new java.util.TreeSet<>(m.keywords())));
        field(sb, "Location", m.location());
        ModuleContent c = m.content();
        field(sb, "Digest", c.isKnown() ? "sha256:" + c.digest() : "unknown");
        field(sb, "Size", c.size() < 0 ? "unknown" : c.size() + " bytes"
                + (c.compressedSize() < 0 ? "" : " (" + c.compressedSize() + " compressed)"));
        field(sb, "Stored", c.stored());
        field(sb, "Modified", TIME.format(m.lastModified()));

        sb.append("Capabilities (").append(m.capabilities().size()).append(")\n");
        for (CapabilityInfo cap : m.capabilities()) {
            sb.append("  ").append(cap.namespace()).append(' ').append(attributes(cap.attributes()))
                    .append(cap.directives().isEmpty() ? "" : " " + directives(cap.directives())).append('\n');
        }
        sb.append("Requirements (").append(m.requirements().size()).append(")\n");
        for (RequirementInfo r : m.requirements()) {
            sb.append("  ").append(r.namespace()).append(' ').append(r.filter() == null ? "" : r.filter())
                    .append(r.optional() ? " (optional)" : "").append('\n');
        }
        sb.append("Services (").append(m.services().size()).append(")\n");
        for (ServiceInfo s : m.services()) {
            Map<String, Object> props = new TreeMap<>(s.properties());
            props.remove("objectClass");
            props.remove("service.id");
            props.remove("service.bundleid");
            props.remove("service.scope");
            sb.append("  [").append(s.serviceId()).append("] ").append(String.join(", ", s.objectClass()))
                    .append(props.isEmpty() ? "" : " " + attributes(props)).append('\n');
        }
        sb.append("Errors (").append(m.errors().size()).append(")\n");
        for (ModuleError e : m.errors()) {
            sb.append("  ").append(TIME.format(e.time())).append(' ').append(e.operation()).append(": ")
                    .append(e.message()).append('\n');
        }
        return sb.toString().stripTrailing();
    }

    private static void field(StringBuilder sb, String name, Object value) {
        if (value != null && !value.toString().isEmpty()) {
            sb.append(String.format("%-13s", name)).append(value).append('\n');
        }
    }

    private static String attributes(Map<String, Object> attrs) {
        return new TreeMap<>(attrs).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("; "));
    }

    private static String directives(Map<String, String> dirs) {
        return new TreeMap<>(dirs).entrySet().stream().map(e -> e.getKey() + ":=" + e.getValue())
                .collect(Collectors.joining("; "));
    }
}
