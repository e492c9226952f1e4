package org.modreg.core.ops;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.hooks.bundle.CollisionHook;
import org.osgi.framework.hooks.resolver.ResolverHook;
import org.osgi.framework.hooks.resolver.ResolverHookFactory;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;

/**
 * The framework hooks a replacement needs: its new version is installed beside the bundle it
 * replaces, even with the same id and version ({@link CollisionHook}), and wires to anything
 * but that bundle, which is about to go ({@link ResolverHook}).
 */
public final class ReplacementHooks {

    /** Bundles being replaced: a new bundle of the same id and version may be installed beside them. */
    private final Set<Long> replacing = ConcurrentHashMap.newKeySet();
    /** New bundle id -> the bundle it replaces, whose capabilities it must not wire to. */
    private final Map<Long, Long> shadowing = new ConcurrentHashMap<>();
    private final List<ServiceRegistration<?>> hooks = new ArrayList<>();

    public void register(BundleContext context) {
        hooks.add(context.registerService(CollisionHook.class,
                (type, target, candidates) -> candidates.removeIf(b -> replacing.contains(b.getBundleId())), null));
        ResolverHook shadow = new ShadowHook(shadowing);
        hooks.add(context.registerService(ResolverHookFactory.class, triggers -> shadow, null));
    }

    public void unregister() {
        for (ServiceRegistration<?> r : hooks) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // unregistered with the bundle already
            }
        }
        hooks.clear();
    }

    /** While a replacement of a bundle is installed, a collision with it is allowed. */
    public void replacing(long oldBundle, boolean on) {
        if (on) {
            replacing.add(oldBundle);
        } else {
            replacing.remove(oldBundle);
        }
    }

    /** A new bundle does not wire to the one it replaces, until {@link #unshadow}. */
    public void shadow(long newBundle, long oldBundle) {
        shadowing.put(newBundle, oldBundle);
    }

    public void unshadow(long newBundle) {
        shadowing.remove(newBundle);
    }

    /** Hides, from a replacement's requirements, the capabilities of the bundle it replaces. */
    private static final class ShadowHook implements ResolverHook {
        private final Map<Long, Long> shadowing;

        ShadowHook(Map<Long, Long> shadowing) {
            this.shadowing = shadowing;
        }

        @Override
        public void filterResolvable(Collection<BundleRevision> candidates) {
        }

        @Override
        public void filterSingletonCollisions(BundleCapability singleton, Collection<BundleCapability> collisions) {
        }

        @Override
        public void filterMatches(BundleRequirement requirement, Collection<BundleCapability> candidates) {
            if (shadowing.isEmpty()) {
                return;
            }
            Long hidden = shadowing.get(requirement.getRevision().getBundle().getBundleId());
            if (hidden != null) {
                candidates.removeIf(c -> c.getRevision().getBundle().getBundleId() == hidden);
            }
        }

        @Override
        public void end() {
        }
    }
}
