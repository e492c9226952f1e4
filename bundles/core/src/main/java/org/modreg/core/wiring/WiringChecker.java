package org.modreg.core.wiring;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.felix.utils.resource.ResourceBuilder;
import org.modreg.api.InvalidModuleException;
import org.modreg.api.dto.CheckReport;
import org.modreg.api.dto.CheckReport.Impact;
import org.modreg.api.dto.CheckReport.Kind;
import org.modreg.api.dto.CheckReport.Missing;
import org.modreg.api.dto.CheckReport.NearMiss;
import org.modreg.api.dto.CheckReport.Unsatisfied;
import org.modreg.api.dto.CheckReport.UsesConflict;
import org.modreg.core.records.Failures;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;
import org.osgi.framework.namespace.BundleNamespace;
import org.osgi.framework.namespace.IdentityNamespace;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Capability;
import org.osgi.resource.Requirement;
import org.osgi.resource.Resource;
import org.osgi.resource.Wire;
import org.osgi.resource.Wiring;
import org.osgi.service.resolver.ResolutionException;
import org.osgi.service.resolver.Resolver;

/**
 * Dry runs of the framework's resolver. A candidate jar becomes a resource through felix utils'
 * {@link ResourceBuilder} (its manifest, parsed as Felix parses it); the installed modules and their
 * wires come from a {@link WiringSnapshot}. The framework is only read.
 *
 * <p>Each dry run is a resolve operation as the framework runs one ({@link CheckContext}): the
 * framework's registered resolver hooks take part (begin, filterResolvable,
 * filterSingletonCollisions, filterMatches, end), singletons are selected as Felix selects them
 * ({@link Singletons}), and a jar being checked is shown to the hooks as the bundle revision it would
 * be ({@link CandidateRevision}). What a hook kept out is said in the report's near misses.
 *
 * <p>When the resolver refuses, the report explains it: requirements that nothing provides (root
 * causes, found by following unresolved providers down to what they miss), near misses of the
 * right name, and the resolver's uses-constraint chains.
 */
public final class WiringChecker {

    private static final Pattern USES_PACKAGE = Pattern.compile("package '([^']+)'");
    private static final int MAX_DEPTH = 8;
    private static final int MAX_NEAR_MISSES = 5;

    private final BundleContext context;
    private final Supplier<Resolver> resolver;
    /** Bundles with events since the snapshot was made. */
    private final Set<Long> changed = ConcurrentHashMap.newKeySet();
    private volatile WiringSnapshot snapshot;

    public WiringChecker(BundleContext context, Supplier<Resolver> resolver) {
        this.context = context;
        this.resolver = resolver;
    }

    /** A bundle changed: the next check reads it again. */
    public void invalidate(long bundleId) {
        changed.add(bundleId);
    }

    public WiringSnapshot snapshot() {
        WiringSnapshot s = snapshot;
        if (s != null && changed.isEmpty()) {
            return s;
        }
        synchronized (this) {
            s = snapshot;
            if (s == null) {
                changed.clear();
                s = WiringSnapshot.of(context.getBundles());
            } else if (!changed.isEmpty()) {
                List<Long> ids = new ArrayList<>(changed);
                changed.removeAll(ids);
                // a bundle that changes again meanwhile is marked again and read at the next check
                s = s.with(ids, context::getBundle);
            }
            snapshot = s;
            return s;
        }
    }

