package org.modreg.core.ops;

import org.modreg.api.dto.Module;

/**
 * Whether a module may start now. Asked before every start the registry makes (an archived
 * module may not); a service of the core bundle, implemented by the lifecycle marks.
 */
public interface StartPolicy {

    /** Why a module may not start now, and what to do about it. */
    record Refusal(String reason, String hint) {
    }

    /** @return why the module may not start; null if it may */
    Refusal refusal(Module module);
}
