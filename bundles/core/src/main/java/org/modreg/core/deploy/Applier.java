package org.modreg.core.deploy;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import org.modreg.api.DuplicateModuleException;
import org.modreg.api.InvalidModuleException;
import org.modreg.api.ModuleEvents;
import org.modreg.api.ModuleException;
import org.modreg.api.ModuleNotFoundException;
import org.modreg.api.ModuleSource;
import org.modreg.api.UnresolvableModuleException;
import org.modreg.api.dto.CheckReport;
import org.modreg.api.dto.DeployResult;
import org.modreg.api.dto.DeployResult.Outcome;
import org.modreg.api.dto.Module;
import org.modreg.core.Call;
import org.modreg.core.Registry;
import org.modreg.core.content.ContentStore;
import org.modreg.core.update.RolledBackException;
import org.modreg.core.util.Events;

/**
 * Applies files of the deploy directory through the {@link Registry}'s operations, on the
 * deployer's worker thread: new files are installed together (they may need each other), changed
 * ones update their module (started beside, retired together), removed ones undeploy it. A bad
 * file is reported once for its content; a file that would not resolve may wait a moment for a
 * provider still being copied.
 */
final class Applier {

    private static final System.Logger LOG = System.getLogger(Applier.class.getName());
    /** How long a new file that would not resolve may wait for its providers before it is reported. */
    private static final long GRACE_MS = 500;

    /** The location a file's bytes are installed under. */
    interface Locations {
        String location(Path p, String digest, Collection<Module> deployed);
    }

    private final Registry registry;
    private final DirectoryWatch watch;
    private final Events events;
    private final ScheduledExecutorService worker;
    private final Supplier<Map<Path, Module>> deployedNow;
    private final Locations locations;
    /** Applies files that waited their grace period, reported at once. */
    private final BiConsumer<Call, List<Path>> applyUrgently;
    /** File -> the content last reported as bad, so that it is reported once; worker thread only. */
    private final Map<Path, String> reported = new HashMap<>();
    /** Files refused because they would not resolve: tried again, silently, once something new is deployed. */
    private final Set<Path> waiting = new LinkedHashSet<>();
    private final Set<Path> retry = new LinkedHashSet<>();
    private ScheduledFuture<?> grace;

    /** A complete file of the directory, read. */
    private record Candidate(Path file, String digest, ModuleSource source) {
    }

    Applier(Registry registry, DirectoryWatch watch, Events events, ScheduledExecutorService worker,
            Supplier<Map<Path, Module>> deployedNow, Locations locations, BiConsumer<Call, List<Path>> applyUrgently) {
        this.registry = registry;
        this.watch = watch;
        this.events = events;
        this.worker = worker;
        this.deployedNow = deployedNow;
        this.locations = locations;
        this.applyUrgently = applyUrgently;
    }

    /** Worker thread: a file asked for explicitly is reported again, and at once. */
    void forget(Path p) {
        reported.remove(p);
    }

