package org.modreg.api.dto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.modreg.api.dto.CheckReport.Kind;
import org.modreg.api.dto.CheckReport.Missing;
import org.modreg.api.dto.CheckReport.NearMiss;
import org.modreg.api.dto.CheckReport.Unsatisfied;
import org.osgi.framework.Version;
import org.osgi.framework.VersionRange;

class CheckReportTest {

    private static final String DATABIND = "com.fasterxml.jackson.core.jackson-databind 2.17.2";
    private static final String CORE = "com.fasterxml.jackson.core.jackson-core 2.13.5";
    private static final List<String> CORE_PACKAGES = List.of("com.fasterxml.jackson.core", "com.fasterxml.jackson.core.base",
            "com.fasterxml.jackson.core.exc", "com.fasterxml.jackson.core.filter", "com.fasterxml.jackson.core.format",
            "com.fasterxml.jackson.core.io", "com.fasterxml.jackson.core.json", "com.fasterxml.jackson.core.type",
            "com.fasterxml.jackson.core.util");

    /** A package import of [2.17,3) that nothing satisfies, with the words the core gives it. */
    private static Unsatisfied missing(String module, String pkg, List<NearMiss> nearMisses) {
        return new Unsatisfied(module, "osgi.wiring.package", pkg, "[2.17.0,3.0.0)",
                "(&(osgi.wiring.package=" + pkg + ")(version>=2.17.0)(!(version>=3.0.0)))",
                "package " + pkg + " 2.17.0 or later, before 3.0.0", true, List.of(), nearMisses);
    }

    private static NearMiss exportedAt(String provider, long bundleId, String version, String pkg) {
        return new NearMiss(provider, bundleId, version, "package " + pkg + " is exported by " + provider + " at " + version
                + ", but the version needed is 2.17.0 or later, before 3.0.0");
    }

    private static CheckReport report(List<Unsatisfied> unsatisfied) {
        return new CheckReport(Kind.INSTALL, "databind.jar", "com.fasterxml.jackson.core.jackson-databind",
                Version.parseVersion("2.17.2"), -1, false, unsatisfied, List.of(), List.of(), List.of(), List.of(), "", List.of());
    }

    /** jackson-databind 2.17.2 against jackson-core 2.13.5, with no jackson-annotations: issue 13's report. */
    private static List<Unsatisfied> wrongJacksonCore() {
        List<Unsatisfied> all = new ArrayList<>();
        all.add(missing(DATABIND, "com.fasterxml.jackson.annotation", List.of()));
        for (String pkg : CORE_PACKAGES) {
            all.add(missing(DATABIND, pkg, List.of(exportedAt(CORE, 12, "2.13.5", pkg))));
        }
        return all;
    }

    @Test
    void packagesThatMissAtOneProviderForOneReasonReadAsOneEntryNamingTheProviderOnce() {
        CheckReport r = report(wrongJacksonCore());
        assertEquals("com.fasterxml.jackson.core.jackson-databind 2.17.2 (databind.jar) would NOT resolve\n"
                + "  missing: package com.fasterxml.jackson.annotation 2.17.0 or later, before 3.0.0, needed by " + DATABIND + "\n"
                + "  missing: 9 packages 2.17.0 or later, before 3.0.0, needed by " + DATABIND + ": "
                + String.join(", ", CORE_PACKAGES) + "\n"
                + "    near miss: " + CORE + " (bundle 12) exports them at 2.13.5", r.describe());
        // the data still has each requirement, each with its near miss
        assertEquals(10, r.unsatisfied().size());
        assertEquals(9, r.unsatisfied().stream().filter(u -> u.nearMisses().size() == 1).count());
    }

    @Test
    void aGroupKeepsTheReportsOrderAndEachRequirement() {
        List<Missing> groups = Missing.of(wrongJacksonCore());
        assertEquals(2, groups.size());
        assertEquals(List.of("com.fasterxml.jackson.annotation"), groups.get(0).names());
        assertEquals(CORE_PACKAGES, groups.get(1).names());
        assertEquals(wrongJacksonCore().subList(1, 10), groups.get(1).requirements());
        assertThrows(IllegalArgumentException.class, () -> new Missing(List.of()));
    }

    @Test
    void aGroupOfOneReadsAsTheRequirementWithItsOwnNearMisses() {
        Unsatisfied u = missing(DATABIND, "com.fasterxml.jackson.core", List.of(exportedAt(CORE, 12, "2.13.5", "com.fasterxml.jackson.core")));
        Missing m = Missing.of(List.of(u)).get(0);
        assertEquals("package com.fasterxml.jackson.core 2.17.0 or later, before 3.0.0, needed by " + DATABIND, m.describe());
        assertEquals(List.of(u.nearMisses().get(0).reason()), m.nearMisses());
    }

    @Test
    void eachProviderThatAlmostProvidesAGroupIsNamedOnceOnItsOwnLine() {
        List<Unsatisfied> two = new ArrayList<>();
        for (String pkg : List.of("a.one", "a.two")) {
            two.add(missing("m 1.0.0", pkg, List.of(exportedAt("a 2.13.5", 12, "2.13.5", pkg), exportedAt("a 2.12.0", -1, "2.12.0", pkg))));
        }
        Missing m = Missing.of(two).get(0);
        assertEquals(List.of("a 2.13.5 (bundle 12) exports them at 2.13.5", "a 2.12.0 exports them at 2.12.0"), m.nearMisses());
    }

