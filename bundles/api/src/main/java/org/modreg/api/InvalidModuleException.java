package org.modreg.api;

/**
 * A jar failed validation before anything was installed or updated: it is not a zip, has no
 * manifest, no {@code Bundle-SymbolicName}, an invalid {@code Bundle-Version}, a malformed
 * header, or could not be read.
 */
public class InvalidModuleException extends ModuleException {
    private static final long serialVersionUID = 1L;
    private final String source;
    private final String problem;

    /**
     * @param source  the file or URL, as {@link ModuleSource#name()}
     * @param problem what is wrong with it
     */
    public InvalidModuleException(String source, String problem) {
        this(source, problem, null);
    }

    public InvalidModuleException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
        this.source = source;
        this.problem = problem;
    }

    /** @return the file or URL that is invalid */
    public String source() {
        return source;
    }

    /** @return what is wrong with it, without the file name */
    public String problem() {
        return problem;
    }
}