    /**
     * Worker thread: brings the modules in line with some files.
     *
     * @param reload apply even files whose bytes are deployed already
     * @param urgent report a file that would not resolve at once, instead of letting it wait
     */
    List<DeployResult> apply(Call call, List<Path> paths, boolean reload, boolean urgent) {
        Map<Path, Module> deployed = deployedNow.get();
        List<DeployResult> results = new ArrayList<>();
        List<Candidate> fresh = new ArrayList<>();
        List<Candidate> updates = new ArrayList<>();
        Set<Path> gone = new LinkedHashSet<>();
        Map<String, Path> deployedDigests = new HashMap<>();
        deployed.forEach((p, m) -> deployedDigests.put(m.content().digest(), p));
        for (Path p : paths) {
            // a retry (the provider it waited for came) is taken here, whatever becomes of the file: left
            // over, it would have the file's next report made twice
            boolean retried = retry.remove(p);
            if (!Files.isRegularFile(p)) {
                if (deployed.containsKey(p)) {
                    gone.add(p);
                }
                reported.remove(p);
                continue;
            }
            String digest;
            try {
                digest = ContentStore.digest(p);
            } catch (IOException e) {
                results.add(bad(p, "size:" + p.toFile().length(), "cannot be read: " + e.getMessage()));
                continue;
            }
            Module m = deployed.get(p);
            if (m != null && digest.equals(m.content().digest()) && !reload) {
                reported.remove(p);
                results.add(registry.startCutShort(m) ? startCutShort(call, p, m) : new DeployResult(Outcome.UNCHANGED,
                        p.toString(), m, p.getFileName() + ": " + m.ref() + " runs these bytes already", List.of()));
                continue;
            }
            if (digest.equals(reported.get(p)) && !reload && !retried) {
                continue; // reported already; retried when the file changes
            }
            if (!DirectoryWatch.readableZip(p)) {
                results.add(bad(p, digest, "not a zip or jar archive (or still being written)"));
                continue;
            }
            Candidate c = new Candidate(p, digest, new ModuleSource(p.toString(),
                    locations.location(p, digest, deployed.values()), p, null, null));
            if (m != null) {
                updates.add(c);
                continue;
            }
            Path twin = deployedDigests.get(digest);
            if (twin != null && Files.exists(twin)) {
                results.add(bad(p, digest, "the same bytes as " + twin.getFileName() + " (" + deployed.get(twin).ref()
                        + "), which is deployed already; not installed twice"));
                continue;
            }
            if (twin != null) {
                // renamed: the module moves to the new name without stopping
                gone.remove(twin);
                updates.add(c);
                deployed.put(p, deployed.get(twin));
                continue;
            }
            fresh.add(c);
        }
        Progress progress = new Progress(events, gone.size() + updates.size() + fresh.size());
        for (Path p : gone) {
            results.add(undeploy(call, p, deployed.get(p)));
            progress.step();
        }
        results.addAll(update(call, updates, deployed, progress));
        results.addAll(install(call, fresh, progress, urgent));
        progress.done(results);
        // what waited for a provider may resolve now
        if (!waiting.isEmpty() && results.stream().anyMatch(r -> r.outcome() == Outcome.INSTALLED || r.outcome() == Outcome.UPDATED)) {
            retry.addAll(waiting);
            waiting.clear();
            retry.forEach(watch::observe);
        }
        return results;
    }

    /** Changed files: each new version started beside its old one, then the old ones retired together. */
    private List<DeployResult> update(Call call, List<Candidate> updates, Map<Path, Module> deployed, Progress progress) {
        List<Map.Entry<String, ModuleSource>> batch = new ArrayList<>();
        for (Candidate c : updates) {
            batch.add(Map.entry(deployed.get(c.file()).ref(), c.source()));
        }
        List<Registry.Replaced> done = batch.isEmpty() ? List.of() : registry.replaceAll(call, batch);
        List<DeployResult> results = new ArrayList<>();
        for (int i = 0; i < updates.size(); i++) {
            Candidate c = updates.get(i);
            Registry.Replaced r = done.get(i);
            results.add(updated(c, deployed.get(c.file()), r.module(), r.error()));
            progress.step();
        }
        return results;
    }

    private DeployResult updated(Candidate c, Module m, Module now, ModuleException error) {
        String file = c.file().getFileName().toString();
        try {
            if (error != null) {
                throw error;
            }
            reported.remove(c.file());
            LOG.log(Level.INFO, "deploy: {0}: {1} updated to {2} (bundle {3})", file, m.ref(), now.ref(), now.bundleId());
            return new DeployResult(Outcome.UPDATED, c.file().toString(), now, file + ": " + m.ref() + " updated to "
                    + now.ref() + " (bundle " + now.bundleId() + ")", List.of());
        } catch (UnresolvableModuleException e) {
            return refused(c, m, "update of " + m.ref() + " refused, the running version stays: " + e.getMessage());
        } catch (InvalidModuleException | DuplicateModuleException e) {
            return refused(c, m, e.getMessage());
        } catch (RolledBackException e) {
            return failed(Outcome.ROLLED_BACK, c.file(), c.digest(), registry.get(m.bundleId()).orElse(null), e);
        } catch (ModuleException e) {
            return bad(c.file(), c.digest(), e.getMessage());
        }
    }

