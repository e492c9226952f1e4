package org.modreg.api.dto;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.osgi.framework.Version;
import org.osgi.framework.VersionRange;

/**
 * What the wiring check found: whether a module would resolve, what it misses, and what an update
 * would do to the modules wired to it. A check changes nothing in the framework.
 *
 * @param kind          what was checked
 * @param subject       the file, URL or module reference that was checked
 * @param id            the module id (Bundle-SymbolicName)
 * @param version       the module version
 * @param bundleId      for an update or an installed module, its bundle id; otherwise -1
 * @param resolvable    whether the module would resolve
 * @param unsatisfied   requirements no module satisfies, root causes first; optional ones are not
 *                      listed. Each is listed on its own, however many miss for the same reason;
 *                      {@link #describe()} reads them in groups ({@link Missing})
 * @param usesConflicts uses-constraint conflicts the resolver met
 * @param problems      other reasons it would not resolve (a singleton already resolved, ...)
 * @param refreshed     for an update: the modules wired to the old version, which would be
 *                      refreshed (the blast radius)
 * @param broken        for an update: the modules that would lose a wire and not resolve again,
 *                      each with the reason
 * @param resolverMessage the resolver's own message, when it refused; empty otherwise
 * @param warnings      what does not stop it from resolving but may break at run time: for an update,
 *                      an exported package in use whose API change (bnd's baselining against the
 *                      installed version) needs a higher version than the one declared
 */
