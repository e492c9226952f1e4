package org.modreg.api;

import java.util.List;

/** A module id without version matches several installed versions. */
public class AmbiguousModuleException extends ModuleException {
    private static final long serialVersionUID = 1L;

    public AmbiguousModuleException(String ref, List<String> candidates) {
        super("\"" + ref + "\" matches several modules: " + String.join(", ", candidates)
                + "; name one as id/version or by bundle id");
    }
}
