package org.modreg.bench;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * The HTTP plane of a real daemon (the built distribution, as {@code ./modreg --daemon} runs it)
 * with 1,000 modules installed: requests per second and p50/p99 latency of
 * {@code GET /api/v1/modules} (every record) and of a capability query, with 1 and 32 concurrent
 * clients; then a module installed by upload ({@code POST /api/v1/modules}, answered once it is
 * ACTIVE) against the same kind of module dropped into the deploy directory (file renamed into
 * place until its {@code STARTED} event arrives on {@code /api/v1/events}), alternated.
 *
 * <pre>
 * java -cp "bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" org.modreg.bench.HttpBench [modules] [seconds]
 * </pre>
 *
 * Each load is bounded (a few seconds, a fixed number of clients) and goes to 127.0.0.1 only.
 */
public final class HttpBench {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .executor(java.util.concurrent.Executors.newFixedThreadPool(40)).build();

    private HttpBench() {
    }

    public static void main(String[] args) throws Exception {
        int modules = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path dist = Path.of(System.getProperty("dist.dir", "runtime/target/modreg")).toAbsolutePath();
        Path home = Files.createTempDirectory("modreg-httpbench-");
        try {
            Path deploy = Files.createDirectories(home.resolve("deploy"));
            for (int i = 0; i < modules; i++) {
                Files.write(deploy.resolve("m" + i + ".jar"), jar("bench.http.m" + i, "cap-" + (i % 100)));
            }
            int port;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                port = s.getLocalPort();
            }
            long t0 = System.nanoTime();
            Process daemon = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                    "-Dorg.osgi.service.http.port=" + port, "-jar", dist.resolve("lib/modreg-runtime.jar").toString(),
                    "--home", home.toString(), "--daemon").redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(daemon.getInputStream(), StandardCharsets.UTF_8));
            String ready;
            while ((ready = out.readLine()) != null && !ready.startsWith("modreg ready")) {
                // the deploy directory's progress lines
            }
            if (ready == null) {
                throw new IllegalStateException("the daemon did not start");
            }
            Thread drain = new Thread(() -> out.lines().forEach(l -> { }));
            drain.setDaemon(true);
            drain.start();
            String base = "http://127.0.0.1:" + port;
            String token = "Bearer " + Files.readString(home.resolve("data/modreg/http/token")).strip();
            try {
                int installed = count(base, token);
                System.out.printf("HTTP plane benchmark: %d modules installed (%d deployed from the directory in %.1f s), %d s a"
                        + " load, %s, %d cores%n", installed, modules, (System.nanoTime() - t0) / 1e9, seconds,
                        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
                for (String[] q : new String[][] { { "GET /api/v1/modules (every record)", "/api/v1/modules" },
                        { "GET /api/v1/modules?view=summary", "/api/v1/modules?view=summary" },
                        { "GET /api/v1/modules?capability=cap-7", "/api/v1/modules?capability=cap-7" } }) {
                    for (int clients : new int[] { 1, 32 }) {
                        load(q[0], base + q[1], token, clients, 1); // warm-up
                        print(q[0], clients, load(q[0], base + q[1], token, clients, seconds), seconds);
                    }
                }
                installs(base, token, deploy, 20);
            } finally {
                daemon.destroy();
                daemon.waitFor(30, TimeUnit.SECONDS);
            }
        } finally {
            BenchSupport.deleteTree(home);
        }
    }

    private static int count(String base, String token) throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/stats")).header("Authorization", token).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return body.split("\"id\"").length - 1;
    }

    /** Latencies in nanoseconds of every request answered 200 within the time, by that many clients in a loop. */
    private static long[] load(String what, String url, String token, int clients, int seconds) throws Exception {
        List<long[]> all = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Thread[] threads = new Thread[clients];
        AtomicBoolean failed = new AtomicBoolean();
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).header("Authorization", token).timeout(Duration.ofSeconds(30)).build();
        for (int c = 0; c < clients; c++) {
            long[] mine = new long[1 << 20];
            all.add(mine);
            threads[c] = new Thread(() -> {
                int n = 0;
                try {
                    while (System.nanoTime() < end && n < mine.length - 1) {
                        long t = System.nanoTime();
                        HttpResponse<byte[]> r = HTTP.send(req, HttpResponse.BodyHandlers.ofByteArray());
                        if (r.statusCode() != 200) {
                            failed.set(true);
                            return;
                        }
                        mine[++n] = System.nanoTime() - t;
                    }
                } catch (IOException | InterruptedException e) {
                    failed.set(true);
                }
                mine[0] = n;
            });
            threads[c].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failed.get()) {
            throw new IllegalStateException(what + ": a request failed");
        }
        int total = 0;
        for (long[] m : all) {
            total += (int) m[0];
        }
        long[] lat = new long[total];
        int k = 0;
        for (long[] m : all) {
            System.arraycopy(m, 1, lat, k, (int) m[0]);
            k += (int) m[0];
        }
        return lat;
    }

    private static void print(String what, int clients, long[] lat, int seconds) {
        Arrays.sort(lat);
        System.out.printf("  %-40s %2d client%s %8.0f req/s   p50 %7.2f ms   p99 %7.2f ms%n", what, clients, clients == 1 ? " " : "s",
                lat.length / (double) seconds, BenchSupport.percentile(lat, 0.50) / 1e6, BenchSupport.percentile(lat, 0.99) / 1e6);
    }

    /** Upload against file drop, alternated: each from the first byte sent (or the rename) to the module ACTIVE. */
    private static void installs(String base, String token, Path deploy, int n) throws Exception {
        Map<String, CountDownLatch> waiting = new ConcurrentHashMap<>();
        HttpRequest events = HttpRequest.newBuilder(URI.create(base + "/api/v1/events?topic=org/modreg/module/STARTED"))
                .header("Authorization", token).build();
        CountDownLatch open = new CountDownLatch(1);
        var stream = HTTP.sendAsync(events, HttpResponse.BodyHandlers.ofLines()).thenAccept(r -> r.body().forEach(l -> {
            open.countDown();
            int i = l.indexOf("\"module.id\":\"");
            if (l.startsWith("data:") && i > 0) {
                String id = l.substring(i + 13, l.indexOf('"', i + 13));
                CountDownLatch w = waiting.get(id);
                if (w != null) {
                    w.countDown();
                }
            }
        }));
        if (!open.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no event stream");
        }
        long[] upload = new long[n];
        long[] drop = new long[n];
        for (int i = 0; i < n; i++) {
            byte[] a = jar("bench.http.upload" + i, "cap-upload");
            long t = System.nanoTime();
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/modules?start=true&name=u" + i + ".jar"))
                    .header("Authorization", token).header("Content-Type", "application/java-archive")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(a)).build(), HttpResponse.BodyHandlers.ofString());
            upload[i] = System.nanoTime() - t;
            if (r.statusCode() != 201) {
                throw new IllegalStateException("upload: " + r.statusCode() + " " + r.body());
            }
            String id = "bench.http.drop" + i;
            byte[] b = jar(id, "cap-drop");
            CountDownLatch started = new CountDownLatch(1);
            waiting.put(id, started);
            Path tmp = deploy.resolve(".d" + i + ".tmp");
            Files.write(tmp, b);
            t = System.nanoTime();
            Files.move(tmp, deploy.resolve("d" + i + ".jar"), StandardCopyOption.ATOMIC_MOVE);
            if (!started.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(id + " did not start");
            }
            drop[i] = System.nanoTime() - t;
        }
        stream.cancel(true);
        Arrays.sort(upload);
        Arrays.sort(drop);
        System.out.printf("  install by upload (POST, answered ACTIVE)   median %6.1f ms   (min %6.1f, max %6.1f)   %d runs%n",
                BenchSupport.percentile(upload, 0.5) / 1e6, upload[0] / 1e6, upload[n - 1] / 1e6, n);
        System.out.printf("  install by file drop (rename -> STARTED)    median %6.1f ms   (min %6.1f, max %6.1f)   %d runs%n",
                BenchSupport.percentile(drop, 0.5) / 1e6, drop[0] / 1e6, drop[n - 1] / 1e6, n);
    }

    /** A small plugin's bundle: an export, an import of the framework, a named capability. */
    static byte[] jar(String bsn, String capability) throws IOException {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", bsn);
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Bundle-Name", "HTTP bench module " + bsn);
        a.putValue("Export-Package", bsn + ".api;version=1.0.0");
        a.putValue("Import-Package", "org.osgi.framework;version=\"[1.8,2)\"");
        a.putValue("Provide-Capability", "modreg.capability;modreg.capability=" + capability);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, mf)) {
            jar.putNextEntry(new JarEntry(bsn.replace('.', '/') + "/api/readme.txt"));
            jar.write(("bench bundle " + bsn).getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return bytes.toByteArray();
    }
}
