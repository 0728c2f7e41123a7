"""csv_tail.py CSV...: the chain times CmdStan (and mvc's sampler) write at the end of each
Stan CSV file ("#  Elapsed Time: W seconds (Warm-up)", "S seconds (Sampling)", "T seconds
(Total)"), read from the files' last few kilobytes (the files can be gigabytes), as JSON."""
import json
import re
import sys

PAT = re.compile(r"([0-9.eE+-]+)\s+seconds\s+\((Warm-up|Sampling|Total)\)")


def tail_times(path):
    with open(path, "rb") as f:
        f.seek(0, 2)
        size = f.tell()
        f.seek(max(0, size - 8192))
        text = f.read().decode("utf-8", "replace")
    got = {}
    for m in PAT.finditer(text):
        got[m.group(2)] = float(m.group(1))
    return got


def main():
    res = {"files": [], "warmup_s": [], "sampling_s": [], "total_s": []}
    for p in sys.argv[1:]:
        t = tail_times(p)
        res["files"].append(p)
        res["warmup_s"].append(t.get("Warm-up"))
        res["sampling_s"].append(t.get("Sampling"))
        res["total_s"].append(t.get("Total"))
    print(json.dumps(res))


if __name__ == "__main__":
    main()
