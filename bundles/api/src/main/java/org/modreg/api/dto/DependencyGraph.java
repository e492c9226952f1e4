package org.modreg.api.dto;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.modreg.api.ModuleState;

/**
 * The modules and the wires between them: live wires of resolved modules, and for unresolved
 * modules their declared requirements with the provider the resolver would pick. Nodes, edges and
 * groups are sorted by bundle id.
 *
 * @param nodes      the modules
 * @param edges      from a requirer to a provider, with the wires between them
 * @param cycles     groups of modules that depend on each other, each sorted; a module depending
 *                   only on itself is not a cycle
 * @param startOrder the modules in an order in which each comes after what it depends on; the
 *                   members of a cycle form one group
 * @param conflicts  singletons installed more than once, packages reaching a module from two
 *                   providers
 */
public record DependencyGraph(List<Node> nodes, List<Edge> edges, List<List<Long>> cycles, List<List<Long>> startOrder,
        List<Conflict> conflicts) {

    public DependencyGraph {
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
        cycles = cycles.stream().map(List::copyOf).toList();
        startOrder = startOrder.stream().map(List::copyOf).toList();
        conflicts = List.copyOf(conflicts);
    }

    /**
     * A module of the graph.
     *
     * @param bundleId its bundle id
     * @param id       module id
     * @param version  module version
     * @param state    its state when the graph was made
     */
    public record Node(long bundleId, String id, String version, ModuleState state) {
    }

    /**
     * The wires from one module to another.
     *
     * @param from     the requirer's bundle id
     * @param to       the provider's bundle id
     * @param declared true if no wire is live: the requirer is not resolved
     * @param wires    the wires
     */
    public record Edge(long from, long to, boolean declared, List<WireInfo> wires) {
        public Edge {
            wires = List.copyOf(wires);
        }
    }

    /**
     * Something the graph should not have.
     *
     * @param kind        {@code singleton} or {@code package}
     * @param description in plain words
     * @param modules     the bundle ids involved
     */
    public record Conflict(String kind, String description, List<Long> modules) {
        public Conflict {
            modules = List.copyOf(modules);
        }
    }

    /**
     * The graph in Graphviz DOT: one node per module labelled "id\nversion", an edge per
     * requirer and provider labelled with what is wired (declared edges dashed), cycles in red.
     *
     * @return a DOT digraph
     */
    public String toDot() {
        Set<Long> inCycle = cycles.stream().flatMap(List::stream).collect(Collectors.toSet());
        StringBuilder sb = new StringBuilder("digraph modules {\n  rankdir=LR;\n  node [shape=box, fontname=\"sans-serif\"];\n");
        for (Node n : nodes) {
            sb.append("  m").append(n.bundleId()).append(" [label=\"").append(dot(n.id())).append("\\n").append(dot(n.version()))
                    .append("\"").append(n.state() == ModuleState.ACTIVE ? "" : ", style=dashed")
                    .append(inCycle.contains(n.bundleId()) ? ", color=red" : "").append("];\n");
        }
        for (Edge e : edges) {
            String label = e.wires().stream().map(w -> dot(w.name())).distinct().limit(3).collect(Collectors.joining("\\n"))
                    + (e.wires().size() > 3 ? "\\n+" + (e.wires().size() - 3) : "");
            sb.append("  m").append(e.from()).append(" -> m").append(e.to()).append(" [label=\"").append(label)
                    .append("\"").append(e.declared() ? ", style=dashed" : "")
                    .append(inCycle.contains(e.from()) && inCycle.contains(e.to()) ? ", color=red" : "").append("];\n");
        }
        return sb.append("}\n").toString();
    }

    /**
     * The graph as JSON: {@code {"nodes":[...],"edges":[...],"cycles":[[...]],"startOrder":[[...]],"conflicts":[...]}}.
     *
     * @return a JSON object
     */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{\"nodes\":[");
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            sb.append(i == 0 ? "" : ",").append("{\"bundleId\":").append(n.bundleId()).append(",\"id\":").append(json(n.id()))
                    .append(",\"version\":").append(json(n.version())).append(",\"state\":").append(json(n.state().name())).append('}');
        }
        sb.append("],\"edges\":[");
        for (int i = 0; i < edges.size(); i++) {
            Edge e = edges.get(i);
            sb.append(i == 0 ? "" : ",").append("{\"from\":").append(e.from()).append(",\"to\":").append(e.to())
                    .append(",\"declared\":").append(e.declared()).append(",\"wires\":[");
            for (int j = 0; j < e.wires().size(); j++) {
                WireInfo w = e.wires().get(j);
                sb.append(j == 0 ? "" : ",").append("{\"namespace\":").append(json(w.namespace())).append(",\"name\":")
                        .append(json(w.name())).append(",\"version\":").append(json(w.version())).append('}');
            }
            sb.append("]}");
        }
        sb.append("],\"cycles\":").append(groups(cycles)).append(",\"startOrder\":").append(groups(startOrder))
                .append(",\"conflicts\":[");
        for (int i = 0; i < conflicts.size(); i++) {
            Conflict c = conflicts.get(i);
            sb.append(i == 0 ? "" : ",").append("{\"kind\":").append(json(c.kind())).append(",\"description\":")
                    .append(json(c.description())).append(",\"modules\":").append(c.modules()).append('}');
        }
        return sb.append("]}").toString();
    }

    private static String groups(List<List<Long>> groups) {
        return groups.stream().map(g -> g.stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]")))
                .collect(Collectors.joining(",", "[", "]"));
    }

    private static String dot(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String json(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
