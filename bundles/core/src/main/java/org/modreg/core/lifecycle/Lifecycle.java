package org.modreg.core.lifecycle;

import java.util.List;
import java.util.Optional;

import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleMark;
import org.modreg.core.Call;

/**
 * Lifecycle marks and retention, as the {@link org.modreg.api.ModuleLifecycle} views use them:
 * each operation takes the {@link Call} it is audited under. Internal to the core bundle.
 */
public interface Lifecycle {

    /** Configuration PID of retention. */
    String PID = "org.modreg.retention";

    ModuleMark deprecate(Call call, String moduleId, String reason, String replacement);

    /** Marks every installed version archived and stops those running. */
    List<Module> archive(Call call, String moduleId, String reason);

    /** @throws org.modreg.api.ModuleNotFoundException if the module is neither marked nor installed */
    Optional<ModuleMark> unmark(Call call, String moduleId);

    /** Uninstalls every version and removes the kept bytes (and a deployed module's file). */
    List<Module> delete(Call call, String moduleId, boolean force);

    /** Applies retention now. @return what it did, a line each */
    List<String> retain(Call call);

    /** @return the marks of the moment */
    Marks marks();
}
