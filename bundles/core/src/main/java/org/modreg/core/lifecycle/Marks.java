package org.modreg.core.lifecycle;

import java.util.Map;

import org.modreg.api.dto.ModuleMark;
import org.modreg.core.index.LookupListener;
import org.modreg.core.ops.StartPolicy;

/**
 * The lifecycle marks ({@link ModuleMark.Kind}), one per module id at most: an archived module
 * may not start, a deprecated one's look-ups are warned of. A service of the core bundle.
 */
public interface Marks extends StartPolicy, LookupListener {

    /** @return whether any module is marked (the look-up hooks check nothing otherwise) */
    boolean any();

    /** @return a module's mark, or null */
    ModuleMark of(String moduleId);

    /** @return every mark, by module id */
    Map<String, ModuleMark> all();

    /** Sets a mark, in memory and in the database. */
    void put(ModuleMark m);

    /** Removes a mark. @return it, or null */
    ModuleMark remove(String moduleId);

    /** Warns, once per consumer, that a module it looks services up from is deprecated. */
    void lookedUp(String consumer, String providerId);
}
