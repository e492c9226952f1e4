package org.modreg.api;

/**
 * Base of every error of the registry. The message names the file or the module and says what
 * is wrong in plain words; framework details come after, or as the cause.
 */
public class ModuleException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModuleException(String message) {
        super(message);
    }

    public ModuleException(String message, Throwable cause) {
        super(message, cause);
    }
}
