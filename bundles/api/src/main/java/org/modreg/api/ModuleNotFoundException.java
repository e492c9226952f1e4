package org.modreg.api;

/** No module matches a reference. */
public class ModuleNotFoundException extends ModuleException {
    private static final long serialVersionUID = 1L;
    private final String ref;

    public ModuleNotFoundException(String ref) {
        super("No module matching \"" + ref + "\"");
        this.ref = ref;
    }

    /**
     * @param ref     the reference that matched nothing
     * @param message what was missing, in full (for instance a version of the module that is not kept)
     */
    public ModuleNotFoundException(String ref, String message) {
        super(message);
        this.ref = ref;
    }

    /** @return the reference that matched nothing */
    public String ref() {
        return ref;
    }
}
