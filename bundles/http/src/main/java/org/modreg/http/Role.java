package org.modreg.http;

import java.util.Locale;

/**
 * What a caller of the HTTP plane may do. Each role includes the ones before it: an operator may
 * read, an administrator may do everything.
 */
public enum Role {
    /** Reads: modules, queries, graphs, statistics, health, audit, history, metrics, events. */
    VIEWER,
    /** Changes modules: install, start, stop, update, uninstall, refresh, deploy, check, rollback. */
    OPERATOR,
    /** Everything: commands, {@code force}, delete, marks and retention. */
    ADMIN;

    /** @return whether this role includes the other */
    public boolean includes(Role other) {
        return compareTo(other) >= 0;
    }

    /** @return the role named, in any case */
    public static Role parse(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("no role \"" + name + "\": viewer, operator or admin");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
