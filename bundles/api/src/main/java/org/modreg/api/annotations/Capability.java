package org.modreg.api.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Advertises named capabilities on a DS component's service, as the service property
 * {@value #PREFIX_}{@code capability}:
 *
 * <pre>
 * &#64;Component
 * &#64;Capability({"markdown", "text-processing"})
 * public class MarkdownProcessor implements DataProcessor { ... }
 * </pre>
 *
 * DS derives the property name from this annotation's simple name ({@code capability}) and
 * {@link #PREFIX_}; do not rename it. Not to be confused with
 * {@code org.osgi.annotation.bundle.Capability}, which writes a {@code Provide-Capability} header.
 * The registry finds such services by capability exactly as it finds bundles that declare
 * {@code Provide-Capability: modreg.capability;modreg.capability=markdown}.
 */
@ComponentPropertyType
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Capability {

    /** Prefix of the property name: the property is {@code modreg.capability}. */
    String PREFIX_ = "modreg.";

    /** The name of the service property that holds the capability names. */
    String PROPERTY = "modreg.capability";

    /** The namespace of the equivalent generic capability. */
    String NAMESPACE = "modreg.capability";

    /** @return the capability names this service provides */
    String[] value();
}
