#!/usr/bin/env python3
"""Measures the modreg container: start to a usable shell, shutdown after SIGTERM, and resident
memory after start. Medians of several runs; prints the figures, changes nothing.

    python3 bench/startup.py [--runs N] [--java-opts="..."] [--floor] [--vs DIST] [--rss-after S]

--floor also measures, interleaved with modreg's start, the floor under it: the same launcher,
framework and JVM options with only SCR, Gogo, JLine and Jansi as boot bundles (no modreg, no Config
Admin, Event Admin, Metatype, Log or database) and a profile that only sets the prompt.

--vs DIST measures another distribution (runtime/target/modreg of another checkout: the build before a
change) interleaved with this one, run for run, with the same JVM options (each with its own CDS archive).
--rss-after S takes the resident memory S seconds after the daemon is ready (default 0.5): a container
still finishing its start in the background (the database, JIT) grows for a few seconds more.

It needs a built distribution (./modreg builds one, with its class-data-sharing archive). The
JVM options are those ./modreg gives a shell or a daemon (the archive, C2 for hot code only)
unless --java-opts says otherwise. Each run uses
a fresh home in a temporary directory, except that the first run of each kind is a warm-up
that fills the framework cache (a container is started far more often than installed).
"""
import argparse
import fcntl
import os
import pty
import select
import shutil
import signal
import statistics
import struct
import subprocess
import tempfile
import termios
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAUNCHER = os.path.join(ROOT, "runtime", "target", "modreg", "lib", "modreg-runtime.jar")
CDS = os.path.join(ROOT, "runtime", "target", "modreg", "modreg.jsa")
C2_LATER = ("-XX:Tier4InvocationThreshold=200000 -XX:Tier4MinInvocationThreshold=100000 "
            "-XX:Tier4CompileThreshold=250000 -XX:Tier4BackEdgeThreshold=2000000")


def java(opts, home, *args, launcher=LAUNCHER):
    return ["java", *opts, "-jar", launcher, "--home", home, *args]


