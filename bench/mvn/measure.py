"""measure.py RUSAGE_JSON STDOUT STDERR CMD...: run CMD with its output in the two files and
write its wall-clock seconds, peak resident set size, CPU seconds and exit status to
RUSAGE_JSON. Exits with CMD's status (128 + signal if it was killed).

The peak RSS comes from GNU time (/usr/bin/time) when it is installed; otherwise from
getrusage(RUSAGE_CHILDREN), which also counts the forked copy of this Python process before
the exec (a floor of about 14 MB)."""
import json
import os
import resource
import tempfile
import subprocess
import sys
import time


def main():
    out_json, out, err, cmd = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    gnu_time = "/usr/bin/time"
    use_time = os.access(gnu_time, os.X_OK)
    tfile = None
    run = cmd
    if use_time:
        fd, tfile = tempfile.mkstemp(prefix="measure", suffix=".txt")
        os.close(fd)
        run = [gnu_time, "-f", "MEASURE %e %M %U %S", "-o", tfile] + cmd
    t0 = time.monotonic()
    with open(out, "wb") as fo, open(err, "wb") as fe:
        try:
            rc = subprocess.call(run, stdout=fo, stderr=fe)
        except OSError as e:
            fe.write(("cannot run %s: %s\n" % (run[0], e)).encode())
            rc = 127
    wall = time.monotonic() - t0
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    if rc < 0:
        rc = 128 - rc
    res = {"rc": rc, "wall_s": round(wall, 3), "maxrss_kb": ru.ru_maxrss,
           "user_s": round(ru.ru_utime, 3), "sys_s": round(ru.ru_stime, 3), "source": "getrusage"}
    if tfile:
        try:
            for line in open(tfile):
                if line.startswith("MEASURE "):
                    _, m, u, s = line.split()[1:5]
                    res.update(maxrss_kb=int(m), user_s=float(u), sys_s=float(s),
                               source="/usr/bin/time")
                elif "terminated by signal" in line and rc == 0:
                    rc = res["rc"] = 128 + int(line.split()[-1])
        except (OSError, ValueError):
            pass
        os.unlink(tfile)
    with open(out_json, "w") as f:
        json.dump(res, f)
        f.write("\n")
    sys.exit(rc)


if __name__ == "__main__":
    main()