    /**
     * An update refused before anything changed: a bad file, and, the first time these bytes are
     * reported, an error in the module's history (a rollback lands there too; the registry does
     * not record a refusal itself).
     */
    private DeployResult refused(Candidate c, Module m, String reason) {
        boolean first = !c.digest().equals(reported.get(c.file()));
        DeployResult r = bad(c.file(), c.digest(), reason);
        if (first) {
            try {
                registry.recordError(Long.toString(m.bundleId()), "update", r.message());
            } catch (ModuleNotFoundException e) {
                // uninstalled meanwhile: no history to add to
            }
        }
        return r;
    }

    /**
     * New files: read once, checked together, installed, resolved together and started, by the
     * registry. A file that would not resolve may be waiting for a provider that is still being
     * copied: it is reported only once the directory has stayed quiet for the grace period without
     * it resolving, unless it was asked for explicitly.
     */
    private List<DeployResult> install(Call call, List<Candidate> fresh, Progress progress, boolean urgent) {
        List<DeployResult> results = new ArrayList<>();
        if (fresh.isEmpty()) {
            return results;
        }
        List<Registry.Batch> batch = registry.installAll(call, fresh.stream().map(Candidate::source).toList());
        // those not installed first, then those installed, as the registry installed and started them
        for (int i = 0; i < fresh.size(); i++) {
            Candidate c = fresh.get(i);
            Registry.Batch b = batch.get(i);
            if (b.module() != null) {
                continue;
            }
            if (b.error() instanceof DuplicateModuleException e) {
                Module other = registry.get(e.existingBundleId()).orElse(null);
                Path otherFile = other == null ? null : deployedNow.get().entrySet().stream()
                        .filter(x -> x.getValue().bundleId() == other.bundleId()).map(Map.Entry::getKey).findFirst().orElse(null);
                // refused by admission, before any check: the module it duplicates names the id and version
                results.add(bad(c.file(), c.digest(), otherFile == null ? e.getMessage()
                        : other.id() + " " + other.version() + " is deployed already from " + otherFile.getFileName()
                                + ", with other bytes; not installed"));
            } else if (b.error() != null) {
                results.add(bad(c.file(), c.digest(), b.error().getMessage()));
            } else {
                results.add(waiting(c, b.report(), urgent));
            }
            progress.step();
        }
        for (int i = 0; i < fresh.size(); i++) {
            Candidate c = fresh.get(i);
            Registry.Batch b = batch.get(i);
            if (b.module() == null) {
                continue;
            }
            if (b.installedNotStarted()) {
                results.add(failed(Outcome.FAILED, c.file(), c.digest(), b.module(), b.error()));
            } else {
                Module m = b.module();
                String file = c.file().getFileName().toString();
                reported.remove(c.file());
                LOG.log(Level.INFO, "deploy: {0}: {1} installed (bundle {2}), {3}", file, m.ref(), m.bundleId(), m.state());
                results.add(new DeployResult(Outcome.INSTALLED, c.file().toString(), m, file + ": " + m.ref() + " installed (bundle "
                        + m.bundleId() + "), " + m.state(), List.of()));
            }
            progress.step();
        }
        return results;
    }

    private DeployResult waiting(Candidate c, CheckReport report, boolean urgent) {
        waiting.add(c.file());
        if (urgent) {
            return bad(c.file(), c.digest(), report.describe());
        }
        // not reported yet: its provider may be on its way
        if (grace == null || grace.isDone()) {
            grace = worker.schedule(this::endOfGrace, GRACE_MS, TimeUnit.MILLISECONDS);
        }
        return new DeployResult(Outcome.REFUSED, c.file().toString(), null, c.file().getFileName()
                + ": waiting for what it needs: " + report.describe(), List.of());
    }

