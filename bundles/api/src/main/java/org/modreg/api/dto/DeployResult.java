package org.modreg.api.dto;

import java.util.List;

/**
 * What a deploy operation did to one file.
 *
 * @param outcome what happened
 * @param file    the file in the deploy directory, absolute
 * @param module  the module after the operation; null if there is none (refused, undeployed)
 * @param message in plain words, naming the file and the module
 * @param notes   more: the modules refreshed, the dependents left without a provider, ...
 */
public record DeployResult(Outcome outcome, String file, Module module, String message, List<String> notes) {

    public DeployResult {
        notes = List.copyOf(notes);
    }

    /** What a deploy operation did. */
    public enum Outcome {
        /** A new module was installed and started. */
        INSTALLED,
        /** The module was updated to the file's bytes and runs them. */
        UPDATED,
        /** The file's bytes are those already deployed: nothing to do. */
        UNCHANGED,
        /** The module of a removed file was uninstalled. */
        UNDEPLOYED,
        /** The update failed; the previous version runs. */
        ROLLED_BACK,
        /** Nothing was changed: the file is not a valid bundle, would not resolve, or duplicates another. */
        REFUSED,
        /** The module was installed but did not start; it stays installed, FAILED. */
        FAILED
    }

    /** @return whether the file's content is what runs (installed, updated or unchanged) */
    public boolean ok() {
        return outcome == Outcome.INSTALLED || outcome == Outcome.UPDATED || outcome == Outcome.UNCHANGED
                || outcome == Outcome.UNDEPLOYED;
    }
}
