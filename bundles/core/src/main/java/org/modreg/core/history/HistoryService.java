package org.modreg.core.history;

import org.modreg.core.Call;
import org.modreg.core.Registry;
import org.modreg.core.content.ContentStore;
import org.modreg.core.deploy.DeployDirectory;
import org.modreg.core.records.RecordStore;
import org.modreg.core.wiring.ApiDiff;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.modreg.api.InvalidQueryException;
import org.modreg.api.LifecycleException;
import org.modreg.api.ModuleException;
import org.modreg.api.ModuleHistory;
import org.modreg.api.ModuleNotFoundException;
import org.modreg.api.ModuleSource;
import org.modreg.api.dto.DeployResult;
import org.modreg.api.dto.Module;
import org.modreg.api.dto.ModuleDiff;
import org.modreg.api.dto.ModuleVersion;
import org.modreg.api.dto.VerifyReport;
import org.osgi.framework.Version;
import org.osgi.framework.VersionRange;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@link ModuleHistory} service: the version rows the registry writes, the bytes the content
 * store keeps, and the registry's and the deployer's update pipelines to go back.
 */
@Component(service = ModuleHistory.class, scope = org.osgi.service.component.annotations.ServiceScope.BUNDLE)
public final class HistoryService implements ModuleHistory {

    private final Registry registry;
    private final DeployDirectory deployer;
    /** A view per calling bundle, as the registry's: a rollback is audited under its caller. */
    private final Call call;

    @Activate
    public HistoryService(org.osgi.service.component.ComponentContext context, @Reference Registry registry,
            @Reference DeployDirectory deployer) {
        this(registry, deployer, Call.of(context.getUsingBundle()));
    }

    private HistoryService(Registry registry, DeployDirectory deployer, Call call) {
        this.registry = registry;
        this.deployer = deployer;
        this.call = call;
    }

    @Override
    public ModuleHistory as(String origin) {
        return new HistoryService(registry, deployer, call.as(origin));
    }

    @Override
    public List<ModuleVersion> history(String moduleId) {
        Set<String> installed = new HashSet<>();
        for (Module m : registry.list()) {
            if (m.id().equals(moduleId) && m.content().isKnown()) {
                installed.add(m.content().digest());
            }
        }
        List<ModuleVersion> out = new ArrayList<>();
        for (RecordStore.VersionRow r : registry.versions(moduleId)) {
            boolean kept = r.digest() != null && Files.isRegularFile(registry.storedFile(r.digest()));
            out.add(new ModuleVersion(r.moduleId(), Version.parseVersion(r.version()), r.digest(), r.size(), r.time(), r.origin(),
                    r.event(), kept, r.digest() != null && installed.contains(r.digest())));
        }
        return out;
    }

    @Override
    public Module rollback(String moduleId, String version) {
        Module m = registry.get(moduleId);
        List<ModuleVersion> kept = history(moduleId).stream().filter(ModuleVersion::kept).toList();
        ModuleVersion target = null;
        Version wanted = null;
        if (version != null) {
            try {
                wanted = Version.parseVersion(version);
            } catch (IllegalArgumentException e) {
                throw new InvalidQueryException("\"" + version + "\" is not a version: " + e.getMessage(), e);
            }
        }
        for (int i = kept.size() - 1; i >= 0 && target == null; i--) {
            ModuleVersion v = kept.get(i);
            boolean current = v.digest().equals(m.content().digest());
            if (wanted == null ? !current : v.version().equals(wanted)) {
                target = v;
            }
        }
        if (target == null) {
            throw new ModuleNotFoundException(moduleId, moduleId + (wanted == null ? ": no earlier version is kept"
                    : " " + wanted + ": no such version is kept") + " (module:history " + moduleId + " lists them)");
        }
        if (target.digest().equals(m.content().digest())) {
            return m; // that version runs already
        }
        Path bytes = registry.storedFile(target.digest());
        Path file = deployer.deployedFile(m);
        if (file == null) {
            return registry.rollbackTo(call, m.ref(), ModuleSource.of(bytes));
        }
        DeployResult r = deployer.replaceFile(call, file, bytes);
        return switch (r.outcome()) {
            case UPDATED, UNCHANGED -> r.module();
            case ROLLED_BACK -> throw new LifecycleException("rollback", r.message(), r.message(), null);
            default -> throw new ModuleException(r.message());
        };
    }

