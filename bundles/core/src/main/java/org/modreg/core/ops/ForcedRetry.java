package org.modreg.core.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.modreg.core.records.ModuleRecord;
import org.modreg.core.records.ModuleRecords;
import org.modreg.core.records.RecordSubscriber;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;

/**
 * A module installed by force though its check failed stays unresolved, FAILED, until something
 * resolves it: nothing would, once its missing provider arrives. So each time a bundle is
 * installed or resolved, the framework is asked (off its thread) to resolve those modules again;
 * the one that resolves now leaves FAILED by the framework's own RESOLVED event.
 */
public final class ForcedRetry implements RecordSubscriber {

    private final ModuleRecords records;
    private final FrameworkOps ops;
    private final Executor background;

    public ForcedRetry(ModuleRecords records, FrameworkOps ops, Executor background) {
        this.records = records;
        this.ops = ops;
        this.background = background;
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getType() != BundleEvent.INSTALLED && event.getType() != BundleEvent.RESOLVED) {
            return;
        }
        long trigger = event.getBundle().getBundleId();
        List<Bundle> waiting = new ArrayList<>();
        for (ModuleRecord r : records.all()) {
            Bundle b;
            if (r.bundleId != trigger && r.failedBy("check")) {
                try {
                    b = records.bundle(r);
                } catch (RuntimeException e) {
                    continue; // gone
                }
                if (b.getState() == Bundle.INSTALLED) {
                    waiting.add(b);
                }
            }
        }
        if (waiting.isEmpty()) {
            return;
        }
        try {
            background.execute(() -> {
                for (Bundle b : waiting) {
                    if (b.getState() == Bundle.INSTALLED) {
                        ops.resolve(List.of(b)); // one at a time: one that still cannot does not hold the others back
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }
}
