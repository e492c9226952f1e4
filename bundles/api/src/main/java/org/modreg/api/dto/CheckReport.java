package org.modreg.api.dto;

import java.util.List;

import org.osgi.framework.Version;

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
 *                      listed
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
     * line, root causes first, the resolver's raw text last.
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
        for (Unsatisfied u : unsatisfied) {
            sb.append("  missing: ").append(u.requirement()).append(", needed by ").append(u.module());
            if (!u.via().isEmpty()) {
                sb.append(" (").append(String.join("; ", u.via())).append(')');
            }
            sb.append('\n');
            for (NearMiss n : u.nearMisses()) {
                sb.append("    near miss: ").append(n.reason()).append('\n');
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
     * @param requirement the requirement in plain words: "package org.foo [1.0,2.0)"
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
     * @param reason   in plain words: "package x is exported by y at 1.4, but [2,3) is needed"
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
     * A module an update touches.
     *
     * @param bundleId its bundle id
     * @param module   "id version"
     * @param reason   why it is touched: the wire to the old version, or what it would miss
     */
    public record Impact(long bundleId, String module, String reason) {
    }
}
