package org.modreg.api;

/**
 * A lifecycle operation failed in the framework: the module could not be installed, resolved,
 * started, stopped, updated or uninstalled. When the module exists, it is {@link ModuleState#FAILED}
 * (unless it is still active) and the reason is in its error history.
 */
public class LifecycleException extends ModuleException {
    private static final long serialVersionUID = 1L;
    private final String operation;
    private final String reason;

    /**
     * @param operation the operation: install, start, stop, update, uninstall, refresh
     * @param message   what went wrong, naming the module
     * @param cause     the framework's exception, or {@code null}
     */
    public LifecycleException(String operation, String message, Throwable cause) {
        this(operation, message, message, cause);
    }

    /**
     * @param operation the operation: install, start, stop, update, uninstall, refresh
     * @param message   what went wrong, naming the module
     * @param reason    why, without naming the module: "its activator threw ..."
     * @param cause     the framework's exception, or {@code null}
     */
    public LifecycleException(String operation, String message, String reason, Throwable cause) {
        super(message, cause);
        this.operation = operation;
        this.reason = reason;
    }

    /** @return why the operation failed, in plain words, without naming the module */
    public String reason() {
        return reason;
    }

    /** @return the operation that failed */
    public String operation() {
        return operation;
    }
}
