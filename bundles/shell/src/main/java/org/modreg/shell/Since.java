package org.modreg.shell;

import java.time.Clock;
import java.time.Instant;

import org.modreg.api.ModuleAudit;

/** Reads the {@code --since} of {@code module:audit}, in the forms {@link ModuleAudit#since} takes. */
final class Since {

    private Since() {
    }

    /**
     * @return the instant the text names
     * @throws IllegalArgumentException naming the option and the text, if it is none of the forms
     */
    static Instant parse(String text, Clock clock) {
        try {
            return ModuleAudit.since(text, clock);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--since " + e.getMessage());
        }
    }
}
