package org.modreg.core;

import org.modreg.core.audit.Origin;
import org.osgi.framework.Bundle;

/**
 * Who is calling, passed with every operation of the {@link Registry} instead of beside it: the
 * origin the audit trail names, the consumer whose look-ups the statistics count, and, for the
 * updates of a rollback through the deploy directory, the operation they are audited as.
 *
 * @param origin   who asked: see {@link Origin}
 * @param consumer the symbolic name of the calling bundle; null if unknown
 * @param updateAs the operation an update is audited as ({@link Operation#ROLLBACK}); null: {@link Operation#UPDATE}
 */
public record Call(String origin, String consumer, Operation updateAs) {

    /** The deploy directory's own doing: what it finds in its directory. */
    public static final Call DEPLOY = new Call(Origin.DEPLOY, null, null);
    /** The container's own doing: reconciliation, retention. */
    public static final Call FRAMEWORK = new Call(Origin.FRAMEWORK, null, null);

    /** @return the call of a bundle using a service of the core */
    public static Call of(Bundle caller) {
        return new Call(Origin.of(caller), caller == null ? null : caller.getSymbolicName(), null);
    }

    /** @return this call under another origin ({@code as(origin)} of the services) */
    public Call as(String otherOrigin) {
        return new Call(Origin.checked(otherOrigin), consumer, updateAs);
    }

    /** @return this call, its updates audited as the given operation */
    public Call updatingAs(Operation operation) {
        return new Call(origin, consumer, operation);
    }

    /** @return the operation an update of this call is audited as */
    public Operation update() {
        return updateAs == null ? Operation.UPDATE : updateAs;
    }
}
