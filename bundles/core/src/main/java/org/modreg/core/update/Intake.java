package org.modreg.core.update;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.modreg.api.DuplicateModuleException;
import org.modreg.api.InvalidModuleException;
import org.modreg.api.ModuleException;
import org.modreg.api.ModuleSource;
import org.modreg.api.UnresolvableModuleException;
import org.modreg.api.dto.CheckReport;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleContent;
import org.modreg.core.content.Admission;
import org.modreg.core.content.ContentStore;
import org.modreg.core.content.JarValidator;
import org.modreg.core.content.ValidatedJar;
import org.modreg.core.ops.FrameworkOps;
import org.modreg.core.records.ModuleRecord;
import org.modreg.core.records.ModuleRecords;
import org.modreg.core.util.Histogram;
import org.modreg.core.wiring.ApiWarnings;
import org.modreg.core.wiring.WiringChecker;
import org.osgi.framework.BundleContext;
import org.osgi.resource.Resource;

/**
 * The intake pipeline, once for every door, each package entered once and in order: in the
 * content store, <b>stage</b> the bytes, <b>validate</b> them as a bundle, <b>admit</b> them
 * (no duplicate, a released version immutable) and <b>commit</b> them; <b>check</b> their wiring
 * against the running framework (alone, or as a batch whose jars may need each other);
 * <b>install</b> and <b>record</b>. Admission needs no check, so a duplicate is refused before
 * its check is paid for. Nothing is stored when a step refuses: a commit holds the bytes it added
 * until the check passes, and a refusal releases them ({@link ContentStore#release}); a check that
 * finds a problem refuses unless forced.
 */
public final class Intake {

    private static final System.Logger LOG = System.getLogger(Intake.class.getName());

    /** Told of a jar once it is validated: its id and version are known even if a later step refuses it. */
    public interface Observer {
        void validated(ValidatedJar jar);
    }

    /** A validated and admitted jar, committed to the content store; and its check, once checked. */
    public record Prepared(ValidatedJar jar, Path stored, ModuleContent content, CheckReport report) {
        Prepared checked(CheckReport r) {
            return new Prepared(jar, stored, content, r);
        }
    }

    /** One jar of a batch as far as it got: staged and validated, or refused with an error. */
    public static final class Item {
        public final ModuleSource source;
        ContentStore.Staged staged;
        ValidatedJar jar;
        ModuleException error;
        Prepared prepared;
        CheckReport report;

        Item(ModuleSource source) {
            this.source = source;
        }

        public ValidatedJar jar() {
            return jar;
        }

        /** @return why it was refused before the check (invalid, a duplicate, a changed release); null if it was not */
        public ModuleException error() {
            return error;
        }

        /** @return its part of the batch's check; null if it was not checked */
        public CheckReport report() {
            return report;
        }
    }

    private final BundleContext context;
    private final Supplier<ContentStore> store;
    private final WiringChecker checker;
    private final Admission admission;
    private final ModuleRecords records;
    private final FrameworkOps ops;
    private final Histogram checkTimes;

    public Intake(BundleContext context, Supplier<ContentStore> store, WiringChecker checker, Admission admission,
            ModuleRecords records, FrameworkOps ops, Histogram checkTimes) {
        this.context = context;
        this.store = store;
        this.checker = checker;
        this.admission = admission;
        this.records = records;
        this.ops = ops;
        this.checkTimes = checkTimes;
    }

    /**
     * Stages, validates, admits and commits new bytes, then checks them: for an install
     * ({@code updating} null), or an update of a module, which must keep its id. A check that
     * refuses them releases what the commit stored.
     */
    public Prepared prepare(ModuleSource source, ModuleRecord updating, boolean force, Observer observer) {
        Prepared p = store(source, updating, force, observer);
        try {
            CheckReport report = check(source, p.jar(), updating);
            if (!force && !report.safe()) {
                throw new UnresolvableModuleException(report);
            }
            store.get().keep(p.jar().digest());
            return p.checked(report);
        } catch (RuntimeException | Error e) { // an Error too: a class missing at run time must not leave bytes behind
            store.get().release(p.jar().digest());
            throw e;
        }
    }

    /** The content store's steps for one jar, in one visit: stage, validate, admit, commit. */
    private Prepared store(ModuleSource source, ModuleRecord updating, boolean force, Observer observer) {
        ContentStore.Staged staged = store.get().stage(source);
        try {
            ValidatedJar jar = validate(source, staged, updating);
            observer.validated(jar);
            admit(source, jar, updating, force);
            return commit(staged, jar);
        } catch (RuntimeException | Error e) {
            staged.discard();
            throw e;
        }
    }

    /** Validates, admits and checks a jar as {@link #prepare} does, and stores nothing. */
    public CheckReport dryRun(ModuleSource source, ModuleRecord updating) {
        ContentStore.Staged staged = store.get().stage(source);
        try {
            ValidatedJar jar = validate(source, staged, updating);
            admit(source, jar, updating, true);
            return check(source, jar, updating);
        } finally {
            staged.discard();
        }
    }

    /**
     * The content store's steps for the jars of a batch, each on its own: staged, validated,
     * admitted (against the installed modules, and the batch's jars before it) and committed; a
     * refusal is noted in its item. {@link #checkStored} checks those that came through.
     */
    public List<Item> storeAll(List<ModuleSource> sources) {
        List<Item> items = new ArrayList<>(sources.size());
        List<Item> stored = new ArrayList<>();
        try {
            for (ModuleSource source : sources) {
                Item item = new Item(source);
                items.add(item);
                try {
                    item.staged = store.get().stage(source);
                    item.jar = validate(source, item.staged, null);
                    admit(source, item.jar, null, false);
                    inBatch(item, stored);
                    item.prepared = commit(item.staged, item.jar);
                    item.staged = null;
                    stored.add(item);
                } catch (ModuleException e) {
                    item.error = e;
                    discard(item);
                }
            }
        } catch (RuntimeException | Error e) {
            items.forEach(Intake::discard);
            stored.forEach(i -> store.get().release(i.jar.digest()));
            throw e;
        }
        return items;
    }

