package org.modreg.api;

/** The same module id and version, or the same location, is installed already. */
public class DuplicateModuleException extends ModuleException {
    private static final long serialVersionUID = 1L;
    private final long existingBundleId;

    public DuplicateModuleException(String message, long existingBundleId) {
        super(message);
        this.existingBundleId = existingBundleId;
    }

    /** @return the bundle id of the module already installed */
    public long existingBundleId() {
        return existingBundleId;
    }
}
