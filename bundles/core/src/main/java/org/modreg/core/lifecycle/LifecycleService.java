package org.modreg.core.lifecycle;

import org.modreg.core.Call;
import org.modreg.core.Registry;
import org.modreg.core.deploy.DeployDirectory;
import org.modreg.core.records.RecordStore;
import org.modreg.core.util.Threads;
import org.modreg.api.dto.ModuleMark;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.modreg.api.LifecycleException;
import org.modreg.api.ModuleNotFoundException;
import org.modreg.api.ModuleState;
import org.modreg.api.dto.Dependency;
import org.modreg.api.dto.Module;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Lifecycle marks and retention, the one instance behind the {@link LifecycleView}s: it runs
 * retention a minute after the start, and then once a day.
 */
@Component(service = Lifecycle.class, immediate = true, configurationPid = Lifecycle.PID)
@Designate(ocd = RetentionConfig.class)
public final class LifecycleService implements Lifecycle {

    private static final System.Logger LOG = System.getLogger(LifecycleService.class.getName());

    private final Registry registry;
    private final DeployDirectory deployer;
    private final Marks marks;
    private final ScheduledExecutorService timer;
    private volatile RetentionConfig config;

    @Activate
    public LifecycleService(RetentionConfig config, @Reference Registry registry, @Reference DeployDirectory deployer,
            @Reference Marks marks) {
        this.marks = marks;
        this.config = config;
        this.registry = registry;
        this.deployer = deployer;
        this.timer = Executors.newSingleThreadScheduledExecutor(Threads.daemons("modreg-retention"));
        timer.scheduleWithFixedDelay(() -> {
            try {
                registry.awaitRestored();
                retain(Call.FRAMEWORK).forEach(line -> LOG.log(Level.INFO, "retention: {0}", line));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "retention: " + e, e);
            }
        }, 60, 24 * 60 * 60, TimeUnit.SECONDS); // a minute after the start, off its busy moments; then daily
    }

    @Modified
    public void modified(RetentionConfig c) {
        this.config = c;
    }

    @Deactivate
    public void deactivate() {
        timer.shutdownNow();
    }

    @Override
    public Marks marks() {
        return this.marks;
    }

    @Override
    public ModuleMark deprecate(Call call, String moduleId, String reason, String replacement) {
        Module m = any(moduleId);
        ModuleMark mark = new ModuleMark(moduleId, ModuleMark.Kind.DEPRECATED, reason == null ? "" : reason, replacement,
                Instant.now(), call.origin());
        mark(call, mark, m);
        return mark;
    }

    /** Sets a mark, in the database and the audit trail. */
    private void mark(Call call, ModuleMark m, Module module) {
        marks.put(m);
        registry.audit(call, m.kind() == ModuleMark.Kind.DEPRECATED ? "deprecate" : "archive", m.moduleId(), module,
                (m.reason() == null || m.reason().isBlank() ? "" : m.reason())
                        + (m.replacement() == null ? "" : " (use " + m.replacement() + ")"));
    }

    @Override
    public Optional<ModuleMark> unmark(Call call, String moduleId) {
        ModuleMark m = marks.remove(moduleId);
        if (m != null) {
            registry.audit(call, "unmark", moduleId, null, "was " + m.kind().name().toLowerCase(java.util.Locale.ROOT));
        } else if (installed(moduleId).isEmpty()) {
            throw new ModuleNotFoundException(moduleId);
        }
        return Optional.ofNullable(m);
    }

    @Override
    public List<Module> archive(Call call, String moduleId, String reason) {
        Module first = any(moduleId);
        mark(call, new ModuleMark(moduleId, ModuleMark.Kind.ARCHIVED, reason == null ? "" : reason, null, Instant.now(),
                call.origin()), first);
        List<Module> out = new ArrayList<>();
        for (Module m : installed(moduleId)) {
            out.add(m.state() == ModuleState.ACTIVE || m.state() == ModuleState.STARTING ? registry.stop(call, Long.toString(m.bundleId()))
                    : m);
        }
        return out;
    }

    /**
     * Uninstalls every version and removes the kept bytes. A module deployed from the deploy
     * directory loses its file too, or the directory would deploy it again.
     */
    @Override
    public List<Module> delete(Call call, String moduleId, boolean force) {
        List<Module> modules = installed(moduleId);
        List<RecordStore.VersionRow> rows = registry.versions(moduleId);
        if (modules.isEmpty() && rows.isEmpty()) {
            throw new ModuleNotFoundException(moduleId);
        }
        Set<String> users = new java.util.TreeSet<>();
        for (Module m : modules) {
            for (Dependency d : registry.graphs().reach(Long.toString(m.bundleId()), false, false)) {
                if (!d.module().id().equals(moduleId)) {
                    users.add(d.module().id());
                }
            }
        }
        if (!users.isEmpty() && !force) {
            throw new LifecycleException("delete", moduleId + " is used by " + String.join(", ", users)
                    + "; delete or update them first, or force", "it has dependents", null);
        }
        List<Module> out = new ArrayList<>();
        for (Module m : modules) {
            Path file = deployer.deployedFile(m);
            if (file != null) {
                Module gone = deployer.undeploy(call, Long.toString(m.bundleId())).module();
                out.add(gone == null ? m : gone);
            } else {
                out.add(registry.uninstall(call, Long.toString(m.bundleId())));
            }
        }
        int removed = 0;
        for (String digest : digests(rows)) {
            removed += removeBytes(digest) ? 1 : 0;
        }
        ModuleMark mark = marks.remove(moduleId);
        if (mark != null) {
            registry.audit(call, "unmark", moduleId, null, "was " + mark.kind().name().toLowerCase(java.util.Locale.ROOT));
        }
        registry.audit(call, "delete", moduleId, null, out.size() + " installed version(s) uninstalled, " + removed
                + " kept jar(s) removed" + (users.isEmpty() ? "" : "; forced, used by " + String.join(", ", users)));
        return out;
    }

    /** Applies retention: kept bytes beyond the newest versions, and archived modules past their time. */
    @Override
    public List<String> retain(Call call) {
        List<String> done = new ArrayList<>();
        int keep = Math.max(1, config.versions());
        Set<String> installed = new HashSet<>();
        for (Module m : registry.list()) {
            if (m.content().isKnown()) {
                installed.add(m.content().digest());
            }
        }
        Map<String, List<RecordStore.VersionRow>> byModule = new LinkedHashMap<>();
        for (RecordStore.VersionRow r : registry.allVersions()) {
            byModule.computeIfAbsent(r.moduleId(), k -> new ArrayList<>()).add(r);
        }
        for (List<RecordStore.VersionRow> rows : byModule.values()) {
            for (RecordStore.VersionRow r : beyondRetention(rows, installed, keep)) {
                if (removeBytes(r.digest())) {
                    done.add("removed the kept bytes of " + r.moduleId() + " " + r.version() + " (" + r.digest().substring(0, 12)
                            + "...): older than the newest " + keep + " versions");
                    registry.audit(call, "retain", r.moduleId(), null, "removed the kept bytes of " + r.version());
                }
            }
        }
        int days = config.archived_days();
        for (String id : expiredArchives(marks.all().values(), Instant.now(), days)) {
            delete(call, id, true);
            done.add("deleted " + id + ": archived more than " + days + " days ago");
        }
        return done;
    }

    /**
     * The version rows of one module whose bytes go: neither installed nor among the newest
     * {@code keep} distinct digests. One row a digest, the newest.
     */
    public static List<RecordStore.VersionRow> beyondRetention(List<RecordStore.VersionRow> rows, Set<String> installed, int keep) {
        List<RecordStore.VersionRow> newestFirst = new ArrayList<>(rows);
        newestFirst.sort(Comparator.comparing(RecordStore.VersionRow::time).reversed());
        Set<String> kept = new LinkedHashSet<>();
        Set<String> seen = new HashSet<>();
        List<RecordStore.VersionRow> out = new ArrayList<>();
        for (RecordStore.VersionRow r : newestFirst) {
            String d = r.digest();
            if (d == null || installed.contains(d) || !seen.add(d)) {
                continue;
            }
            if (kept.size() < keep) {
                kept.add(d);
            } else {
                out.add(r);
            }
        }
        return out;
    }

    /** @return the ids of modules archived longer than {@code days} days before {@code now}; none if days is 0 */
    public static List<String> expiredArchives(java.util.Collection<ModuleMark> marks, Instant now, int days) {
        if (days <= 0) {
            return List.of();
        }
        Instant limit = now.minus(Duration.ofDays(days));
        return marks.stream().filter(m -> m.kind() == ModuleMark.Kind.ARCHIVED && m.time().isBefore(limit)).map(ModuleMark::moduleId)
                .sorted().toList();
    }

    private boolean removeBytes(String digest) {
        try {
            Path p = registry.storedFile(digest);
            if (Files.exists(p)) {
                p.toFile().setWritable(true);
                return Files.deleteIfExists(p);
            }
            return false;
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot remove {0}: {1}", digest, e.toString());
            return false;
        }
    }

    private static Set<String> digests(List<RecordStore.VersionRow> rows) {
        Set<String> out = new LinkedHashSet<>();
        for (RecordStore.VersionRow r : rows) {
            if (r.digest() != null) {
                out.add(r.digest());
            }
        }
        return out;
    }

    private List<Module> installed(String moduleId) {
        return registry.list().stream().filter(m -> m.id().equals(moduleId)).toList();
    }

    private Module any(String moduleId) {
        List<Module> ms = installed(moduleId);
        if (ms.isEmpty()) {
            throw new ModuleNotFoundException(moduleId);
        }
        return ms.get(0);
    }
}
