package org.modreg.core.deploy;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;

import org.modreg.api.ModuleEvents;
import org.modreg.api.dto.DeployResult;
import org.modreg.core.util.Events;

/** Reports how far a large batch is, at its start, every tenth and its end: in the log and as events. */
final class Progress {

    private static final System.Logger LOG = System.getLogger(Progress.class.getName());
    /** A batch this large reports its progress. */
    private static final int PROGRESS_BATCH = 10;

    private final Events events;
    private final int total;
    private int done;
    private final long start = System.nanoTime();

    Progress(Events events, int total) {
        this.events = events;
        this.total = total;
        if (total >= PROGRESS_BATCH) {
            LOG.log(Level.INFO, "deploy: {0} files to apply", total);
            events.post(ModuleEvents.TOPIC_DEPLOY_PROGRESS, Map.of(ModuleEvents.TOTAL, total, ModuleEvents.DONE, 0));
        }
    }

    void step() {
        done++;
        if (total >= PROGRESS_BATCH && done < total && done % Math.max(1, total / 10) == 0) {
            LOG.log(Level.INFO, "deploy: {0}/{1}", done, total);
            events.post(ModuleEvents.TOPIC_DEPLOY_PROGRESS, Map.of(ModuleEvents.TOTAL, total, ModuleEvents.DONE, done));
        }
    }

    void done(List<DeployResult> results) {
        if (total >= PROGRESS_BATCH) {
            long ok = results.stream().filter(DeployResult::ok).count();
            LOG.log(Level.INFO, "deploy: {0} files applied in {1} ms: {2} ok, {3} not", total,
                    (System.nanoTime() - start) / 1_000_000, ok, results.size() - ok);
            events.post(ModuleEvents.TOPIC_DEPLOY_PROGRESS, Map.of(ModuleEvents.TOTAL, total, ModuleEvents.DONE, total,
                    ModuleEvents.FAILED_COUNT, (int) (results.size() - ok)));
        }
    }
}
