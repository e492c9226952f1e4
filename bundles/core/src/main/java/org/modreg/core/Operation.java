package org.modreg.core;

import java.util.Locale;

/** The registry's operations as the audit trail names them, and the version event each writes to the history. */
public enum Operation {
    INSTALL("installed"),
    START(null),
    STOP(null),
    UPDATE("updated"),
    /** An update back to kept bytes: {@code module:rollback}, or the deploy directory's rollback. */
    ROLLBACK("rolled back"),
    UNINSTALL("uninstalled"),
    REFRESH(null);

    private final String versionEvent;

    Operation(String versionEvent) {
        this.versionEvent = versionEvent;
    }

    /** @return the name in the audit trail: {@code install}, {@code update}, ... */
    public String auditName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the event a successful operation writes to the version history; null if none */
    public String versionEvent() {
        return versionEvent;
    }
}
