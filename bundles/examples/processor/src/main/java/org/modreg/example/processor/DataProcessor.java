package org.modreg.example.processor;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A plugin that transforms data. Implementations are DS services that say what they can do
 * with the {@code modreg.capability} service property (see
 * {@code org.modreg.api.annotations.Capability}).
 */
@ConsumerType
public interface DataProcessor {

    /** @return a short name, for example {@code upper-case} */
    String name();

    /**
     * @param input the data
     * @return the transformed data
     */
    byte[] process(byte[] input);
}
