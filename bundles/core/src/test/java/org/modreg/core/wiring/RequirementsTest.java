package org.modreg.core.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.apache.felix.utils.resource.ResourceBuilder;
import org.junit.jupiter.api.Test;
import org.modreg.api.dto.CheckReport.UsesConflict;
import org.osgi.resource.Capability;
import org.osgi.resource.Requirement;
import org.osgi.resource.Resource;

public class RequirementsTest {

    private static Resource bundle(String... headers) throws Exception {
        Map<String, String> h = new java.util.LinkedHashMap<>();
        h.put("Bundle-ManifestVersion", "2");
        h.put("Bundle-SymbolicName", "t.b");
        h.put("Bundle-Version", "1.0");
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        return ResourceBuilder.build("t", h);
    }

    private static Requirement first(Resource r, String ns) {
        return r.getRequirements(ns).get(0);
    }

    @Test
    void packageImportReadsNameAndRange() throws Exception {
        Requirement req = first(bundle("Import-Package", "a.b;version=\"[1.2,2)\""), "osgi.wiring.package");
        Requirements.Wanted w = Requirements.wanted(req);
        assertEquals("a.b", w.name());
        assertEquals("[1.2.0,2.0.0)", w.rangeText());
        assertEquals("package a.b 1.2.0 or later, before 2.0.0", Requirements.describe(req));
    }

    @Test
    void openAndExactRanges() throws Exception {
        Requirement open = first(bundle("Import-Package", "a.b;version=\"(1,2]\""), "osgi.wiring.package");
        assertEquals("(1.0.0,2.0.0]", Requirements.wanted(open).rangeText());
        Requirement floor = first(bundle("Import-Package", "a.b;version=1.5"), "osgi.wiring.package");
        assertEquals("1.5.0", Requirements.wanted(floor).rangeText());
        assertEquals("package a.b 1.5.0 or later", Requirements.describe(floor));
        assertEquals("package a.b later than 1.0.0, 2.0.0 or earlier", Requirements.describe(open));
        Requirement exact = first(bundle("Import-Package", "a.b;version=\"[1.2,1.2]\""), "osgi.wiring.package");
        assertEquals("[1.2.0,1.2.0]", Requirements.wanted(exact).rangeText());
        assertEquals("package a.b exactly 1.2.0", Requirements.describe(exact));
        Requirement below = first(bundle("Import-Package", "a.b;version=\"[0,2)\""), "osgi.wiring.package");
        assertEquals("package a.b before 2.0.0", Requirements.describe(below));
        Requirement zero = first(bundle("Import-Package", "a.b;version=0.0.0"), "osgi.wiring.package");
        assertEquals("package a.b", Requirements.describe(zero));
        Requirement any = first(bundle("Import-Package", "a.b"), "osgi.wiring.package");
        assertNull(Requirements.wanted(any).range());
        assertEquals("package a.b", Requirements.describe(any));
    }

    @Test
    void requireBundleUsesBundleVersion() throws Exception {
        Requirement req = first(bundle("Require-Bundle", "x.y;bundle-version=\"[3,4)\""), "osgi.wiring.bundle");
        assertEquals("bundle x.y 3.0.0 or later, before 4.0.0", Requirements.describe(req));
    }

    @Test
    void genericAndServiceRequirements() throws Exception {
        Resource r = bundle("Require-Capability",
                "osgi.extender;filter:=\"(&(osgi.extender=osgi.component)(version>=1.5)(!(version>=2)))\","
                        + "osgi.service;filter:=\"(objectClass=a.Foo)\",my.ns;filter:=\"(|(a=1)(b=2))\"");
        assertEquals("extender osgi.component 1.5.0 or later, before 2.0.0", Requirements.describe(first(r, "osgi.extender")));
        assertEquals("service a.Foo", Requirements.describe(first(r, "osgi.service")));
        assertEquals("capability my.ns matching (|(a=1)(b=2))", Requirements.describe(first(r, "my.ns")));
    }

    @Test
    void optionalAndDynamicAreRecognised() throws Exception {
        Resource r = bundle("Import-Package", "a;resolution:=optional", "DynamicImport-Package", "b.*");
        assertTrue(Requirements.optional(first(r, "osgi.wiring.package")));
        assertTrue(r.getRequirements("osgi.wiring.package").stream().anyMatch(Requirements::dynamic));
    }

    @Test
    void nearMissSaysWhichVersionIsThereAndWhichIsNeeded() throws Exception {
        Requirement req = first(bundle("Import-Package", "a.b;version=\"[2,3)\""), "osgi.wiring.package");
        Resource provider = bundle("Export-Package", "a.b;version=1.4");
        Capability cap = provider.getCapabilities("osgi.wiring.package").get(0);
        assertEquals("package a.b is exported by p 1.4 at 1.4.0, but the version needed is 2.0.0 or later, before 3.0.0",
                Requirements.nearMiss(req, cap, "p 1.4"));
    }

