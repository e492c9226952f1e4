package org.modreg.example.hanging;

import java.util.concurrent.CountDownLatch;

import org.osgi.annotation.bundle.Header;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

/**
 * Blocks in start until its thread is interrupted, as an activator waiting for a resource that
 * never comes. A BundleActivator on purpose: it is the framework's start that must hang.
 */
@Header(name = Constants.BUNDLE_ACTIVATOR, value = "${@class}")
@Header(name = "Bundle-Category", value = "example,broken")
public class HangingActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) throws InterruptedException {
        new CountDownLatch(1).await();
    }

    @Override
    public void stop(BundleContext context) {
        // never started
    }
}
