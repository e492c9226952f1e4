package org.modreg.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.modreg.api.AmbiguousModuleException;
import org.modreg.api.DuplicateModuleException;
import org.modreg.api.InvalidModuleException;
import org.modreg.api.LifecycleException;
import org.modreg.api.ModuleNotFoundException;
import org.modreg.api.ModuleTimeoutException;
import org.modreg.api.dto.AuditEntry.Result;
import org.modreg.core.update.RolledBackException;

/** How the audit trail tells the end of an operation: refused (nothing changed), failed, rolled back. */
public class EdgeTest {

    @Test
    void aWrongRequestIsRefusedAFailureIsFailedAndARollbackSaysSo() {
        assertEquals(Result.OK, Edge.result(null));
        assertEquals(Result.REFUSED, Edge.result(new InvalidModuleException("x.jar", "not a bundle")));
        assertEquals(Result.REFUSED, Edge.result(new DuplicateModuleException("x.jar: duplicate", 3)));
        assertEquals(Result.REFUSED, Edge.result(new ModuleNotFoundException("nope")));
        assertEquals(Result.REFUSED, Edge.result(new AmbiguousModuleException("a", List.of("a/1", "a/2"))));
        assertEquals(Result.FAILED, Edge.result(new LifecycleException("start", "did not start", "boom", null)));
        assertEquals(Result.FAILED, Edge.result(new ModuleTimeoutException("start", "hung", "did not finish")));
        assertEquals(Result.ROLLED_BACK, Edge.result(new RolledBackException("rolled back", "boom", null)));
    }

    @Test
    void anUpdateIsAuditedAsTheCallSays() {
        Call shell = new Call("shell", "org.modreg.shell", null);
        assertEquals(Operation.UPDATE, shell.update());
        assertEquals(Operation.ROLLBACK, shell.updatingAs(Operation.ROLLBACK).update());
        assertEquals("http:alice", shell.as(" http:alice ").origin());
        assertEquals("org.modreg.shell", shell.as("http:alice").consumer(), "the consumer stays the bundle's");
        assertEquals("rolled back", Operation.ROLLBACK.versionEvent());
        assertEquals(null, Operation.START.versionEvent());
    }
}