    // Felix's own words (resolver 2.0), as a check of u.c printed them
    private static final String TWO_CHAINS = "Uses constraint violation. Unable to resolve resource u.c [u.c/1.0.0] because it "
            + "is exposed to package 'u.p' from resources u.a1 [u.a1 [33](R 33.0)] and u.a2 [u.a2 [34](R 34.0)] via two "
            + "dependency chains.\n\nChain 1:\n  u.c [u.c/1.0.0]\n"
            + "    import: (&(osgi.wiring.package=u.p)(version>=1.0.0)(!(version>=2.0.0)))\n     |\n"
            + "    export: osgi.wiring.package: u.p\n  u.a1 [u.a1 [33](R 33.0)]\n\nChain 2:\n  u.c [u.c/1.0.0]\n"
            + "    import: (osgi.wiring.package=u.q)\n     |\n    export: osgi.wiring.package=u.q; uses:=u.p\n"
            + "  u.b [u.b [35](R 35.0)]\n    import: (&(osgi.wiring.package=u.p)(version>=2.0.0)(!(version>=3.0.0)))\n"
            + "     |\n    export: osgi.wiring.package: u.p\n  u.a2 [u.a2 [34](R 34.0)]";

    private static final Map<String, String> LABELS = Map.of("u.c [u.c/1.0.0]", "u.c 1.0.0", "u.a1 [u.a1 [33](R 33.0)]",
            "u.a1 1.0.0", "u.a2 [u.a2 [34](R 34.0)]", "u.a2 2.0.0", "u.b [u.b [35](R 35.0)]", "u.b 1.0.0");

    @Test
    void usesMessageOfTheResolverBecomesTwoChainsNamingBothProviders() {
        List<UsesConflict> c = WiringChecker.uses(TWO_CHAINS, LABELS);
        assertEquals(1, c.size());
        assertEquals("u.p", c.get(0).packageName());
        assertEquals("u.c 1.0.0", c.get(0).module());
        assertEquals("package u.p would reach u.c 1.0.0 from u.a1 1.0.0 (chain 1) and from u.a2 2.0.0 (chain 2)",
                c.get(0).summary());
        assertEquals(List.of("u.c 1.0.0", "import: (&(osgi.wiring.package=u.p)(version>=1.0.0)(!(version>=2.0.0)))",
                "export: osgi.wiring.package: u.p", "u.a1 1.0.0"), c.get(0).chain1());
        assertEquals(List.of("u.c 1.0.0", "import: (osgi.wiring.package=u.q)", "export: osgi.wiring.package=u.q; uses:=u.p",
                "u.b 1.0.0", "import: (&(osgi.wiring.package=u.p)(version>=2.0.0)(!(version>=3.0.0)))",
                "export: osgi.wiring.package: u.p", "u.a2 2.0.0"), c.get(0).chain2());
        assertTrue(WiringChecker.uses("Unable to resolve x: missing requirement", LABELS).isEmpty());
    }

    @Test
    void modulesTheLabelsDoNotKnowKeepTheResolversName() {
        UsesConflict c = WiringChecker.uses(TWO_CHAINS, Map.of()).get(0);
        assertEquals("u.c [u.c/1.0.0]", c.module());
        assertEquals("u.a1 [u.a1 [33](R 33.0)]", c.chain1().get(3));
    }

    @Test
    void aModuleThatExportsThePackageItselfHasItsOwnExportAsChainOne() {
        String message = "Uses constraint violation. Unable to resolve resource v.d [v.d/1.0.0] because it exports package "
                + "'v.p' and is also exposed to it from resource v.a2 [v.a2 [31](R 31.0)] via the following dependency "
                + "chain:\n\n  v.d [v.d/1.0.0]\n    import: (osgi.wiring.package=v.q)\n     |\n"
                + "    export: osgi.wiring.package=v.q; uses:=v.p\n  v.b [v.b [32](R 32.0)]\n"
                + "    import: (&(osgi.wiring.package=v.p)(version>=2.0.0)(!(version>=3.0.0)))\n     |\n"
                + "    export: osgi.wiring.package: v.p\n  v.a2 [v.a2 [31](R 31.0)]";
        UsesConflict c = WiringChecker.uses(message, Map.of("v.d [v.d/1.0.0]", "v.d 1.0.0", "v.a2 [v.a2 [31](R 31.0)]",
                "v.a2 2.0.0")).get(0);
        assertEquals("v.p", c.packageName());
        assertEquals("v.d 1.0.0", c.module());
        assertEquals("package v.p would reach v.d 1.0.0 from itself, as it exports it (chain 1), and from v.a2 2.0.0 "
                + "(chain 2)", c.summary());
        assertEquals(List.of("v.d 1.0.0 exports package v.p"), c.chain1());
        assertEquals("v.b [v.b [32](R 32.0)]", c.chain2().get(3));
        assertEquals("v.a2 2.0.0", c.chain2().get(c.chain2().size() - 1));
    }
}
