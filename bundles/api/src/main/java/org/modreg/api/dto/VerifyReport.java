package org.modreg.api.dto;

import java.util.List;

/**
 * What {@code verify} found: each stored jar and each installed module's bytes, hashed again.
 *
 * @param checked  how many files were hashed
 * @param problems one line per mismatch or missing file, naming it; empty if all is well
 */
public record VerifyReport(int checked, List<String> problems) {

    public VerifyReport {
        problems = List.copyOf(problems);
    }

    /** @return whether nothing was wrong */
    public boolean ok() {
        return problems.isEmpty();
    }
}
