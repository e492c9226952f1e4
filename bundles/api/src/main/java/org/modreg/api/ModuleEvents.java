package org.modreg.api;

/**
 * Event Admin topics and property names of the registry's events. Every change of a module is
 * posted (asynchronously) under {@link #TOPIC_PREFIX}, whoever caused it; subscribe to
 * {@link #TOPIC_ALL} for all of them.
 */
public final class ModuleEvents {

    /** Prefix of every module topic. */
    public static final String TOPIC_PREFIX = "org/modreg/module/";
    /** Wildcard topic for all module events. */
    public static final String TOPIC_ALL = TOPIC_PREFIX + "*";

    /** A module was installed. */
    public static final String TOPIC_INSTALLED = TOPIC_PREFIX + "INSTALLED";
    /** A module was resolved. */
    public static final String TOPIC_RESOLVED = TOPIC_PREFIX + "RESOLVED";
    /** A module was unresolved (by a refresh). */
    public static final String TOPIC_UNRESOLVED = TOPIC_PREFIX + "UNRESOLVED";
    /** A module was started. */
    public static final String TOPIC_STARTED = TOPIC_PREFIX + "STARTED";
    /** A module was stopped. */
    public static final String TOPIC_STOPPED = TOPIC_PREFIX + "STOPPED";
    /** A module was updated to new bytes. */
    public static final String TOPIC_UPDATED = TOPIC_PREFIX + "UPDATED";
    /** An operation on a module failed; {@link #ERROR} says why. */
    public static final String TOPIC_FAILED = TOPIC_PREFIX + "FAILED";
    /** A module was uninstalled. */
    public static final String TOPIC_UNINSTALLED = TOPIC_PREFIX + "UNINSTALLED";
    /**
     * An update failed and the previous version was kept, or put back; {@link #ERROR} says why,
     * {@link #FILE} names the jar when it came from the deploy directory.
     */
    public static final String TOPIC_ROLLED_BACK = TOPIC_PREFIX + "ROLLED_BACK";
    /**
     * A module looked up services of a deprecated module, the first time it did (property
     * {@link #CONSUMER}); logged as a warning too.
     */
    public static final String TOPIC_DEPRECATED_USE = TOPIC_PREFIX + "DEPRECATED_USE";

    /** Prefix of the deploy directory's topics. Not under {@link #TOPIC_PREFIX}. */
    public static final String DEPLOY_TOPIC_PREFIX = "org/modreg/deploy/";
    /**
     * A file of the deploy directory was not deployed (not a bundle, would not resolve, failed
     * to start, a duplicate); carries {@link #FILE} and {@link #ERROR}. Posted once per content
     * of the file.
     */
    public static final String TOPIC_DEPLOY_FAILED = DEPLOY_TOPIC_PREFIX + "FAILED";

    /**
     * How far the deploy directory is with a batch of ten files or more (a first start with a full
     * directory, a large copy): posted when the batch begins ({@link #DONE} 0), after every tenth
     * of it, and when it ends, with {@link #TOTAL}, {@link #DONE} and, at the end, {@link #FAILED_COUNT}.
     * The same figures go to the log.
     */
    public static final String TOPIC_DEPLOY_PROGRESS = DEPLOY_TOPIC_PREFIX + "PROGRESS";

    /**
     * The capability index changed (a module was indexed again or dropped); carries
     * {@link #MODULE_ID} and {@link #BUNDLE_ID} of the module. Not under {@link #TOPIC_PREFIX}.
     */
    public static final String TOPIC_INDEX_UPDATED = "org/modreg/index/UPDATED";

    /** The module id ({@code Bundle-SymbolicName}), a String. */
    public static final String MODULE_ID = "module.id";
    /** The module version, a String. */
    public static final String MODULE_VERSION = "module.version";
    /** The module's {@link ModuleState} name after the change, a String. */
    public static final String MODULE_STATE = "module.state";
    /** The bundle id, a Long. */
    public static final String BUNDLE_ID = "bundle.id";
    /** On {@link #TOPIC_FAILED}: the operation that failed, a String. */
    public static final String OPERATION = "operation";
    /** On {@link #TOPIC_FAILED}: the reason, a String. */
    public static final String ERROR = "error";
    /** On deploy events: the file, an absolute path, a String. */
    public static final String FILE = "file";
    /** On {@link #TOPIC_DEPLOY_PROGRESS}: the files of the batch, an Integer. */
    public static final String TOTAL = "total";
    /** On {@link #TOPIC_DEPLOY_PROGRESS}: the files of the batch applied so far, an Integer. */
    public static final String DONE = "done";
    /** On {@link #TOPIC_DEPLOY_PROGRESS}, at the end of the batch: the files not deployed, an Integer. */
    public static final String FAILED_COUNT = "failed";
    /** Event property: the module id of the consumer (on {@link #TOPIC_DEPRECATED_USE}). */
    public static final String CONSUMER = "consumer";

    private ModuleEvents() {
    }
}
