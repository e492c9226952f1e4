package org.modreg.core.wiring;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongFunction;

import org.modreg.api.ModuleState;
import org.modreg.api.dto.DependencyGraph;
import org.modreg.api.dto.DependencyGraph.Conflict;
import org.modreg.api.dto.DependencyGraph.Edge;
import org.modreg.api.dto.DependencyGraph.Node;
import org.modreg.api.dto.WireInfo;
import org.osgi.framework.Version;
import org.osgi.framework.namespace.BundleNamespace;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.resource.Capability;
import org.osgi.resource.Requirement;
import org.osgi.resource.Resource;
import org.osgi.resource.Wire;
import org.osgi.resource.Wiring;

/**
 * The dependency graph of the installed modules: live wires of resolved modules; for an
 * unresolved module, each mandatory requirement to the provider the resolver would try first.
 * Cycles are the strongly connected components (Tarjan); the start order is a topological order of
 * the components, dependencies first.
 */
public final class DependencyGraphs {

    private final WiringSnapshot snapshot;
    /** requirer -> provider -> wires, both sorted by bundle id. */
    private final Map<Long, Map<Long, List<WireInfo>>> out = new TreeMap<>();
    private final Map<Long, Set<Long>> in = new TreeMap<>();
    private final Map<Long, Node> nodes = new TreeMap<>();

    public DependencyGraphs(WiringSnapshot snapshot, LongFunction<ModuleState> state) {
        this.snapshot = snapshot;
        for (Resource r : snapshot.resources()) {
            long id = snapshot.bundleId(r);
            nodes.put(id, new Node(id, WiringChecker.id(r), WiringChecker.version(r).toString(), state.apply(id)));
            out.put(id, new TreeMap<>());
            in.put(id, new TreeSet<>());
        }
        CheckContext declared = new CheckContext(snapshot, List.of(), List.of(), List.of(), Set.of(), Set.of());
        for (Resource r : snapshot.resources()) {
            long from = snapshot.bundleId(r);
            Wiring w = snapshot.wirings().get(r);
            if (w != null) {
                for (Wire wire : w.getRequiredResourceWires(null)) {
                    add(from, snapshot.bundleId(wire.getProvider()), wire.getCapability(), false);
                }
            } else {
                for (Requirement req : r.getRequirements(null)) {
                    if (!Requirements.effective(req) || Requirements.optional(req) || Requirements.dynamic(req)) {
                        continue;
                    }
                    for (Capability c : declared.findProviders(req)) {
                        if (c.getResource() != r) {
                            add(from, snapshot.bundleId(c.getResource()), c, true);
                            break;
                        }
                    }
                }
            }
        }
    }

    private void add(long from, long to, Capability cap, boolean isDeclared) {
        if (from == to || to < 0 || !nodes.containsKey(to)) {
            return;
        }
        Version v = Requirements.version(cap);
        out.get(from).computeIfAbsent(to, k -> new ArrayList<>())
                .add(new WireInfo(from, to, cap.getNamespace(), Requirements.name(cap), v == null ? "" : v.toString(), isDeclared));
        in.get(to).add(from);
    }

    public boolean contains(long id) {
        return nodes.containsKey(id);
    }

