package org.modreg.core.index;

import java.util.List;

import org.modreg.api.dto.ServiceMatch;

/**
 * Told of each look-up of services by capability through the registry (the statistics count
 * them; the lifecycle marks warn of deprecated providers). A whiteboard service of the core
 * bundle; called on the caller's thread: keep it short.
 */
public interface LookupListener {

    /**
     * @param consumer the symbolic name of the bundle that looked up; null if unknown
     * @param found    what it found
     */
    void lookedUp(String consumer, List<ServiceMatch<Object>> found);
}