    @Test
    void requirementsThatMissForDifferentReasonsOrElsewhereAreNotGrouped() {
        List<Unsatisfied> all = List.of(
                missing("m 1.0.0", "a.one", List.of(exportedAt("a 1.0.0", 12, "1.0.0", "a.one"))),
                // another provider version
                missing("m 1.0.0", "a.two", List.of(exportedAt("a 1.1.0", 13, "1.1.0", "a.two"))),
                // the same provider, another reason
                missing("m 1.0.0", "a.three", List.of(new NearMiss("a 1.0.0", 12, "1.0.0",
                        "package a.three is exported by a 1.0.0 at 1.0.0, but it requires the attributes x"))),
                // another module needs it
                missing("n 1.0.0", "a.four", List.of(exportedAt("a 1.0.0", 12, "1.0.0", "a.four"))),
                // nothing provides it
                missing("m 1.0.0", "a.five", List.of()),
                // at other versions
                new Unsatisfied("m 1.0.0", "osgi.wiring.package", "a.six", "[1.0.0,2.0.0)", "(&(osgi.wiring.package=a.six)"
                        + "(version>=1.0.0)(!(version>=2.0.0)))", "package a.six 1.0.0 or later, before 2.0.0", true, List.of(),
                        List.of()),
                // in another way: through another module
                new Unsatisfied("m 1.0.0", "osgi.wiring.package", "a.seven", "[2.17.0,3.0.0)",
                        "(&(osgi.wiring.package=a.seven)(version>=2.17.0)(!(version>=3.0.0)))",
                        "package a.seven 2.17.0 or later, before 3.0.0", true, List.of("t 1.0.0 needs package m from m 1.0.0"),
                        List.of()));
        assertEquals(all.size(), Missing.of(all).size());
    }

    @Test
    void aGroupMissingForAnotherReasonThanItsVersionSaysTheFirstReasonHoldsForAll() {
        List<Unsatisfied> two = new ArrayList<>();
        for (String pkg : List.of("a.one", "a.two")) {
            two.add(missing("m 1.0.0", pkg, List.of(new NearMiss("a 1.0.0", 12, "2.17.0", "package " + pkg
                    + " is exported by a 1.0.0 at 2.17.0, but it requires the attributes x and the requirement "
                    + "(&(osgi.wiring.package=" + pkg + ")(version>=2.17.0)(!(version>=3.0.0))) does not give them all"))));
        }
        Missing m = Missing.of(two).get(0);
        assertEquals(2, m.requirements().size());
        assertEquals(List.of(two.get(0).nearMisses().get(0).reason() + "; likewise for the other 1"), m.nearMisses());
    }

    @Test
    void aGroupWhoseProvidersCannotResolveSaysSo() {
        List<Unsatisfied> two = new ArrayList<>();
        for (String pkg : List.of("a.one", "a.two")) {
            two.add(new Unsatisfied("m 1.0.0", "osgi.wiring.package", pkg, "", "(osgi.wiring.package=" + pkg + ")",
                    "package " + pkg + " (its providers cannot resolve)", false, List.of(), List.of()));
        }
        assertEquals("2 packages (their providers cannot resolve), needed by m 1.0.0: a.one, a.two",
                Missing.of(two).get(0).describe());
    }

    @Test
    void requirementsNamingNothingAreNeverGrouped() {
        Unsatisfied any = new Unsatisfied("m 1.0.0", "my.ns", "", "", "(|(a=1)(b=2))", "capability my.ns matching (|(a=1)(b=2))",
                true, List.of(), List.of());
        assertEquals(2, Missing.of(List.of(any, any)).size());
    }

    @Test
    void versionRangesReadAsWhatTheyMean() {
        assertEquals("1.6.0 or later", CheckReport.versionsInWords("1.6"));
        assertEquals("1.2.0 or later, before 2.0.0", CheckReport.versionsInWords("[1.2,2)"));
        assertEquals("exactly 1.2.0", CheckReport.versionsInWords("[1.2,1.2]"));
        assertEquals("1.0.0 or later, 2.0.0 or earlier", CheckReport.versionsInWords("[1,2]"));
        assertEquals("later than 1.0.0, before 2.0.0", CheckReport.versionsInWords("(1,2)"));
        assertEquals("later than 1.0.0, 2.0.0 or earlier", CheckReport.versionsInWords("(1,2]"));
        assertEquals("later than 1.0.0", CheckReport.versionsInWords(
                new VersionRange(VersionRange.LEFT_OPEN, Version.parseVersion("1"), null, VersionRange.RIGHT_OPEN)));
        // a lower bound of 0.0.0 says nothing
        assertEquals("before 2.0.0", CheckReport.versionsInWords("[0,2)"));
        assertEquals("any version", CheckReport.versionsInWords("0.0.0"));
        assertEquals("any version", CheckReport.versionsInWords(""));
        assertEquals("any version", CheckReport.versionsInWords((VersionRange) null));
        assertEquals("no version (the range [2.0.0,1.0.0) is empty)", CheckReport.versionsInWords("[2,1)"));
        assertEquals("not a range", CheckReport.versionsInWords("not a range"));
    }
}
