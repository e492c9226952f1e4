package org.modreg.example.failing;

import org.osgi.annotation.bundle.Header;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

/**
 * Refuses to start. A BundleActivator, not a DS component, on purpose: only an activator that
 * throws makes the framework's start of the bundle fail.
 */
@Header(name = Constants.BUNDLE_ACTIVATOR, value = "${@class}")
@Header(name = "Bundle-Category", value = "example,broken")
public class FailingActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        throw new IllegalStateException("the failing example refuses to start, on purpose");
    }

    @Override
    public void stop(BundleContext context) {
        // never started
    }
}
