package org.modreg.core.wiring;

import java.util.Map;

import org.apache.felix.utils.resource.ResourceImpl;

/**
 * A jar being checked, as the resolver sees it: the resource its manifest describes (built by felix
 * utils' {@code ResourceBuilder}), with what a resolver hook may ask of the bundle it would become,
 * its location and headers.
 */
final class CandidateResource extends ResourceImpl {

    private final String location;
    private final Map<String, String> headers;

    CandidateResource(String location, Map<String, String> headers) {
        this.location = location;
        this.headers = Map.copyOf(headers);
    }

    /** @return the location it would be installed from */
    String location() {
        return location;
    }

    /** @return its manifest's main attributes */
    Map<String, String> headers() {
        return headers;
    }
}
