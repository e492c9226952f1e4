package org.modreg.core.wiring;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.hooks.resolver.ResolverHook;
import org.osgi.framework.hooks.resolver.ResolverHookFactory;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;

/**
 * The framework's resolver hooks for one dry-run resolve, called as the framework calls them for a
 * resolve (OSGi Core R8 §60, Resolver Hook Service; Felix 7's {@code StatefulResolver}): the
 * {@link ResolverHookFactory} services registered when it begins, highest ranking first, each asked
 * to {@link ResolverHookFactory#begin begin} with the triggers; {@code filterResolvable} once, for
 * the unresolved revisions; {@code filterSingletonCollisions} for each singleton; {@code
 * filterMatches} at each look-up of providers; {@link ResolverHook#end() end} at {@link #close()}.
 * A hook whose service is unregistered meanwhile is no longer called.
 *
 * <p>A hook that throws from {@code begin}, {@code filterResolvable} or {@code
 * filterSingletonCollisions} fails the resolve, as the framework fails it (a {@code BundleException}
 * {@code REJECTED_BY_HOOK}): that is {@link #failure()}. One that throws from {@code filterMatches}
 * or {@code end} is ignored, as Felix logs and ignores it: that is a {@link #warnings() warning}.
 *
 * <p>Calls are serialised: a resolver hook is not thread-safe, and the resolver may look up providers
 * from several threads.
 */
final class CheckHooks implements AutoCloseable {

    /**
     * A hook factory as a check calls it.
     *
     * @param name       how a report names it: "the resolver hook of w.hook 1.0.0 (bundle 42), service 170"
     * @param factory    the factory
     * @param registered whether its service is still registered
     */
    record Factory(String name, ResolverHookFactory factory, BooleanSupplier registered) {
    }

    private record Hook(String name, ResolverHook hook, BooleanSupplier registered) {
    }

    private final List<Hook> hooks;
    private final Runnable release;
    private final Set<String> warnings = new LinkedHashSet<>();
    private String failure;
    private boolean closed;

    private CheckHooks(List<Hook> hooks, Runnable release) {
        this.hooks = hooks;
        this.release = release;
    }

    /** @return a resolve that no hook takes part in */
    static CheckHooks none() {
        return new CheckHooks(List.of(), () -> { });
    }

