package org.modreg.api.dto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.modreg.api.ModuleState;

class DependencyGraphTest {

    private static DependencyGraph graph() {
        return new DependencyGraph(
                List.of(new DependencyGraph.Node(1, "a \"quoted\"", "1.0.0", ModuleState.ACTIVE),
                        new DependencyGraph.Node(2, "b\\c", "2.0.0", ModuleState.INSTALLED)),
                List.of(new DependencyGraph.Edge(1, 2, false, List.of(
                        new WireInfo(1, 2, "osgi.wiring.package", "p.one", "1.0.0", false),
                        new WireInfo(1, 2, "osgi.wiring.package", "p.two", "", false))),
                        new DependencyGraph.Edge(2, 1, true, List.of(new WireInfo(2, 1, "osgi.wiring.bundle", "a", "1.0.0", true)))),
                List.of(List.of(1L, 2L)), List.of(List.of(1L, 2L)),
                List.of(new DependencyGraph.Conflict("singleton", "line\nbreak", List.of(1L, 2L))));
    }

    @Test
    void jsonEscapesAndNestsEverything() {
        assertEquals("{\"nodes\":[{\"bundleId\":1,\"id\":\"a \\\"quoted\\\"\",\"version\":\"1.0.0\",\"state\":\"ACTIVE\"},"
                + "{\"bundleId\":2,\"id\":\"b\\\\c\",\"version\":\"2.0.0\",\"state\":\"INSTALLED\"}],"
                + "\"edges\":[{\"from\":1,\"to\":2,\"declared\":false,\"wires\":[{\"namespace\":\"osgi.wiring.package\",\"name\":\"p.one\","
                + "\"version\":\"1.0.0\"},{\"namespace\":\"osgi.wiring.package\",\"name\":\"p.two\",\"version\":\"\"}]},"
                + "{\"from\":2,\"to\":1,\"declared\":true,\"wires\":[{\"namespace\":\"osgi.wiring.bundle\",\"name\":\"a\",\"version\":\"1.0.0\"}]}],"
                + "\"cycles\":[[1,2]],\"startOrder\":[[1,2]],"
                + "\"conflicts\":[{\"kind\":\"singleton\",\"description\":\"line\\nbreak\",\"modules\":[1, 2]}]}", graph().toJson());
    }

    @Test
    void dotMarksCyclesAndDeclaredEdges() {
        String dot = graph().toDot();
        assertTrue(dot.startsWith("digraph modules {"), dot);
        assertTrue(dot.contains("m1 [label=\"a \\\"quoted\\\"\\n1.0.0\", color=red];"), dot);
        assertTrue(dot.contains("m2 [label=\"b\\\\c\\n2.0.0\", style=dashed, color=red];"), dot);
        assertTrue(dot.contains("m1 -> m2 [label=\"p.one\\np.two\", color=red];"), dot);
        assertTrue(dot.contains("m2 -> m1 [label=\"a\", style=dashed, color=red];"), dot);
    }

    @Test
    void wireInDescribedInPlainWords() {
        assertEquals("package p.one 1.0.0", new WireInfo(1, 2, "osgi.wiring.package", "p.one", "1.0.0", false).describe());
        assertEquals("bundle a 1.0.0 (declared, not wired)", new WireInfo(1, 2, "osgi.wiring.bundle", "a", "1.0.0", true).describe());
        assertEquals("my.ns x", new WireInfo(1, 2, "my.ns", "x", "", false).describe());
    }
}