public record CheckReport(Kind kind, String subject, String id, Version version, long bundleId, boolean resolvable,
        List<Unsatisfied> unsatisfied, List<UsesConflict> usesConflicts, List<String> problems,
        List<Impact> refreshed, List<Impact> broken, String resolverMessage, List<String> warnings) {

    /** What a check was about. */
    public enum Kind {
        /** A jar, as a new module. */
        INSTALL,
        /** A jar, as the new version of an installed module. */
        UPDATE,
        /** An installed module, as it is. */
        INSTALLED
    }

    public CheckReport {
        unsatisfied = List.copyOf(unsatisfied);
        usesConflicts = List.copyOf(usesConflicts);
        problems = List.copyOf(problems);
        refreshed = List.copyOf(refreshed);
        broken = List.copyOf(broken);
        resolverMessage = resolverMessage == null ? "" : resolverMessage;
        warnings = List.copyOf(warnings);
    }

    /** @return this report with more warnings */
    public CheckReport withWarnings(List<String> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<String> all = new java.util.ArrayList<>(warnings);
        all.addAll(more);
        return new CheckReport(kind, subject, id, version, bundleId, resolvable, unsatisfied, usesConflicts, problems, refreshed,
                broken, resolverMessage, all);
    }

    /** @return whether the module resolves and, for an update, no module wired to it would be left unresolved */
    public boolean safe() {
        return resolvable && broken.isEmpty();
    }

    /** @return "id version" */
    public String module() {
        return id + " " + version;
    }

    /**
     * The report in plain words: the verdict on the first line, then each finding on its own
     * line, root causes first, the resolver's raw text last. Requirements that miss for the same
     * reason read as one finding ({@link Missing}): ten packages of one wrong version of a library
     * are one line naming the packages, and one near miss naming the library once.
     *
     * @return several lines of text
     */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        String what = switch (kind) {
            case INSTALL -> module() + " (" + subject + ")";
            case UPDATE -> "the update of " + module() + " (bundle " + bundleId + ") from " + subject;
            case INSTALLED -> module() + " (bundle " + bundleId + ")";
        };
        sb.append(what).append(resolvable ? " would resolve" : " would NOT resolve");
        if (resolvable && !broken.isEmpty()) {
            sb.append(", but ").append(broken.size()).append(broken.size() == 1 ? " module" : " modules")
                    .append(" wired to it would not resolve again");
        }
        sb.append('\n');
        for (Missing m : Missing.of(unsatisfied)) {
            sb.append("  missing: ").append(m.describe()).append('\n');
            for (String n : m.nearMisses()) {
                sb.append("    near miss: ").append(n).append('\n');
            }
        }
        for (UsesConflict c : usesConflicts) {
            sb.append("  uses conflict: ").append(c.summary()).append('\n');
            appendChain(sb, "chain 1", c.chain1());
            appendChain(sb, "chain 2", c.chain2());
        }
        for (String p : problems) {
            sb.append("  problem: ").append(p).append('\n');
        }
        if (!refreshed.isEmpty()) {
            sb.append("  would refresh: ");
            sb.append(String.join(", ", refreshed.stream().map(Impact::module).toList())).append('\n');
        }
        for (Impact i : broken) {
            sb.append("  would break: ").append(i.module()).append(" (bundle ").append(i.bundleId()).append("): ")
                    .append(i.reason()).append('\n');
        }
        for (String w : warnings) {
            sb.append("  warning: ").append(w).append('\n');
        }
        if (!resolverMessage.isEmpty() && usesConflicts.isEmpty()) {
            sb.append("  resolver: ").append(resolverMessage.replace("\n", "\n    ")).append('\n');
        }
        return sb.toString().stripTrailing();
    }

    private static void appendChain(StringBuilder sb, String name, List<String> chain) {
        if (!chain.isEmpty()) {
            sb.append("    ").append(name).append(": ").append(String.join(" -> ", chain)).append('\n');
        }
    }

    /**
     * A requirement nothing satisfies.
     *
     * @param module      "id version" of the module that has the requirement
     * @param namespace   the requirement's namespace, such as {@code osgi.wiring.package}
     * @param name        what it names: a package, a bundle, a capability; empty if the filter names none
     * @param versionRange the version range it needs, in OSGi notation; empty if any
     * @param filter      the requirement's filter
     * @param requirement the requirement in plain words: "package org.foo 1.0.0 or later, before 2.0.0"
     * @param rootCause   true if nothing provides it at all; false if its providers exist but
     *                    cannot resolve themselves (their own root causes are listed too)
     * @param via         how the checked module comes to need it: "org.a 1.0 needs package p from org.b 1.0"
     * @param nearMisses  capabilities that almost match: the right name at another version, ...
     */
    public record Unsatisfied(String module, String namespace, String name, String versionRange, String filter,
            String requirement, boolean rootCause, List<String> via, List<NearMiss> nearMisses) {
        public Unsatisfied {
            via = List.copyOf(via);
            nearMisses = List.copyOf(nearMisses);
        }
    }

    /**
     * A capability that almost satisfies a requirement.
     *
     * @param provider "id version" of the module that has it
     * @param bundleId its bundle id, or -1 for a module being checked
     * @param version  the capability's version
     * @param reason   in plain words: "package x is exported by y 1.4.0 at 1.4.0, but the version needed is
     *                 2.0.0 or later, before 3.0.0"
     */
    public record NearMiss(String provider, long bundleId, String version, String reason) {
    }

    /**
     * A uses-constraint conflict: one package reaches a module from two providers.
     *
     * @param packageName the package
     * @param module      "id version" of the module that would see both
     * @param summary     in plain words
     * @param chain1      the first chain of wires, module by module
     * @param chain2      the second chain
     */
    public record UsesConflict(String packageName, String module, String summary, List<String> chain1, List<String> chain2) {
        public UsesConflict {
            chain1 = List.copyOf(chain1);
            chain2 = List.copyOf(chain2);
        }
    }

    /**
     * Unsatisfied requirements that read as one: one module needs them, of one namespace, at the same
     * versions and in the same way (a root cause or not, through the same chain), and each module that
     * almost provides them misses all of them for the same reason. One wrong version of a library
     * that a module imports ten packages of is one group, naming the library once.
     *
     * <p>Grouping changes how a report reads, not what it holds: {@link CheckReport#unsatisfied()}
     * lists each requirement with its own near misses.
     *
     * @param requirements the requirements of the group, at least one, in the report's order
     */
    public record Missing(List<Unsatisfied> requirements) {
        public Missing {
            requirements = List.copyOf(requirements);
            if (requirements.isEmpty()) {
                throw new IllegalArgumentException("a group of no requirements");
            }
        }

        /**
         * @param unsatisfied requirements, as a report lists them
         * @return them in groups, each group where its first requirement was
         */
        public static List<Missing> of(List<Unsatisfied> unsatisfied) {
            Map<Object, List<Unsatisfied>> groups = new LinkedHashMap<>();
            for (Unsatisfied u : unsatisfied) {
                groups.computeIfAbsent(key(u), k -> new ArrayList<>()).add(u);
            }
            return groups.values().stream().map(Missing::new).toList();
        }

        /**
         * What makes requirements miss for the same reason: all but their names. The name is taken
         * out of the filter and out of each near miss's reason wherever they name it as a whole
         * (not where it begins a longer name: package a.b in a module a.b.core).
         */
        private static Object key(Unsatisfied u) {
            if (u.name().isEmpty()) {
                return new Object(); // nothing to tell it apart from others by: alone
            }
            Pattern name = Pattern.compile("(?<![\\w.-])" + Pattern.quote(u.name()) + "(?![\\w.-])");
            List<Object> misses = new ArrayList<>();
            for (NearMiss n : u.nearMisses()) {
                misses.add(List.of(n.provider(), n.bundleId(), n.version(), unnamed(n.reason(), name)));
            }
            return List.of(u.module(), u.namespace(), u.versionRange(), unnamed(u.filter(), name), u.rootCause(), u.via(),
                    misses);
        }

        private static String unnamed(String text, Pattern name) {
            return name.matcher(text).replaceAll("\0");
        }

        private Unsatisfied first() {
            return requirements.get(0);
        }

        /** @return the names of the requirements, in order */
        public List<String> names() {
            return requirements.stream().map(Unsatisfied::name).toList();
        }

        /**
         * @return what is missing, in plain words: the requirement itself for a group of one;
         *         "9 packages 2.17.0 or later, before 3.0.0" for several
         */
        public String what() {
            Unsatisfied u = first();
            if (requirements.size() == 1) {
                return u.requirement();
            }
            return requirements.size() + " " + plural(u.namespace())
                    + (u.versionRange().isEmpty() ? "" : " " + versionsInWords(u.versionRange()))
                    + (u.rootCause() ? "" : " (their providers cannot resolve)");
        }

        /**
         * @return the group in plain words: what is missing, the module that needs it and how,
         *         then the names of several: "9 packages 2.17.0 or later, before 3.0.0, needed by
         *         m 1.0.0: a, b, ..."
         */
        public String describe() {
            Unsatisfied u = first();
            StringBuilder sb = new StringBuilder(what()).append(", needed by ").append(u.module());
            if (!u.via().isEmpty()) {
                sb.append(" (").append(String.join("; ", u.via())).append(')');
            }
            if (requirements.size() > 1) {
                sb.append(": ").append(String.join(", ", names()));
            }
            return sb.toString();
        }

        /**
         * @return the near misses in plain words, one a provider: for a group of one, each reason;
         *         for several, a provider at a version the requirements do not allow is named once,
         *         "p 2.13.5 (bundle 12) exports them at 2.13.5", and another reason is the first
         *         requirement's, said to hold for the others
         */
        public List<String> nearMisses() {
            Unsatisfied u = first();
            if (requirements.size() == 1) {
                return u.nearMisses().stream().map(NearMiss::reason).toList();
            }
            VersionRange range = range(u.versionRange());
            List<String> lines = new ArrayList<>();
            for (NearMiss n : u.nearMisses()) {
                Version v = version(n.version());
                if (range != null && v != null && !range.includes(v)) {
                    lines.add(n.provider() + (n.bundleId() < 0 ? "" : " (bundle " + n.bundleId() + ")") + " "
                            + verb(u.namespace()) + " them at " + n.version());
                } else {
                    int others = requirements.size() - 1;
                    lines.add(n.reason() + "; likewise for the other " + others);
                }
            }
            return lines;
        }

        private static VersionRange range(String text) {
            try {
                return text.isEmpty() ? null : VersionRange.valueOf(text);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        private static Version version(String text) {
            try {
                return text.isEmpty() ? null : Version.parseVersion(text);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        private static String plural(String namespace) {
            return switch (namespace) {
                case "osgi.wiring.package" -> "packages";
                case "osgi.wiring.bundle" -> "bundles";
                case "osgi.wiring.host" -> "host bundles";
                case "osgi.service" -> "services";
                case "osgi.extender" -> "extenders";
                case "osgi.ee" -> "execution environments";
                case "osgi.identity" -> "modules";
                default -> "capabilities " + namespace;
            };
        }

        private static String verb(String namespace) {
            return switch (namespace) {
                case "osgi.wiring.package" -> "exports";
                case "osgi.service" -> "registers";
                default -> "provides";
            };
        }
    }

    /**
     * A version range in plain words, as a report says it: {@code [1.2,2)} is "1.2.0 or later,
     * before 2.0.0"; {@code [1.2,1.2]} "exactly 1.2.0"; {@code 1.6} (no upper bound) "1.6.0 or
     * later"; {@code (1,2]} "later than 1.0.0, 2.0.0 or earlier". A lower bound of 0.0.0 allows
     * every version below the upper one and is left out: {@code [0,2)} is "before 2.0.0".
     *
     * @param range a version range, or null
     * @return the words; "any version" for null or a range that allows every version
     */
    public static String versionsInWords(VersionRange range) {
        if (range == null) {
            return "any version";
        }
        if (range.isEmpty()) {
            return "no version (the range " + range + " is empty)";
        }
        Version left = range.getLeft();
        Version right = range.getRight();
        if (right != null && left.equals(right)) {
            return "exactly " + left;
        }
        boolean closed = range.getLeftType() == VersionRange.LEFT_CLOSED;
        String low = closed && left.equals(Version.emptyVersion) ? null : closed ? left + " or later" : "later than " + left;
        String high = right == null ? null
                : range.getRightType() == VersionRange.RIGHT_OPEN ? "before " + right : right + " or earlier";
        if (low == null) {
            return high == null ? "any version" : high;
        }
        return high == null ? low : low + ", " + high;
    }

    /**
     * A version range in OSGi notation, as {@link Unsatisfied#versionRange()} gives it, in plain words.
     *
     * @param range "[1.2,2)", "1.6", ...; empty for any version
     * @return the words of {@link #versionsInWords(VersionRange)}; the text itself if it is no range
     */
    public static String versionsInWords(String range) {
        if (range == null || range.isEmpty()) {
            return versionsInWords((VersionRange) null);
        }
        try {
            return versionsInWords(VersionRange.valueOf(range));
        } catch (IllegalArgumentException e) {
            return range;
        }
    }

    /**
     * A module an update touches.
     *
     * @param bundleId its bundle id
     * @param module   "id version"
     * @param reason   why it is touched: the wire to the old version, or what it would miss
     */
    public record Impact(long bundleId, String module, String reason) {
    }
}