    @Override
    public ModuleVersion resolve(String moduleId, String range) {
        VersionRange r;
        try {
            r = VersionRange.valueOf(range.trim());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidQueryException("\"" + range + "\" is not an OSGi version range, such as [1.2,2) or 1.2: "
                    + e.getMessage(), e);
        }
        List<ModuleVersion> candidates = new ArrayList<>();
        for (ModuleVersion v : history(moduleId)) {
            if ((v.kept() || v.installed()) && r.includes(v.version())) {
                candidates.add(v);
            }
        }
        // the highest version; of the same version, the installed bytes, then the latest
        return candidates.stream().max(Comparator.comparing(ModuleVersion::version)
                .thenComparing(ModuleVersion::installed).thenComparing(ModuleVersion::time))
                .orElseThrow(() -> new ModuleNotFoundException(moduleId, moduleId + " " + range + ": no kept or installed version"
                        + " in that range (module:history " + moduleId + " lists them)"));
    }

    @Override
    public ModuleDiff diff(String moduleId, String from, String to) {
        ModuleVersion a = kept(moduleId, from);
        ModuleVersion b = kept(moduleId, to);
        return ApiDiff.diff(moduleId, a.version(), registry.storedFile(a.digest()), b.version(), registry.storedFile(b.digest()));
    }

    /** @return the latest kept bytes of a version */
    private ModuleVersion kept(String moduleId, String version) {
        Version v;
        try {
            v = Version.parseVersion(version);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidQueryException("\"" + version + "\" is not a version: " + e.getMessage(), e);
        }
        List<ModuleVersion> h = history(moduleId);
        for (int i = h.size() - 1; i >= 0; i--) {
            if (h.get(i).kept() && h.get(i).version().equals(v)) {
                return h.get(i);
            }
        }
        throw new ModuleNotFoundException(moduleId, moduleId + " " + v + ": no such version is kept (module:history " + moduleId
                + " lists them)");
    }

    @Override
    public VerifyReport verify(String moduleId) {
        List<String> problems = new ArrayList<>();
        Set<String> digests = new HashSet<>();
        int checked = 0;
        if (moduleId == null) {
            try (Stream<Path> files = Files.list(registry.storeDir())) {
                files.filter(p -> p.getFileName().toString().matches("[0-9a-f]{64}\\.jar"))
                        .forEach(p -> digests.add(p.getFileName().toString().substring(0, 64)));
            } catch (IOException e) {
                problems.add(registry.storeDir() + ": cannot be listed: " + e.getMessage());
            }
        } else {
            registry.get(moduleId); // not found is an error, not an empty report
            history(moduleId).stream().filter(ModuleVersion::kept).forEach(v -> digests.add(v.digest()));
        }
        for (Module m : registry.list()) {
            if ((moduleId == null || m.id().equals(moduleId)) && m.content().isKnown() && m.content().stored() != null) {
                Path stored = Path.of(m.content().stored());
                if (!Files.isRegularFile(stored)) {
                    problems.add(m.ref() + " (bundle " + m.bundleId() + "): its bytes " + stored + " are missing");
                } else {
                    digests.add(m.content().digest());
                }
            }
        }
        for (String d : digests) {
            Path p = registry.storedFile(d);
            try {
                String actual = ContentStore.digest(p);
                checked++;
                if (!actual.equals(d)) {
                    problems.add(p + ": its SHA-256 is " + actual + ", not the " + d + " it is stored under (changed on disk)");
                }
            } catch (IOException e) {
                problems.add(p + ": cannot be read: " + e.getMessage());
            }
        }
        problems.sort(null);
        return new VerifyReport(checked, problems);
    }
}
