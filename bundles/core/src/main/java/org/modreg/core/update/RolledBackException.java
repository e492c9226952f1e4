package org.modreg.core.update;

import org.modreg.api.LifecycleException;

/** An update failed and the previous version of the module was kept running, or put back. */
public final class RolledBackException extends LifecycleException {
    private static final long serialVersionUID = 1L;

    public RolledBackException(String message, String reason, Throwable cause) {
        super("update", message, reason, cause);
    }
}
