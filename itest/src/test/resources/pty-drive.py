"""Drives an interactive program in a pseudo-terminal, as a person at a terminal would.

    python3 pty-drive.py 'COMMAND;;COMMAND...' PROGRAM ARGS...

Waits for the prompt 'modreg> ', types each command and Enter, waits for the next prompt, then
types Ctrl-D. Prints everything the program wrote; exits with the program's status, or 124 if a
prompt did not come within 60 s. Before each command it prints a line '<<<pty-drive: COMMAND>>>',
to tell the outputs apart. Two steps are the driver's own, as from another terminal, not typed:
'@copy SRC DST' copies a file (written in place, as cp does) and '@sleep SECONDS' waits. Java has no pseudo-terminals of its own: this is the tests' way
to reach the interactive shell on a real terminal.
"""
import fcntl
import os
import pty
import select
import struct
import sys
import termios
import time

# the prompt to wait for; the shell attached to a running container has its own
PROMPT = os.environ.get("PTY_DRIVE_PROMPT", "modreg> ").encode()

commands = [c for c in sys.argv[1].split(";;") if c]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
seen = b""


def until(token, seconds=60):
    global seen
    end = time.time() + seconds
    while token not in seen:
        r, _, _ = select.select([fd], [], [], max(0, end - time.time()))
        if not r:
            sys.stdout.write(seen.decode(errors="replace"))
            sys.stdout.write("\npty-drive: no %r within %d s\n" % (token, seconds))
            os.kill(pid, 9)
            sys.exit(124)
        seen += os.read(fd, 4096)
    i = seen.index(token) + len(token)
    out, seen = seen[:i], seen[i:]
    return out


sys.stdout.write(until(PROMPT).decode(errors="replace"))
for c in commands:
    sys.stdout.write("\n<<<pty-drive: %s>>>\n" % c)
    if c.startswith("@copy "):
        src, dst = c.split()[1:3]
        with open(src, "rb") as f, open(dst, "wb") as t:
            t.write(f.read())
        continue
    if c.startswith("@sleep "):
        time.sleep(float(c.split()[1]))
        continue
    os.write(fd, c.encode() + b"\r")
    sys.stdout.write(until(PROMPT).decode(errors="replace"))
os.write(fd, b"\x04")
try:
    while True:
        r, _, _ = select.select([fd], [], [], 30)
        if not r:
            break
        data = os.read(fd, 4096)
        if not data:
            break
        sys.stdout.write(data.decode(errors="replace"))
except OSError:
    pass  # the terminal closed with the program
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
