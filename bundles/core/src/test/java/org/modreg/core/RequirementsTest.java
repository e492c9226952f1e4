package org.modreg.core;

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

class RequirementsTest {

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
        assertEquals("package a.b [1.2.0,2.0.0)", Requirements.describe(req));
    }

    @Test
    void openAndExactRanges() throws Exception {
        Requirement open = first(bundle("Import-Package", "a.b;version=\"(1,2]\""), "osgi.wiring.package");
        assertEquals("(1.0.0,2.0.0]", Requirements.wanted(open).rangeText());
        Requirement floor = first(bundle("Import-Package", "a.b;version=1.5"), "osgi.wiring.package");
        assertEquals("1.5.0", Requirements.wanted(floor).rangeText());
        Requirement any = first(bundle("Import-Package", "a.b"), "osgi.wiring.package");
        assertNull(Requirements.wanted(any).range());
        assertEquals("package a.b", Requirements.describe(any));
    }

    @Test
    void requireBundleUsesBundleVersion() throws Exception {
        Requirement req = first(bundle("Require-Bundle", "x.y;bundle-version=\"[3,4)\""), "osgi.wiring.bundle");
        assertEquals("bundle x.y [3.0.0,4.0.0)", Requirements.describe(req));
    }

    @Test
    void genericAndServiceRequirements() throws Exception {
        Resource r = bundle("Require-Capability",
                "osgi.extender;filter:=\"(&(osgi.extender=osgi.component)(version>=1.5)(!(version>=2)))\","
                        + "osgi.service;filter:=\"(objectClass=a.Foo)\",my.ns;filter:=\"(|(a=1)(b=2))\"");
        assertEquals("extender osgi.component [1.5.0,2.0.0)", Requirements.describe(first(r, "osgi.extender")));
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
        assertEquals("package a.b is exported by p 1.4 at 1.4.0, but [2.0.0,3.0.0) is needed",
                Requirements.nearMiss(req, cap, "p 1.4"));
    }

    @Test
    void usesMessageOfTheResolverBecomesTwoChains() {
        String message = "Uses constraint violation. Unable to resolve resource u.c [u.c/1.0.0] because it is exposed to "
                + "package 'u.p' from resources u.a1 [u.a1/1.0.0] and u.a2 [u.a2/2.0.0] via two dependency chains.\n\n"
                + "Chain 1:\n  u.c [u.c/1.0.0]\n    import: (osgi.wiring.package=u.p)\n     |\n    export: osgi.wiring.package: u.p\n"
                + "  u.a1 [u.a1/1.0.0]\n\nChain 2:\n  u.c [u.c/1.0.0]\n    import: (osgi.wiring.package=u.q)\n     |\n"
                + "    export: osgi.wiring.package=u.q; uses:=u.p\n  u.b [u.b/1.0.0]\n";
        List<UsesConflict> c = WiringChecker.uses(message);
        assertEquals(1, c.size());
        assertEquals("u.p", c.get(0).packageName());
        assertEquals("u.c [u.c/1.0.0]", c.get(0).module());
        assertEquals(List.of("u.c [u.c/1.0.0]", "import: (osgi.wiring.package=u.p)", "export: osgi.wiring.package: u.p",
                "u.a1 [u.a1/1.0.0]"), c.get(0).chain1());
        assertEquals("u.b [u.b/1.0.0]", c.get(0).chain2().get(c.get(0).chain2().size() - 1));
        assertTrue(WiringChecker.uses("Unable to resolve x: missing requirement").isEmpty());
    }
}
