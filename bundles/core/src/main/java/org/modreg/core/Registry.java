package org.modreg.core;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.modreg.api.InstallOption;
import org.modreg.api.ModuleException;
import org.modreg.api.ModuleQuery;
import org.modreg.api.ModuleSource;
import org.modreg.api.dto.CheckReport;
import org.modreg.api.dto.Metrics;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleMatch;
import org.modreg.api.dto.ServiceMatch;
import org.modreg.core.records.RecordStore;
import org.modreg.core.wiring.Graphs;

/**
 * The registry as the core's own components see it (the API services are views of it, and the
 * deployer, history, lifecycle and statistics work through it): every operation takes the
 * {@link Call} it runs for, and is audited under it. Registered under this interface for the
 * core bundle only; it is not exported.
 */
public interface Registry {

    // ---------------------------------------------------------------- reads

    List<Module> list();

    Optional<Module> get(long bundleId);

    /** @throws org.modreg.api.ModuleNotFoundException if no module matches */
    Module get(String ref);

    List<ModuleMatch> find(ModuleQuery query);

    /** Live services by capability; counted as look-ups of the call's consumer. */
    List<ServiceMatch<Object>> services(Call call, String objectClass, String capability, String filter);

    /** Whether the saved records are restored; until then digests and error histories may be missing. */
    boolean restored();

    /** Waits (at most a minute) until the saved records are restored. */
    void awaitRestored();

    // ---------------------------------------------------------------- operations

    Module install(Call call, ModuleSource source, InstallOption... options);

    Module start(Call call, String ref);

    Module stop(Call call, String ref);

    Module update(Call call, String ref, InstallOption... options);

    Module update(Call call, String ref, ModuleSource source, InstallOption... options);

    Module uninstall(Call call, String ref);

    List<Module> refresh(Call call, String... refs);

    /** Updates a module in place to kept bytes (module:rollback), audited as a rollback. */
    Module rollbackTo(Call call, String ref, ModuleSource source);

    // ---------------------------------------------------------------- deploying

    /**
     * Updates a module to new bytes with rollback. A running module that is not a singleton gets
     * the new version started beside it, and is retired once the new one is active; otherwise it
     * is updated in place, and its previous bytes and state restored if the start fails.
     *
     * @return the module after the update (a new bundle id if the new version ran beside the old)
     * @throws org.modreg.api.UnresolvableModuleException if the check refuses it; nothing changed
     * @throws org.modreg.core.update.RolledBackException if it failed and the previous version was kept or put back
     */
    Module replace(Call call, String ref, ModuleSource source);

    /**
     * Updates several modules as {@link #replace} does, each on its own (one failure does not stop
     * the others), but retires all the old versions together, with one refresh.
     */
    List<Replaced> replaceAll(Call call, List<Map.Entry<String, ModuleSource>> updates);

    /** What became of one update of {@link #replaceAll}; {@code module} null if it failed. */
    record Replaced(String ref, ModuleSource source, Module module, ModuleException error) {
    }

    /**
     * Installs jars together: each is read and validated once, all are checked together (they may
     * need each other), those that would resolve are installed, resolved together, and started.
     */
    List<Batch> installAll(Call call, List<ModuleSource> sources);

    /**
     * What became of one jar of {@link #installAll}.
     *
     * @param module  the module installed (and started, unless {@code started} is false); null if not installed
     * @param report  the wiring check's report; null if the jar was not valid
     * @param error   why it was not installed (null with a report that does not resolve), or did not start
     */
    record Batch(ModuleSource source, Module module, CheckReport report, ModuleException error) {
        /** @return whether it was installed and then did not start */
        public boolean installedNotStarted() {
            return module != null && error != null;
        }
    }

    /** Checks jars as new modules all installed together, and stores nothing. */
    List<CheckReport> checkAll(List<ModuleSource> sources);

    /** Adds an error to a module's history without marking it FAILED (an update refused before anything changed). */
    void recordError(String ref, String operation, String message);

    /**
     * Whether a module not running was installed and then neither started nor stopped: an install
     * cut short, by a crash between the install and the start.
     */
    boolean startCutShort(Module m);

    // ---------------------------------------------------------------- wiring

    /** Checks a jar as an install would, and stores nothing. */
    CheckReport check(ModuleSource source);

    /** Checks a jar as an update of a module would, and stores nothing. */
    CheckReport checkUpdate(String ref, ModuleSource source);

    /** @return the wiring of the installed modules: dependencies, graphs, removal impact */
    Graphs graphs();

    // ---------------------------------------------------------------- history

    /** @return a module's version history, oldest first */
    List<RecordStore.VersionRow> versions(String moduleId);

    /** @return every version row of every module, oldest first */
    List<RecordStore.VersionRow> allVersions();

    /** @return where the content store keeps the bytes of a digest (they may be gone) */
    Path storedFile(String digest);

    /** @return the content store's directory */
    Path storeDir();

    /** Audits what no registry operation covers (a mark, a delete, a retention clean-up). */
    void audit(Call call, String operation, String moduleId, Module module, String detail);

    // ---------------------------------------------------------------- statistics

    /** @return the query and check histograms */
    List<Metrics.Timing> timings();

    /** @return the operations ended so far, by operation, door and result */
    List<Metrics.OperationCount> operationCounts();

    /** @return queries answered (find and services), and their total time in nanoseconds */
    long[] queryFigures();

    /** @return modules indexed, index keys, postings */
    long[] indexFigures();
}
