package org.modreg.example.textbroken;

import org.osgi.annotation.bundle.Header;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

/**
 * A new version of the text plugin that cannot start, for the tour's rollback: deployed over the
 * working version, it is dropped and the working version keeps serving. An activator on purpose:
 * only an activator that throws makes the framework's start of the bundle fail.
 */
@Header(name = Constants.BUNDLE_ACTIVATOR, value = "${@class}")
@Header(name = "Bundle-Category", value = "example,broken")
public class BrokenStartActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        throw new IllegalStateException("text 0.2.0 cannot start: its dictionary is missing (on purpose)");
    }

    @Override
    public void stop(BundleContext context) {
        // never started
    }
}