    /** Breadth first from a module, along dependencies or against them; nearest first, then by id. */
    public List<long[]> reach(long start, boolean dependencies, boolean transitive) {
        List<long[]> result = new ArrayList<>(); // {bundle id, distance, reached from}
        Map<Long, Integer> seen = new HashMap<>();
        seen.put(start, 0);
        Deque<Long> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            long at = queue.removeFirst();
            int d = seen.get(at);
            if (d >= 1 && !transitive) {
                break;
            }
            Collection<Long> next = dependencies ? out.get(at).keySet() : in.get(at);
            for (long n : next) {
                if (!seen.containsKey(n)) {
                    seen.put(n, d + 1);
                    result.add(new long[] { n, d + 1, at });
                    queue.addLast(n);
                }
            }
        }
        result.sort((a, b) -> a[1] != b[1] ? Long.compare(a[1], b[1]) : Long.compare(a[0], b[0]));
        return result;
    }

    /** @return the wires from one module to another, empty if none */
    public List<WireInfo> wires(long from, long to) {
        Map<Long, List<WireInfo>> m = out.get(from);
        List<WireInfo> w = m == null ? null : m.get(to);
        return w == null ? List.of() : w;
    }

    /** The wires between two modules: direct in either direction, else along the shortest chain. */
    public List<WireInfo> why(long a, long b) {
        List<WireInfo> direct = new ArrayList<>(wires(a, b));
        direct.addAll(wires(b, a));
        if (!direct.isEmpty()) {
            return direct;
        }
        List<WireInfo> path = path(a, b);
        return path.isEmpty() ? path(b, a) : path;
    }

    private List<WireInfo> path(long from, long to) {
        Map<Long, Long> parent = new HashMap<>();
        parent.put(from, from);
        Deque<Long> queue = new ArrayDeque<>(List.of(from));
        while (!queue.isEmpty()) {
            long at = queue.removeFirst();
            if (at == to) {
                List<WireInfo> chain = new ArrayList<>();
                for (long n = to; n != from; n = parent.get(n)) {
                    chain.addAll(0, wires(parent.get(n), n));
                }
                return chain;
            }
            for (long n : out.get(at).keySet()) {
                if (!parent.containsKey(n)) {
                    parent.put(n, at);
                    queue.addLast(n);
                }
            }
        }
        return List.of();
    }

    /** @return the whole graph */
    public DependencyGraph graph() {
        return graph(nodes.keySet());
    }

    /** @return the graph of a module, its transitive dependencies and its transitive dependents */
    public DependencyGraph around(long id) {
        Set<Long> keep = new TreeSet<>();
        keep.add(id);
        reach(id, true, true).forEach(r -> keep.add(r[0]));
        reach(id, false, true).forEach(r -> keep.add(r[0]));
        return graph(keep);
    }

    private DependencyGraph graph(Set<Long> keep) {
        List<Node> ns = new ArrayList<>();
        List<Edge> es = new ArrayList<>();
        for (long id : keep) {
            ns.add(nodes.get(id));
            out.get(id).forEach((to, wires) -> {
                if (keep.contains(to)) {
                    es.add(new Edge(id, to, wires.stream().allMatch(WireInfo::declared), wires));
                }
            });
        }
        List<List<Long>> components = components(keep);
        List<List<Long>> cycles = components.stream().filter(c -> c.size() > 1).toList();
        // Tarjan emits a component only after every component it reaches: dependencies come first
        return new DependencyGraph(ns, es, cycles, components, conflicts(keep));
    }

    // ---------------------------------------------------------------- cycles and order

    /** Tarjan's strongly connected components, iteratively (module graphs can be deep). */
    private List<List<Long>> components(Set<Long> keep) {
        Map<Long, Integer> index = new HashMap<>();
        Map<Long, Integer> low = new HashMap<>();
        Deque<Long> stack = new ArrayDeque<>();
        Set<Long> onStack = new java.util.HashSet<>();
        List<List<Long>> result = new ArrayList<>();
        int[] counter = { 0 };
        for (long root : keep) {
            if (index.containsKey(root)) {
                continue;
            }
            Deque<Object[]> work = new ArrayDeque<>(); // {node, iterator of successors}
            index.put(root, counter[0]);
            low.put(root, counter[0]++);
            stack.push(root);
            onStack.add(root);
            work.push(new Object[] { root, successors(root, keep).iterator() });
            while (!work.isEmpty()) {
                Object[] frame = work.peek();
                long v = (Long) frame[0];
                @SuppressWarnings("unchecked")
                java.util.Iterator<Long> it = (java.util.Iterator<Long>) frame[1];
                if (it.hasNext()) {
                    long w = it.next();
                    if (!index.containsKey(w)) {
                        index.put(w, counter[0]);
                        low.put(w, counter[0]++);
                        stack.push(w);
                        onStack.add(w);
                        work.push(new Object[] { w, successors(w, keep).iterator() });
                    } else if (onStack.contains(w)) {
                        low.put(v, Math.min(low.get(v), index.get(w)));
                    }
                } else {
                    work.pop();
                    if (!work.isEmpty()) {
                        long parent = (Long) work.peek()[0];
                        low.put(parent, Math.min(low.get(parent), low.get(v)));
                    }
                    if (low.get(v).equals(index.get(v))) {
                        List<Long> component = new ArrayList<>();
                        long x;
                        do {
                            x = stack.pop();
                            onStack.remove(x);
                            component.add(x);
                        } while (x != v);
                        component.sort(null);
                        result.add(component);
                    }
                }
            }
        }
        return result;
    }

    private List<Long> successors(long v, Set<Long> keep) {
        return out.get(v).keySet().stream().filter(keep::contains).toList();
    }

    // ---------------------------------------------------------------- conflicts

    private List<Conflict> conflicts(Set<Long> keep) {
        List<Conflict> conflicts = new ArrayList<>();
        Map<String, List<Resource>> singletons = new TreeMap<>();
        for (Resource r : snapshot.resources()) {
            if (keep.contains(snapshot.bundleId(r)) && WiringChecker.singleton(r)) {
                singletons.computeIfAbsent(WiringChecker.id(r), k -> new ArrayList<>()).add(r);
            }
        }
        singletons.forEach((id, rs) -> {
            if (rs.size() > 1) {
                rs.sort((a, b) -> Long.compare(snapshot.bundleId(a), snapshot.bundleId(b)));
                List<String> versions = rs.stream()
                        .map(r -> WiringChecker.version(r) + " (bundle " + snapshot.bundleId(r) + ")").toList();
                conflicts.add(new Conflict("singleton", id + " is a singleton installed " + rs.size() + " times: "
                        + String.join(", ", versions) + "; only one can resolve",
                        rs.stream().map(snapshot::bundleId).toList()));
            }
        });
        for (long consumer : keep) {
            Resource r = snapshot.revision(consumer);
            Wiring w = r == null ? null : snapshot.wirings().get(r);
            if (w == null) {
                continue;
            }
            Map<String, Map<Long, String>> seen = new TreeMap<>(); // package -> provider -> version
            List<Wire> wires = w.getRequiredResourceWires(null);
            Set<String> imported = new HashSet<>();
            for (Wire wire : wires) {
                Capability cap = wire.getCapability();
                if (PackageNamespace.PACKAGE_NAMESPACE.equals(cap.getNamespace())) {
                    imported.add(Requirements.name(cap));
                    see(seen, Requirements.name(cap), snapshot.bundleId(wire.getProvider()), cap);
                }
            }
            for (Wire wire : wires) {
                if (BundleNamespace.BUNDLE_NAMESPACE.equals(wire.getCapability().getNamespace())) {
                    Wiring pw = snapshot.wirings().get(wire.getProvider());
                    if (pw != null) {
                        for (Capability pc : pw.getResourceCapabilities(PackageNamespace.PACKAGE_NAMESPACE)) {
                            // an imported package hides the same package of a required bundle (OSGi core 3.9.4)
                            if (!imported.contains(Requirements.name(pc))) {
                                see(seen, Requirements.name(pc), snapshot.bundleId(wire.getProvider()), pc);
                            }
                        }
                    }
                }
            }
            // the packages an imported package uses reach the consumer too, from where its exporter has them
            for (Wire wire : wires) {
                String uses = wire.getCapability().getDirectives().get(PackageNamespace.CAPABILITY_USES_DIRECTIVE);
                if (uses != null && PackageNamespace.PACKAGE_NAMESPACE.equals(wire.getCapability().getNamespace())) {
                    for (String u : uses.split(",")) {
                        usedFrom(wire.getProvider(), u.trim(), seen);
                    }
                }
            }
            seen.forEach((pkg, providers) -> {
                // one version from several providers is a split package (Require-Bundle), which OSGi
                // allows; several versions are two class spaces of one package in one consumer
                if (new HashSet<>(providers.values()).size() > 1) {
                    List<String> from = new ArrayList<>();
                    providers.forEach((p, v) -> from.add(nodes.get(p).id() + " " + nodes.get(p).version() + " (bundle " + p
                            + ") at " + (v.isEmpty() ? "no version" : v)));
                    Node c = nodes.get(consumer);
                    List<Long> ids = new ArrayList<>();
                    ids.add(consumer);
                    ids.addAll(providers.keySet());
                    conflicts.add(new Conflict("package", "package " + pkg + " reaches " + c.id() + " " + c.version()
                            + " (bundle " + consumer + ") at incompatible versions from " + providers.size() + " providers: "
                            + String.join(", ", from), ids));
                }
            });
        }
        return conflicts;
    }

    private void see(Map<String, Map<Long, String>> seen, String pkg, long provider, Capability cap) {
        Version v = Requirements.version(cap);
        seen.computeIfAbsent(pkg, k -> new LinkedHashMap<>()).put(provider, v == null ? "" : v.toString());
    }

    /** Where a provider has a package from: its own export, or its import wire. */
    private void usedFrom(Resource provider, String pkg, Map<String, Map<Long, String>> seen) {
        Wiring pw = snapshot.wirings().get(provider);
        if (pw == null || !seen.containsKey(pkg)) {
            return; // only packages the consumer also sees can conflict
        }
        for (Wire wire : pw.getRequiredResourceWires(PackageNamespace.PACKAGE_NAMESPACE)) {
            if (pkg.equals(Requirements.name(wire.getCapability()))) {
                see(seen, pkg, snapshot.bundleId(wire.getProvider()), wire.getCapability());
                return;
            }
        }
        for (Capability c : pw.getResourceCapabilities(PackageNamespace.PACKAGE_NAMESPACE)) {
            if (pkg.equals(Requirements.name(c))) {
                see(seen, pkg, snapshot.bundleId(provider), c);
                return;
            }
        }
    }
}
