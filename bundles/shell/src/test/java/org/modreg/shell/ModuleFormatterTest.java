package org.modreg.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.felix.service.command.Converter;
import org.junit.jupiter.api.Test;
import org.modreg.api.ModuleState;
import org.modreg.api.dto.CapabilityInfo;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleContent;
import org.modreg.api.dto.ModuleError;
import org.modreg.api.dto.RequirementInfo;
import org.modreg.api.dto.ServiceInfo;
import org.osgi.framework.Version;

class ModuleFormatterTest {

    private final ModuleFormatter f = new ModuleFormatter();

    private static Module module(long id, String bsn, ModuleState state, List<String> tags) {
        return new Module(id, bsn, Version.parseVersion("1.2.0"), "Text", "Does text", "acme", "MIT", null, tags, "plugin",
                Set.of("text"),
                List.of(new CapabilityInfo("modreg.capability", Map.of("modreg.capability", "text-processing"), Map.of())),
                List.of(new RequirementInfo("osgi.wiring.package", "(osgi.wiring.package=a)", true, Map.of())),
                List.of(new ServiceInfo(30, List.of("a.Api"), Map.of("service.id", 30L, "rank", 5))),
                state, "file:/x.jar", new ModuleContent("abc", 10, 7, "/store/abc.jar"), Instant.EPOCH,
                List.of(new ModuleError(Instant.EPOCH, "start", "it broke")));
    }

    @Test
    void aTableWithAlignedColumns() {
        String t = f.format(new ModuleTable(List.of(module(3, "a.b", ModuleState.ACTIVE, List.of("x", "y")),
                module(12, "a.longer.name", ModuleState.FAILED, List.of()))), Converter.INSPECT, null).toString();
        assertEquals("""
                ID | Module        | Version | State  | Type   | Tags
                ---+---------------+---------+--------+--------+-----
                3  | a.b           | 1.2.0   | ACTIVE | plugin | x,y
                12 | a.longer.name | 1.2.0   | FAILED | plugin |""", t);
        assertEquals("No modules", f.format(new ModuleTable(List.of()), Converter.INSPECT, null));
    }

    @Test
    void infoShowsEveryPart() {
        String info = f.format(module(3, "a.b", ModuleState.ACTIVE, List.of("x")), Converter.INSPECT, null).toString();
        assertTrue(info.startsWith("Module       a.b\nVersion      1.2.0\nBundle       3\nState        ACTIVE\n"), info);
        assertTrue(info.contains("Digest       sha256:abc\nSize         10 bytes (7 compressed)\n"), info);
        assertTrue(info.contains("Capabilities (1)\n  modreg.capability modreg.capability=text-processing\n"), info);
        assertTrue(info.contains("Requirements (1)\n  osgi.wiring.package (osgi.wiring.package=a) (optional)\n"), info);
        assertTrue(info.contains("Services (1)\n  [30] a.Api rank=5\n"), info);
        assertTrue(info.endsWith("start: it broke"), info);
    }

    @Test
    void lineAndLifecycleResults() {
        Module m = module(3, "a.b", ModuleState.STOPPED, List.of());
        assertEquals("a.b 1.2.0 (bundle 3)", f.format(m, Converter.LINE, null));
        assertEquals("a.b 1.2.0 (bundle 3) stopped: STOPPED", f.format(new LifecycleResult("stopped", m), Converter.INSPECT, null));
        assertNull(f.format("not ours", Converter.INSPECT, null));
    }
}
