package org.modreg.api;

/** No module matches a reference. */
public class ModuleNotFoundException extends ModuleException {
    private static final long serialVersionUID = 1L;
    private final String ref;

    public ModuleNotFoundException(String ref) {
        super("No module matching \"" + ref + "\"");
        this.ref = ref;
    }

    /** @return the reference that matched nothing */
    public String ref() {
        return ref;
    }
}
