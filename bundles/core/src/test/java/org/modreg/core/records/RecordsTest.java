package org.modreg.core.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.modreg.api.ModuleState;
import org.modreg.api.dto.CapabilityInfo;
import org.osgi.framework.Bundle;

public class RecordsTest {

    @Test
    void tagsAreTheTrimmedDistinctWordsOfBundleCategory() {
        assertEquals(List.of("text", "plugin"), Records.tags(" text, plugin,,text "));
        assertEquals(List.of(), Records.tags(null));
    }

    @Test
    void typeFromHeaderThenFromContent() {
        assertEquals("plugin", Records.type(5, " Plugin ", null, null, null, null));
        assertEquals("framework", Records.type(0, null, null, null, null, "org.osgi.framework"));
        assertEquals("fragment", Records.type(5, null, "host", null, null, null));
        assertEquals("service", Records.type(5, null, null, "OSGI-INF/a.xml", null, null));
        assertEquals("service", Records.type(5, null, null, null, "a.Activator", null));
        assertEquals("library", Records.type(5, null, null, null, null, "a.b"));
        assertEquals("bundle", Records.type(5, null, null, null, null, null));
    }

    @Test
    void keywordsComeFromTextAndCustomCapabilities() {
        Set<String> k = Records.keywords("org.x.text", "Text Processor", "Upper-cases the text.", List.of("plugin"),
                List.of(new CapabilityInfo("modreg.capability", Map.of("modreg.capability", "text-processing"), Map.of()),
                        new CapabilityInfo("osgi.wiring.package", Map.of("osgi.wiring.package", "com.hidden"), Map.of())));
        assertTrue(k.containsAll(Set.of("org", "text", "processor", "upper", "cases", "plugin", "processing")), k.toString());
        assertFalse(k.contains("hidden"), "package names are not keywords");
        assertFalse(k.contains("x"), "one-letter words are dropped");
        assertFalse(k.contains("the"), "stop words are dropped");
    }

    @Test
    void stateRefinesTheFrameworkState() {
        assertEquals(ModuleState.RESOLVED, Records.state(Bundle.RESOLVED, false, false));
        assertEquals(ModuleState.STOPPED, Records.state(Bundle.RESOLVED, false, true));
        assertEquals(ModuleState.FAILED, Records.state(Bundle.RESOLVED, true, true));
        assertEquals(ModuleState.FAILED, Records.state(Bundle.INSTALLED, true, false));
        assertEquals(ModuleState.INSTALLED, Records.state(Bundle.INSTALLED, false, false));
        assertEquals(ModuleState.ACTIVE, Records.state(Bundle.ACTIVE, true, false));
        assertEquals(ModuleState.FAILED, Records.state(Bundle.STARTING, true, false));
        assertEquals(ModuleState.UNINSTALLED, Records.state(Bundle.UNINSTALLED, false, false));
    }

    @Test
    void capabilityAttributesGivenAsArraysBecomeLists() {
        Map<String, Object> attrs = Records.attributes(Map.of("osgi.wiring.host", new String[] { "a", "system.bundle" }, "v", 1L));
        assertEquals(Map.of("osgi.wiring.host", List.of("a", "system.bundle"), "v", 1L), attrs);
        Map<String, Object> plain = Map.of("osgi.wiring.package", "p");
        assertTrue(plain == Records.attributes(plain), "without arrays the framework's map is kept as it is");
    }

    @Test
    void servicePropertiesBecomePlainData() {
        assertEquals(List.of("a", "b"), Records.plain(new String[] { "a", "b" }));
        assertEquals(List.of(1, 2), Records.plain(new int[] { 1, 2 }));
        assertEquals(42L, Records.plain(42L));
        assertEquals("java.lang.Object", Records.plain(new Object()).toString().substring(0, 16));
    }
}
