package org.modreg.core.util;

import java.util.concurrent.ThreadFactory;

/** Threads of this bundle: daemons, named, so that none keeps a JVM up and each is found in a thread dump. */
public final class Threads {

    private Threads() {
    }

    public static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public static ThreadFactory daemons(String name) {
        return r -> daemon(r, name);
    }
}
