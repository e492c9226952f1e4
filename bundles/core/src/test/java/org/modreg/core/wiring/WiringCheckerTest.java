package org.modreg.core.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.modreg.api.dto.CheckReport.NearMiss;
import org.modreg.api.dto.CheckReport.Unsatisfied;

class WiringCheckerTest {

    private static Unsatisfied missing(String pkg, List<NearMiss> nearMisses) {
        return new Unsatisfied("d 2.17.2", "osgi.wiring.package", pkg, "[2.17.0,3.0.0)",
                "(&(osgi.wiring.package=" + pkg + ")(version>=2.17.0)(!(version>=3.0.0)))",
                "package " + pkg + " 2.17.0 or later, before 3.0.0", true, List.of(), nearMisses);
    }

    /** A module an update would break: what it would miss, on one line, grouped as the report groups it. */
    @Test
    void whatABrokenModuleWouldMissReadsInGroups() {
        List<Unsatisfied> missing = new ArrayList<>();
        missing.add(missing("c.annotation", List.of()));
        for (String pkg : List.of("c.core", "c.core.io", "c.core.json")) {
            missing.add(missing(pkg, List.of(new NearMiss("c 2.13.5", -1, "2.13.5", "package " + pkg
                    + " is exported by c 2.13.5 at 2.13.5, but the version needed is 2.17.0 or later, before 3.0.0"))));
        }
        assertEquals("would miss package c.annotation 2.17.0 or later, before 3.0.0; "
                + "would miss 3 packages 2.17.0 or later, before 3.0.0: c.core, c.core.io, c.core.json "
                + "(c 2.13.5 exports them at 2.13.5)", WiringChecker.missed(missing));
        assertEquals("would miss package c.core 2.17.0 or later, before 3.0.0 (package c.core is exported by c 2.13.5 at "
                + "2.13.5, but the version needed is 2.17.0 or later, before 3.0.0)", WiringChecker.missed(missing.subList(1, 2)));
    }
}