    /** The resource a manifest describes, as the resolver will see it once installed. */
    public static Resource resource(String subject, String location, Map<String, String> headers) {
        try {
            // a resource of our own, which knows its location and headers for the hooks
            return ResourceBuilder.build(new CandidateResource(location, headers), location, headers);
        } catch (BundleException | RuntimeException e) {
            throw new InvalidModuleException(subject, "malformed manifest: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- checks

    /** Would a jar, installed as a new module, resolve? */
    public CheckReport checkInstall(String subject, Resource candidate) {
        WiringSnapshot s = snapshot();
        try (CheckContext ctx = resolve(s, List.of(candidate), List.of(), List.of(candidate), Set.of(), Set.of(), Map.of())) {
            return verdict(Kind.INSTALL, subject, candidate, -1, ctx);
        }
    }

    /** Would an installed module resolve as it is? */
    public CheckReport checkInstalled(Bundle bundle) {
        WiringSnapshot s = snapshot();
        BundleRevision rev = s.revision(bundle.getBundleId());
        if (rev == null) {
            throw new IllegalStateException("bundle " + bundle.getBundleId() + " is uninstalled");
        }
        String subject = "bundle " + bundle.getBundleId();
        if (s.wirings().containsKey(rev)) {
            return report(Kind.INSTALLED, subject, rev, bundle.getBundleId(), true, List.of(), List.of(), List.of(), "",
                    List.of());
        }
        try (CheckContext ctx = resolve(s, List.of(rev), List.of(), List.of(), Set.of(), Set.of(), Map.of())) {
            return verdict(Kind.INSTALLED, subject, rev, bundle.getBundleId(), ctx);
        }
    }

    /**
     * Would a jar resolve in place of an installed module, and what happens to the modules wired to
     * the current version: all of them are refreshed (unresolved and resolved again), with the new
     * version in place of the old. Each resolve of it is a resolve operation of its own, one after
     * the other, as the framework's hooks expect.
     */
    public CheckReport checkUpdate(String subject, Bundle bundle, Resource candidate) {
        WiringSnapshot s = snapshot();
        BundleRevision old = s.revision(bundle.getBundleId());
        List<Resource> closure = closure(s, bundle);
        Set<Resource> hidden = old == null ? Set.of() : Set.of(old);
        Set<Resource> unwired = new HashSet<>(closure);
        // updated in place, the jar is the bundle's new revision
        Map<Resource, Bundle> updates = Map.of(candidate, bundle);
        List<Impact> refreshed = new ArrayList<>();
        for (Resource r : closure) {
            refreshed.add(new Impact(s.bundleId(r), label(r), refreshReason(r, old, s)));
        }

        Map<Resource, List<Wire>> result;
        CheckReport verdict;
        try (CheckContext ctx = resolve(s, List.of(candidate), closure, List.of(candidate), hidden, unwired, updates)) {
            try {
                result = resolve(ctx);
            } catch (ResolutionException e) {
                result = null;
            }
            verdict = verdict(Kind.UPDATE, subject, candidate, bundle.getBundleId(), ctx);
        }
        if (result == null) {
            // the new version does not resolve: see who else falls with it
            List<Resource> all = new ArrayList<>(closure);
            all.add(candidate);
            try (CheckContext without = resolve(s, List.of(), all, List.of(candidate), hidden, unwired, updates)) {
                result = resolve(without);
            } catch (ResolutionException ignored) {
                result = Map.of();
            }
        }
        List<Impact> broken = new ArrayList<>();
        for (Resource r : closure) {
            if (!result.containsKey(r)) {
                broken.add(new Impact(s.bundleId(r), label(r), brokenReason(r, s, List.of(candidate), hidden, unwired, updates)));
            }
        }
        return new CheckReport(verdict.kind(), verdict.subject(), verdict.id(), verdict.version(), verdict.bundleId(),
                verdict.resolvable(), verdict.unsatisfied(), verdict.usesConflicts(), verdict.problems(), refreshed, broken,
                verdict.resolverMessage(), verdict.warnings());
    }

    /**
     * Jars checked as new modules installed together: each may use the others. One resolve of
     * all of them as optional resources says which resolve; each of the rest is diagnosed alone.
     */
    public List<CheckReport> checkAll(List<String> subjects, List<Resource> candidates) {
        WiringSnapshot s = snapshot();
        Map<Resource, List<Wire>> result;
        List<List<String>> problems = new ArrayList<>();
        List<String> warnings;
        try (CheckContext all = resolve(s, List.of(), candidates, candidates, Set.of(), Set.of(), Map.of())) {
            for (Resource c : candidates) {
                problems.add(all.problems(c));
            }
            try {
                result = resolve(all);
            } catch (ResolutionException e) {
                result = Map.of();
            }
            warnings = all.warnings();
        }
        List<CheckReport> reports = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            Resource c = candidates.get(i);
            if (result.containsKey(c)) {
                reports.add(report(Kind.INSTALL, subjects.get(i), c, -1, true, List.of(), List.of(), problems.get(i), "", warnings));
            } else {
                try (CheckContext alone = resolve(s, List.of(c), List.of(), candidates, Set.of(), Set.of(), Map.of())) {
                    reports.add(verdict(Kind.INSTALL, subjects.get(i), c, -1, alone));
                }
            }
        }
        return reports;
    }

    /** The modules wired to a bundle that would not resolve again once it is uninstalled. */
    public List<Impact> removalImpact(Bundle bundle) {
        WiringSnapshot s = snapshot();
        BundleRevision old = s.revision(bundle.getBundleId());
        List<Resource> closure = closure(s, bundle);
        Set<Resource> hidden = old == null ? Set.of() : Set.of(old);
        Set<Resource> unwired = new HashSet<>(closure);
        Map<Resource, List<Wire>> result;
        try (CheckContext ctx = resolve(s, List.of(), closure, List.of(), hidden, unwired, Map.of())) {
            result = resolve(ctx);
        } catch (ResolutionException e) {
            result = Map.of();
        }
        List<Impact> broken = new ArrayList<>();
        for (Resource r : closure) {
            if (!result.containsKey(r)) {
                broken.add(new Impact(s.bundleId(r), label(r), brokenReason(r, s, List.of(), hidden, unwired, Map.of())));
            }
        }
        return broken;
    }

    /** The resources a refresh of a bundle would unresolve, without the bundle, by bundle id. */
    private List<Resource> closure(WiringSnapshot s, Bundle bundle) {
        FrameworkWiring fw = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
        List<Resource> closure = new ArrayList<>();
        for (Bundle b : fw.getDependencyClosure(List.of(bundle))) {
            BundleRevision r = s.revision(b.getBundleId());
            if (b.getBundleId() != bundle.getBundleId() && r != null) {
                closure.add(r);
            }
        }
        closure.sort((a, b) -> Long.compare(s.bundleId(a), s.bundleId(b)));
        return closure;
    }

    // ---------------------------------------------------------------- resolves

    /**
     * One dry-run resolve operation, with the framework's resolver hooks begun for it (see
     * {@link CheckContext}); close it to end them.
     */
    private CheckContext resolve(WiringSnapshot s, Collection<Resource> mandatory, Collection<Resource> optional,
            List<Resource> candidates, Set<Resource> hidden, Set<Resource> unwired, Map<Resource, Bundle> updates) {
        return new CheckContext(s, mandatory, optional, candidates, hidden, unwired, updates,
                triggers -> CheckHooks.begin(context, triggers));
    }

    /** Resolves, unless the framework would refuse the resolve as a whole before it began. */
    private Map<Resource, List<Wire>> resolve(CheckContext ctx) throws ResolutionException {
        String refusal = ctx.refusal();
        if (refusal != null) {
            throw new ResolutionException(refusal);
        }
        return resolver.get().resolve(ctx);
    }

    // ---------------------------------------------------------------- verdicts

    private CheckReport verdict(Kind kind, String subject, Resource subjectResource, long bundleId, CheckContext ctx) {
        List<String> problems = new ArrayList<>(ctx.problems(subjectResource));
        if (!ctx.isPresent(subjectResource)) {
            return report(kind, subject, subjectResource, bundleId, false, List.of(), List.of(), problems, "", ctx.warnings());
        }
        try {
            resolve(ctx);
            return report(kind, subject, subjectResource, bundleId, true, List.of(), List.of(), problems, "", ctx.warnings());
        } catch (ResolutionException e) {
            if (ctx.refusal() != null) {
                problems.add(ctx.refusal());
                return report(kind, subject, subjectResource, bundleId, false, List.of(), List.of(), problems, e.getMessage(),
                        ctx.warnings());
            }
            List<Unsatisfied> unsatisfied = diagnose(subjectResource, ctx);
            List<UsesConflict> uses = uses(e.getMessage(), ctx);
            if (unsatisfied.isEmpty() && uses.isEmpty() && problems.isEmpty()) {
                problems.add(Failures.reason(e));
            }
            return report(kind, subject, subjectResource, bundleId, false, unsatisfied, uses, problems, e.getMessage(),
                    ctx.warnings());
        }
    }

    private static CheckReport report(Kind kind, String subject, Resource r, long bundleId, boolean resolvable,
            List<Unsatisfied> unsatisfied, List<UsesConflict> uses, List<String> problems, String message, List<String> warnings) {
        return new CheckReport(kind, subject, id(r), version(r), bundleId, resolvable, unsatisfied, uses, problems,
                List.of(), List.of(), message, warnings);
    }

    /**
     * What a resource misses: each mandatory requirement nothing provides, and for those whose
     * only providers are unresolved modules that cannot resolve, what those miss in turn. Root
     * causes come first.
     */
    public List<Unsatisfied> diagnose(Resource r, CheckContext ctx) {
        List<Unsatisfied> out = new ArrayList<>();
        Set<Resource> seen = new HashSet<>();
        seen.add(r);
        diagnose(r, ctx, List.of(), seen, out, 0);
        List<Unsatisfied> sorted = new ArrayList<>(new LinkedHashSet<>(out));
        sorted.sort((a, b) -> Boolean.compare(b.rootCause(), a.rootCause()));
        return sorted;
    }

    private void diagnose(Resource r, CheckContext ctx, List<String> via, Set<Resource> seen, List<Unsatisfied> out, int depth) {
        for (Requirement req : r.getRequirements(null)) {
            if (!Requirements.effective(req) || Requirements.optional(req) || Requirements.dynamic(req)) {
                continue;
            }
            List<Capability> providers = ctx.findProviders(req);
            Requirements.Wanted w = Requirements.wanted(req);
            if (providers.isEmpty()) {
                out.add(new Unsatisfied(label(r), req.getNamespace(), w.name(), w.rangeText(), nullToEmpty(Requirements.filter(req)),
                        Requirements.describe(req), true, via, nearMisses(req, w, ctx)));
                continue;
            }
            boolean satisfied = providers.stream().anyMatch(c -> c.getResource() == r || ctx.isWired(c.getResource()));
            if (satisfied || depth >= MAX_DEPTH) {
                continue;
            }
            // only unresolved providers: the requirement fails if each of them fails on its own
            List<Unsatisfied> nested = new ArrayList<>();
            boolean allFail = true;
            for (Capability c : providers) {
                Resource p = c.getResource();
                if (!seen.add(p)) {
                    continue;
                }
                List<String> deeper = new ArrayList<>(via);
                deeper.add(label(r) + " needs " + Requirements.describe(req) + " from " + label(p));
                List<Unsatisfied> found = new ArrayList<>();
                diagnose(p, ctx, deeper, seen, found, depth + 1);
                if (found.isEmpty()) {
                    allFail = false;
                    break;
                }
                nested.addAll(found);
            }
            if (allFail && !nested.isEmpty()) {
                out.addAll(nested);
                out.add(new Unsatisfied(label(r), req.getNamespace(), w.name(), w.rangeText(), nullToEmpty(Requirements.filter(req)),
                        Requirements.describe(req) + " (its providers cannot resolve)", false, via, List.of()));
            }
        }
    }

    private List<NearMiss> nearMisses(Requirement req, Requirements.Wanted w, CheckContext ctx) {
        if (w.name().isEmpty()) {
            return List.of();
        }
        List<NearMiss> misses = new ArrayList<>();
        for (Capability c : ctx.namesakes(req, w.name())) {
            if (misses.size() == MAX_NEAR_MISSES) {
                break;
            }
            Resource p = c.getResource();
            Version v = Requirements.version(c);
            long id = p instanceof BundleRevision br ? br.getBundle().getBundleId() : -1;
            // one that matches was not offered: a resolver hook's doing, or the framework's as hooks kept modules from resolving
            String why = ctx.filteredOut(req, c);
            String reason = why != null ? Requirements.notOffered(req, c, label(p), why) : Requirements.nearMiss(req, c, label(p));
            misses.add(new NearMiss(label(p), id, v == null ? "" : v.toString(), reason));
        }
        return misses;
    }

    private static List<UsesConflict> uses(String message, CheckContext ctx) {
        if (message == null || !message.contains("Uses constraint violation")) {
            return List.of();
        }
        Map<String, String> labels = new HashMap<>();
        ctx.byPrintedName().forEach((printed, r) -> labels.put(printed, label(r)));
        return uses(message, labels);
    }

    /**
     * The resolver's uses-constraint message, in plain words with its chains. Felix names a module
     * "bsn [toString]"; those it names are given as "id version" when {@code labels} knows them.
     * Felix words it two ways: the module is exposed to the package from two providers ("Chain 1",
     * "Chain 2"); or it exports the package itself and a chain of wires brings it another one
     * ("dependency chain:"), where chain 1 is the module's own export.
     */
    public static List<UsesConflict> uses(String message, Map<String, String> labels) {
        if (message == null || !message.contains("Uses constraint violation")) {
            return List.of();
        }
        Matcher m = USES_PACKAGE.matcher(message);
        String pkg = m.find() ? m.group(1) : "";
        String module = "";
        int at = message.indexOf("Unable to resolve resource ");
        int because = message.indexOf(" because ");
        if (at >= 0 && because > at) {
            module = named(message.substring(at + "Unable to resolve resource ".length(), because).trim(), labels);
        }
        List<String> chain1;
        List<String> chain2;
        String summary;
        int c1 = message.indexOf("Chain 1:");
        int c2 = message.indexOf("Chain 2:");
        if (c1 >= 0 && c2 > c1) {
            chain1 = chain(message.substring(c1 + 8, c2), labels);
            chain2 = chain(message.substring(c2 + 8), labels);
            summary = "package " + pkg + " would reach " + module + " from " + provider(chain1) + " (chain 1) and from "
                    + provider(chain2) + " (chain 2)";
        } else {
            int c = message.indexOf("dependency chain:");
            chain1 = List.of(module + " exports package " + pkg);
            chain2 = c < 0 ? List.of() : chain(message.substring(c + "dependency chain:".length()), labels);
            summary = "package " + pkg + " would reach " + module + " from itself, as it exports it (chain 1), and from "
                    + provider(chain2) + " (chain 2)";
        }
        return List.of(new UsesConflict(pkg, module, summary, chain1, chain2));
    }

    /** The module a chain ends at: the one that exports the package. */
    private static String provider(List<String> chain) {
        return chain.isEmpty() ? "another module" : chain.get(chain.size() - 1);
    }

    private static String named(String printed, Map<String, String> labels) {
        return labels.getOrDefault(printed, printed);
    }

    /** @return a resource as Felix's messages print it: "bsn [toString]" */
    public static String printed(Resource r) {
        return id(r) + " [" + r + "]";
    }

    private static List<String> chain(String text, Map<String, String> labels) {
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            String t = line.trim();
            if (!t.isEmpty() && !t.equals("|")) {
                lines.add(named(t, labels));
            }
        }
        return lines;
    }

    // ---------------------------------------------------------------- updates

    /** Why a module is in the refresh closure: its wires to the old version, or to another refreshed module. */
    private static String refreshReason(Resource r, BundleRevision old, WiringSnapshot s) {
        Wiring w = s.wirings().get(r);
        if (w != null) {
            List<String> direct = new ArrayList<>();
            for (Wire wire : w.getRequiredResourceWires(null)) {
                if (wire.getProvider() == old || (wire.getCapability().getResource() == old)) {
                    direct.add(Requirements.kind(wire.getCapability().getNamespace()) + " " + Requirements.name(wire.getCapability()));
                }
            }
            if (!direct.isEmpty()) {
                return "wired to it for " + String.join(", ", new LinkedHashSet<>(direct));
            }
        }
        return "wired to a module that is refreshed";
    }

    private String brokenReason(Resource r, WiringSnapshot s, List<Resource> candidates, Set<Resource> hidden, Set<Resource> unwired,
            Map<Resource, Bundle> updates) {
        try (CheckContext alone = resolve(s, List.of(r), List.of(), candidates, hidden, unwired, updates)) {
            if (!alone.problems(r).isEmpty()) {
                return "would not resolve: " + alone.problems(r).get(0);
            }
            List<Unsatisfied> roots = diagnose(r, alone).stream().filter(Unsatisfied::rootCause).toList();
            if (!roots.isEmpty()) {
                return missed(roots);
            }
            try {
                resolve(alone);
                return "would not resolve together with the other refreshed modules";
            } catch (ResolutionException e) {
                List<UsesConflict> uses = uses(e.getMessage(), alone);
                return uses.isEmpty() ? Failures.reason(e) : uses.get(0).summary();
            }
        }
    }

    /**
     * What a module would miss, on one line: "would miss package a 1.0.0 or later (near miss); would
     * miss 9 packages 2.17.0 or later, before 3.0.0: b, c, ... (p 2.13.5 exports them at 2.13.5)".
     */
    public static String missed(List<Unsatisfied> missing) {
        List<String> parts = new ArrayList<>();
        for (Missing m : Missing.of(missing)) {
            List<String> near = m.nearMisses();
            parts.add("would miss " + m.what() + (m.requirements().size() == 1 ? "" : ": " + String.join(", ", m.names()))
                    + (near.isEmpty() ? "" : " (" + near.get(0) + ")"));
        }
        return String.join("; ", parts);
    }

    // ---------------------------------------------------------------- singletons

    /**
     * @return whether a resource says it is a singleton, in its identity or its bundle capability.
     *         Which singletons the framework lets resolve is {@link Singletons}' business.
     */
    public static boolean singleton(Resource r) {
        for (String ns : List.of(IdentityNamespace.IDENTITY_NAMESPACE, BundleNamespace.BUNDLE_NAMESPACE)) {
            for (Capability c : r.getCapabilities(ns)) {
                if ("true".equals(c.getDirectives().get(IdentityNamespace.CAPABILITY_SINGLETON_DIRECTIVE))) {
                    return true;
                }
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- names

    public static String id(Resource r) {
        for (Capability c : r.getCapabilities(IdentityNamespace.IDENTITY_NAMESPACE)) {
            return String.valueOf(c.getAttributes().get(IdentityNamespace.IDENTITY_NAMESPACE));
        }
        return r instanceof BundleRevision br ? br.getSymbolicName() : String.valueOf(r);
    }

    public static Version version(Resource r) {
        for (Capability c : r.getCapabilities(IdentityNamespace.IDENTITY_NAMESPACE)) {
            Object v = c.getAttributes().get(IdentityNamespace.CAPABILITY_VERSION_ATTRIBUTE);
            if (v instanceof Version version) {
                return version;
            }
            if (v != null) {
                return Version.parseVersion(v.toString());
            }
        }
        return r instanceof BundleRevision br ? br.getVersion() : Version.emptyVersion;
    }

    /** @return "id version" */
    public static String label(Resource r) {
        return id(r) + " " + version(r);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
