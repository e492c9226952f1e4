package org.modreg.api;

/** A query that cannot run: a malformed LDAP filter or version range. The message names the bad part. */
public class InvalidQueryException extends ModuleException {
    private static final long serialVersionUID = 1L;

    public InvalidQueryException(String message, Throwable cause) {
        super(message, cause);
    }
}