    /** Worker thread: the grace period is over; what still does not resolve is reported. */
    private void endOfGrace() {
        if (watch.busy()) {
            grace = worker.schedule(this::endOfGrace, GRACE_MS, TimeUnit.MILLISECONDS);
            return;
        }
        List<Path> stuck = new ArrayList<>(waiting);
        waiting.clear();
        retry.addAll(stuck);
        applyUrgently.accept(Call.DEPLOY, stuck);
    }

    /** A module installed from the file whose start never came (the container died in between): started now. */
    private DeployResult startCutShort(Call call, Path p, Module m) {
        String file = p.getFileName().toString();
        try {
            Module now = registry.start(call, m.ref());
            LOG.log(Level.INFO, "deploy: {0}: {1} installed (bundle {2}) before the container stopped, started now: {3}", file,
                    now.ref(), now.bundleId(), now.state());
            return new DeployResult(Outcome.INSTALLED, p.toString(), now, file + ": " + now.ref() + " installed (bundle "
                    + now.bundleId() + ") before the container stopped, started now: " + now.state(), List.of());
        } catch (ModuleException ex) {
            return failed(Outcome.FAILED, p, m.content().digest(), registry.get(m.bundleId()).orElse(null), ex);
        }
    }

    private DeployResult undeploy(Call call, Path p, Module m) {
        List<String> notes = new ArrayList<>();
        try {
            for (CheckReport.Impact i : registry.graphs().removalImpact(m.ref())) {
                notes.add(i.module() + " (bundle " + i.bundleId() + ") is left without a provider: " + i.reason());
            }
        } catch (ModuleException e) {
            LOG.log(Level.DEBUG, "no removal impact for {0}: {1}", m.ref(), e.toString());
        }
        try {
            registry.uninstall(call, Long.toString(m.bundleId()));
        } catch (ModuleNotFoundException e) {
            // gone already
        }
        // a file refused as a duplicate of this one may be deployed now
        for (var it = reported.entrySet().iterator(); it.hasNext();) {
            var e = it.next();
            if (e.getValue().equals(m.content().digest())) {
                it.remove();
                watch.observe(e.getKey());
            }
        }
        String msg = p.getFileName() + " removed: " + m.ref() + " (bundle " + m.bundleId() + ") undeployed";
        LOG.log(notes.isEmpty() ? Level.INFO : Level.WARNING, "deploy: {0}{1}", msg, notes.isEmpty() ? "" : "; " + String.join("; ", notes));
        return new DeployResult(Outcome.UNDEPLOYED, p.toString(), null, msg, notes);
    }

    /** A file whose module was installed or updated and did not run: reported in the log and as an event. */
    private DeployResult failed(Outcome outcome, Path p, String digest, Module m, ModuleException e) {
        String file = p.getFileName().toString();
        reported.put(p, digest);
        post(p, e.getMessage());
        LOG.log(Level.WARNING, "deploy: {0}: {1}", file, e.getMessage());
        return new DeployResult(outcome, p.toString(), m, file + ": " + e.getMessage(), List.of());
    }

    /** A file that was not deployed: reported once for this content, in the log and as an event. */
    private DeployResult bad(Path p, String digest, String reason) {
        String msg = p.getFileName() + ": " + reason;
        if (!digest.equals(reported.put(p, digest))) {
            LOG.log(Level.WARNING, "deploy: {0}", msg);
            post(p, reason);
        }
        return new DeployResult(Outcome.REFUSED, p.toString(), null, msg, List.of());
    }

    private void post(Path file, String error) {
        events.post(ModuleEvents.TOPIC_DEPLOY_FAILED, Map.of(ModuleEvents.FILE, file.toString(), ModuleEvents.ERROR, error));
    }
}