    /**
     * Begins a resolve with the hook factories registered now.
     *
     * @param context  the bundle context to get them with; they are released at {@link #close()}
     * @param triggers the revisions the resolve is for
     */
    static CheckHooks begin(BundleContext context, Collection<BundleRevision> triggers) {
        List<ServiceReference<ResolverHookFactory>> refs;
        try {
            refs = new ArrayList<>(context.getServiceReferences(ResolverHookFactory.class, null));
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e); // no filter, so no syntax
        }
        // the highest ranking first, then the oldest service: the reverse of their natural order
        refs.sort(Collections.reverseOrder());
        List<Factory> factories = new ArrayList<>();
        List<ServiceReference<ResolverHookFactory>> got = new ArrayList<>();
        for (ServiceReference<ResolverHookFactory> ref : refs) {
            ResolverHookFactory f = context.getService(ref);
            if (f != null) {
                got.add(ref);
                factories.add(new Factory(name(ref), f, () -> ref.getBundle() != null));
            }
        }
        return begin(factories, triggers, () -> {
            for (ServiceReference<ResolverHookFactory> ref : got) {
                try {
                    context.ungetService(ref);
                } catch (IllegalStateException e) {
                    // our context is gone: so are the services it had
                }
            }
        });
    }

    /**
     * Begins a resolve with the given hook factories, in the order given.
     *
     * @param release run at {@link #close()}, after each hook's end
     */
    static CheckHooks begin(List<Factory> factories, Collection<BundleRevision> triggers, Runnable release) {
        Collection<BundleRevision> unmodifiable = Collections.unmodifiableList(new ArrayList<>(triggers));
        List<Hook> hooks = new ArrayList<>();
        String failure = null;
        for (Factory f : factories) {
            try {
                ResolverHook h = f.factory().begin(unmodifiable);
                if (h != null) {
                    hooks.add(new Hook(f.name(), h, f.registered()));
                }
            } catch (RuntimeException | LinkageError e) {
                // as the framework does: no further factory is asked, those asked end, the resolve fails
                failure = f.name() + " threw as the resolve began: " + e;
                break;
            }
        }
        CheckHooks c = new CheckHooks(hooks, release);
        c.failure = failure;
        return c;
    }

    /** @return how a report names the hook a service's factory gives */
    static String name(ServiceReference<?> ref) {
        Bundle b = ref.getBundle();
        String of = b == null ? "an unregistered service" : b.getSymbolicName() + " " + b.getVersion() + " (bundle " + b.getBundleId() + ")";
        return "the resolver hook of " + of + ", service " + ref.getProperty(Constants.SERVICE_ID);
    }

    /** @return whether a hook takes part */
    synchronized boolean active() {
        return !hooks.isEmpty();
    }

    /** @return why the framework would fail this resolve: a hook threw where that fails it; null if none did */
    synchronized String failure() {
        return failure;
    }

    /** @return what hooks did that the framework ignores: they threw where that does not fail a resolve */
    synchronized List<String> warnings() {
        return List.copyOf(warnings);
    }

    private List<Hook> live() {
        List<Hook> live = new ArrayList<>();
        for (Hook h : hooks) {
            if (h.registered().getAsBoolean()) {
                live.add(h);
            }
        }
        return live;
    }

    /**
     * Lets each hook remove revisions that must not resolve.
     *
     * @param unresolved the revisions this resolve could resolve
     * @return those removed, each with the name of the hook that removed it; empty after a failure
     */
    synchronized Map<BundleRevision, String> filterResolvable(Collection<BundleRevision> unresolved) {
        Map<BundleRevision, String> removed = new IdentityHashMap<>();
        if (failure != null || hooks.isEmpty()) {
            return removed;
        }
        Shrinkable<BundleRevision> resolvable = new Shrinkable<>(unresolved);
        for (Hook h : live()) {
            resolvable.onRemove(r -> removed.putIfAbsent(r, h.name()));
            try {
                h.hook().filterResolvable(resolvable);
            } catch (RuntimeException | LinkageError e) {
                failure = h.name() + " threw from filterResolvable: " + e;
                return new IdentityHashMap<>();
            }
        }
        return removed;
    }

    /**
     * Lets each hook remove collisions of a singleton: the singletons of its name that may not
     * resolve with it.
     *
     * @param singleton  a singleton's bundle capability
     * @param collisions the bundle capabilities of the other singletons of its name; hooks remove from it
     */
    synchronized void filterSingletonCollisions(BundleCapability singleton, Shrinkable<BundleCapability> collisions) {
        if (failure != null) {
            return;
        }
        for (Hook h : live()) {
            try {
                h.hook().filterSingletonCollisions(singleton, collisions);
            } catch (RuntimeException | LinkageError e) {
                failure = h.name() + " threw from filterSingletonCollisions: " + e;
                return;
            }
        }
    }

    /**
     * Lets each hook remove providers of a requirement.
     *
     * @param requirement the requirement
     * @param candidates  capabilities that match it
     * @return those removed, each with the name of the hook that removed it
     */
    synchronized Map<BundleCapability, String> filterMatches(BundleRequirement requirement, List<BundleCapability> candidates) {
        Map<BundleCapability, String> removed = new IdentityHashMap<>();
        if (failure != null || hooks.isEmpty() || candidates.isEmpty()) {
            return removed;
        }
        Shrinkable<BundleCapability> matches = new Shrinkable<>(candidates);
        for (Hook h : live()) {
            matches.onRemove(c -> removed.putIfAbsent(c, h.name()));
            try {
                h.hook().filterMatches(requirement, matches);
            } catch (RuntimeException | LinkageError e) {
                // Felix logs it and goes on with the next hook
                warnings.add(h.name() + " threw from filterMatches: " + e + "; ignored, as the framework ignores it");
            }
        }
        return removed;
    }

    /** Ends each hook, then releases the factories. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            for (Hook h : live()) {
                try {
                    h.hook().end();
                } catch (RuntimeException | LinkageError e) {
                    warnings.add(h.name() + " threw from end: " + e + "; ignored, as the framework ignores it");
                }
            }
        } finally {
            release.run();
        }
    }
}
