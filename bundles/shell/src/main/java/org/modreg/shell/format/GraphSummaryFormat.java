package org.modreg.shell.format;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.felix.service.command.Converter;
import org.modreg.api.dto.DependencyGraph;
import org.osgi.service.component.annotations.Component;

/** The dependency graph in words: its size, cycles, start order and conflicts. */
@Component(service = Converter.class, property = Converter.CONVERTER_CLASSES + "=org.modreg.shell.format.GraphSummary")
public class GraphSummaryFormat extends Format<GraphSummary> {

    public GraphSummaryFormat() {
        super(GraphSummary.class);
    }

    @Override
    protected CharSequence format(GraphSummary s, int level) {
        DependencyGraph g = s.graph();
        StringBuilder sb = new StringBuilder();
        Map<Long, String> names = new HashMap<>();
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
}