    /** A batch installs each id and version, and each location, once: the second is a duplicate of the first. */
    private static void inBatch(Item item, List<Item> before) {
        for (Item b : before) {
            if (b.jar.id().equals(item.jar.id()) && b.jar.version().equals(item.jar.version())) {
                throw new DuplicateModuleException(item.source.name() + ": " + item.jar.id() + " " + item.jar.version()
                        + " is in the batch already, from " + b.source.name(), -1);
            }
            if (b.source.location().equals(item.source.location())) {
                throw new DuplicateModuleException(item.source.name() + ": this location comes twice in the batch", -1);
            }
        }
    }

    /**
     * Checks the stored jars of a batch together, as new modules installed at once; the bytes of a
     * jar that would not resolve are released.
     */
    public void checkStored(List<Item> items) {
        List<Item> stored = items.stream().filter(i -> i.error == null).toList();
        List<CheckReport> reports;
        try {
            reports = checkBatch(stored.stream().map(i -> i.source).toList(), stored.stream().map(i -> i.jar).toList());
        } catch (RuntimeException | Error e) {
            stored.forEach(i -> store.get().release(i.jar.digest()));
            throw e;
        }
        for (int k = 0; k < stored.size(); k++) {
            Item item = stored.get(k);
            item.report = reports.get(k);
            if (item.report.resolvable()) {
                store.get().keep(item.jar.digest());
            } else {
                store.get().release(item.jar.digest());
            }
        }
    }

    /** Checks jars as new modules all installed together, and stores nothing (a plan). */
    public List<CheckReport> checkOnly(List<ModuleSource> sources) {
        List<Item> items = new ArrayList<>();
        try {
            for (ModuleSource source : sources) {
                Item item = new Item(source);
                items.add(item);
                item.staged = store.get().stage(source);
                item.jar = JarValidator.validate(source.name(), item.staged.file(), item.staged.digest(), item.staged.size());
            }
            return checkBatch(sources, items.stream().map(i -> i.jar).toList());
        } finally {
            items.forEach(Intake::discard);
        }
    }

    /**
     * @return a checked jar of a batch, ready to install
     * @throws UnresolvableModuleException if its check found that it would not resolve
     */
    public Prepared prepared(Item item) {
        if (!item.report.resolvable()) {
            throw new UnresolvableModuleException(item.report);
        }
        return item.prepared.checked(item.report);
    }

    /** Installs prepared bytes and records who installed them. */
    public ModuleRecord install(ModuleSource source, Prepared p, String origin) {
        String what = source.name() + " (" + p.jar().id() + " " + p.jar().version() + ")";
        ModuleRecord r = ops.install(source, p.stored(), what);
        r.installed(p.content(), origin, Instant.now(), List.of());
        forced(r, "install", p.report());
        return r;
    }

    /** A forced install or update that the check found wrong: say so in the record, not only in the log. */
    public void forced(ModuleRecord r, String operation, CheckReport report) {
        if (report != null && !report.safe()) {
            LOG.log(Level.WARNING, "forced {0}: {1}", operation, report.describe());
            records.fail(r, "check", "forced " + operation + ": " + report.describe());
        }
    }

    // ---------------------------------------------------------------- the steps

    /** A bundle, and for an update one of the same id. */
    private ValidatedJar validate(ModuleSource source, ContentStore.Staged staged, ModuleRecord updating) {
        ValidatedJar jar = JarValidator.validate(source.name(), staged.file(), staged.digest(), staged.size());
        Module old = updating == null ? null : updating.module();
        if (old != null && !jar.id().equals(old.id())) {
            throw new InvalidModuleException(source.name(), "its Bundle-SymbolicName is " + jar.id()
                    + ", not " + old.id() + "; an update keeps the module id (install it as a new module)");
        }
        return jar;
    }

    private CheckReport check(ModuleSource source, ValidatedJar jar, ModuleRecord updating) {
        long t0 = System.nanoTime();
        try {
            Resource candidate = WiringChecker.resource(source.name(), source.location(), jar.headers());
            if (updating == null) {
                return checker.checkInstall(source.name(), candidate);
            }
            return checker.checkUpdate(source.name(), records.bundle(updating), candidate)
                    .withWarnings(ApiWarnings.of(context.getBundle(updating.bundleId), updating.content(), jar));
        } finally {
            checkTimes.observe(System.nanoTime() - t0);
        }
    }

    private List<CheckReport> checkBatch(List<ModuleSource> sources, List<ValidatedJar> jars) {
        List<String> names = new ArrayList<>();
        List<Resource> resources = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            ModuleSource s = sources.get(i);
            names.add(s.name());
            resources.add(WiringChecker.resource(s.name(), s.location(), jars.get(i).headers()));
        }
        return checker.checkAll(names, resources);
    }

    private void admit(ModuleSource source, ValidatedJar jar, ModuleRecord updating, boolean force) {
        admission.admit(source, jar, updating == null ? null : updating.module(), records.list(), force);
    }

    private Prepared commit(ContentStore.Staged staged, ValidatedJar jar) {
        Path stored = store.get().commit(staged);
        return new Prepared(jar, stored, new ModuleContent(jar.digest(), jar.size(), jar.compressedSize(), stored.toString()),
                null);
    }

    private static void discard(Item item) {
        if (item.staged != null) {
            item.staged.discard();
        }
    }
}
