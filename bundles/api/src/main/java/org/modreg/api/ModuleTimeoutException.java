package org.modreg.api;

/**
 * A lifecycle operation did not end within the configured timeout, for example an activator
 * that hangs. The operation's thread was interrupted; the module is {@link ModuleState#FAILED}.
 */
public class ModuleTimeoutException extends LifecycleException {
    private static final long serialVersionUID = 1L;

    public ModuleTimeoutException(String operation, String message, String reason) {
        super(operation, message, reason, null);
    }
}
