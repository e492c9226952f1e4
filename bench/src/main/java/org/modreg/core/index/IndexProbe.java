package org.modreg.core.index;

import org.modreg.api.dto.Module;

/** Gives the benchmark the package-private index; not part of any bundle. */
public final class IndexProbe {
    private final ModuleIndex index = new ModuleIndex();

    public void put(Module m) {
        index.put(m);
    }

    public int size() {
        return index.size();
    }
}
