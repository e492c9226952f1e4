package org.modreg.api;

/**
 * A lifecycle operation failed in the framework: the module could not be installed, resolved,
 * started, stopped, updated or uninstalled. When the module exists, it is {@link ModuleState#FAILED}
 * (unless it is still active) and the reason is in its error history.
 */
public class LifecycleException extends ModuleException {
    private static final long serialVersionUID = 1L;
    private final String operation;

    /**
     * @param operation the operation: install, start, stop, update, uninstall, refresh
     * @param message   what went wrong, naming the module
     * @param cause     the framework's exception, or {@code null}
     */
    public LifecycleException(String operation, String message, Throwable cause) {
        super(message, cause);
        this.operation = operation;
    }

    /** @return the operation that failed */
    public String operation() {
        return operation;
    }
}