def shell_start(opts, home, launcher=LAUNCHER, kill=False):
    """Seconds from spawning the JVM to the interactive prompt, in a pseudo-terminal."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp("java", java(opts, home, launcher=launcher))
    t0 = time.perf_counter()
    # a terminal of a real size: JLine draws no prompt on a 0x0 one
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    seen = b""
    try:
        while b"modreg> " not in seen:
            r, _, _ = select.select([fd], [], [], 30)
            if not r:
                raise RuntimeError("no prompt within 30 s: %r" % seen[-200:])
            seen += os.read(fd, 4096)
        elapsed = time.perf_counter() - t0
        if kill:
            os.kill(pid, signal.SIGKILL)  # the floor has no registry for the launcher to wait for
        else:
            os.write(fd, b"\x04")  # Ctrl-D: stop the container
        os.waitpid(pid, 0)
        return elapsed
    finally:
        os.close(fd)


def daemon(opts, home, launcher=LAUNCHER, rss_after=0.5):
    """(seconds from SIGTERM to exit, RSS in MB once ready) of a --daemon container."""
    p = subprocess.Popen(java(opts, home, "--daemon", launcher=launcher), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    line = p.stdout.readline().decode()
    if not line.startswith("modreg ready"):
        raise RuntimeError("did not start: " + line)
    time.sleep(rss_after)  # let start-up threads settle, as an operator's first command would
    with open("/proc/%d/status" % p.pid) as f:
        rss_kb = next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))
    t0 = time.perf_counter()
    p.send_signal(signal.SIGTERM)
    p.wait(30)
    return time.perf_counter() - t0, rss_kb / 1024


# the boot bundles of the floor: the shell of the fixed stack and what SCR needs
FLOOR_BUNDLES = ("org.apache.felix.scr-", "org.osgi.service.component-", "org.osgi.util.function-",
                 "org.osgi.util.promise-", "org.apache.felix.gogo.", "jline-", "jansi-")


def floor_dist(where):
    """A copy of the distribution with the floor's boot bundles only, and its own CDS archive."""
    dist = os.path.join(where, "floor")
    shutil.copytree(os.path.dirname(os.path.dirname(LAUNCHER)), dist, symlinks=True)
    system = os.path.join(dist, "system")
    for jar in os.listdir(system):
        if not jar.startswith(FLOOR_BUNDLES):
            os.remove(os.path.join(system, jar))
    with open(os.path.join(dist, "etc", "gosh_profile"), "w") as f:
        f.write("prompt = 'modreg> '\n")
    jsa = os.path.join(dist, "modreg.jsa")
    if os.path.exists(jsa):
        os.remove(jsa)
    launcher = os.path.join(dist, "lib", "modreg-runtime.jar")
    # as ./modreg makes modreg's archive; the run is cut short once Gogo has started
    scratch = os.path.join(where, "floor-archive")
    p = subprocess.Popen(["java", "-XX:ArchiveClassesAtExit=" + jsa, "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-jar",
                          launcher, "--home", scratch, "-c", "echo"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(5)
    p.send_signal(signal.SIGTERM)
    p.wait(30)
    return launcher, jsa


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    # as ./modreg starts a shell or a daemon (keep in step with it): its CDS archive, C2 for hot code only
    default_opts = ("-XX:SharedArchiveFile=%s -Xlog:cds=off " % CDS if os.path.exists(CDS) else "") + C2_LATER
    ap.add_argument("--java-opts", default=default_opts, help="JVM options (default: as ./modreg starts a shell)")
    ap.add_argument("--floor", action="store_true", help="also measure the fixed stack's shell alone, interleaved")
    ap.add_argument("--vs", help="another distribution directory, measured interleaved with this one")
    ap.add_argument("--rss-after", type=float, default=0.5, help="seconds after ready to take the resident memory")
    a = ap.parse_args()
    if not os.path.exists(LAUNCHER):
        raise SystemExit("no distribution at %s: build it first (./modreg or mvn -DskipTests install)" % LAUNCHER)
    opts = a.java_opts.split()
    home = tempfile.mkdtemp(prefix="modreg-bench-")
    floors = []
    try:
        if a.floor:
            launcher, jsa = floor_dist(home)
            floor_opts = [("-XX:SharedArchiveFile=" + jsa if o.startswith("-XX:SharedArchiveFile=") else o) for o in opts]
            floor_home = os.path.join(home, "floor-home")
            shell_start(floor_opts, floor_home, launcher, kill=True)  # warm-up
        if a.vs:
            other = os.path.join(os.path.abspath(a.vs), "lib", "modreg-runtime.jar")
            other_jsa = os.path.join(os.path.abspath(a.vs), "modreg.jsa")
            other_opts = [("-XX:SharedArchiveFile=" + other_jsa if o.startswith("-XX:SharedArchiveFile=") else o) for o in opts]
            other_home = os.path.join(home, "vs-home")
            shell_start(other_opts, other_home, other)  # warm-up
        shell_start(opts, home)  # warm-up: installs the boot bundles into the framework cache
        starts, vs_starts, vs_daemons, daemons = [], [], [], []
        for _ in range(a.runs):
            starts.append(shell_start(opts, home))
            if a.floor:
                floors.append(shell_start(floor_opts, floor_home, launcher, kill=True))
            if a.vs:
                vs_starts.append(shell_start(other_opts, other_home, other))
        for _ in range(a.runs):
            daemons.append(daemon(opts, home, rss_after=a.rss_after))
            if a.vs:
                vs_daemons.append(daemon(other_opts, other_home, other, rss_after=a.rss_after))
        stops, rss = zip(*daemons)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    print("modreg start-up benchmark: %d runs, JVM options %r" % (a.runs, a.java_opts))
    print("  start to usable shell   median %4.0f ms   (min %4.0f, max %4.0f)   goal < 500 ms" %
          (statistics.median(starts) * 1000, min(starts) * 1000, max(starts) * 1000))
    if floors:
        print("    the floor: SCR + Gogo   median %4.0f ms   (min %4.0f, max %4.0f)   same launcher, JVM options and runs" %
              (statistics.median(floors) * 1000, min(floors) * 1000, max(floors) * 1000))
    print("  shutdown after SIGTERM  median %4.0f ms   (min %4.0f, max %4.0f)   goal < 300 ms" %
          (statistics.median(stops) * 1000, min(stops) * 1000, max(stops) * 1000))
    print("  resident memory         median %4.0f MB   (min %4.0f, max %4.0f)   goal < 120 MB   (%.1f s after ready)" %
          (statistics.median(rss), min(rss), max(rss), a.rss_after))
    if a.vs:
        vstops, vrss = zip(*vs_daemons)
        print("  --vs %s, interleaved:" % a.vs)
        print("    start to usable shell median %4.0f ms   (min %4.0f, max %4.0f)   this one: %+.0f%%" %
              (statistics.median(vs_starts) * 1000, min(vs_starts) * 1000, max(vs_starts) * 1000,
               100 * (statistics.median(starts) / statistics.median(vs_starts) - 1)))
        print("    shutdown after SIGTERM median %4.0f ms   (min %4.0f, max %4.0f)" %
              (statistics.median(vstops) * 1000, min(vstops) * 1000, max(vstops) * 1000))
        print("    resident memory       median %4.0f MB   (min %4.0f, max %4.0f)   this one: %+.0f MB" %
              (statistics.median(vrss), min(vrss), max(vrss), statistics.median(rss) - statistics.median(vrss)))


if __name__ == "__main__":
    main()
