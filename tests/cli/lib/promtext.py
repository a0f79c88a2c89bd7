#!/usr/bin/python3
"""A strict parser of the Prometheus text exposition format, version 0.0.4, for the tests.

Usage: promtext.py FILE  — parses FILE; on success prints one line per sample as JSON
({"name", "labels", "value"}) and exits 0; on the first fault prints "line N: why" and exits 1.

Checked, beyond what a lenient scraper accepts:
- every sample belongs to a family announced by "# HELP name text" then "# TYPE name type"
  (HELP first, each once, TYPE one of counter, gauge, histogram, summary, untyped), and the
  samples of a family are contiguous (a family never reappears);
- metric and label names match [a-zA-Z_:][a-zA-Z0-9_:]* and [a-zA-Z_][a-zA-Z0-9_]*, no label
  twice, label values in double quotes with only \\\\, \\" and \\n escapes;
- values are Go floats (decimal, exponent, +Inf, -Inf, NaN); no timestamps are expected;
- counters end in _total and are non-negative; a histogram's samples are name_bucket (with le),
  name_sum and name_count per label set; buckets ascend by le, counts are monotone, the last
  bucket is le="+Inf" and equals name_count;
- the text ends with a line feed, has no blank lines and no carriage returns.
"""
import json
import math
import re
import sys

NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
LABEL = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
FLOAT = re.compile(r"[+-]?(Inf|NaN|(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?)")
TYPES = {"counter", "gauge", "histogram", "summary", "untyped"}


class Fault(Exception):
    pass


def parse_value(text):
    if not FLOAT.fullmatch(text):
        raise Fault(f"bad value {text!r}")
    return float(text.replace("Inf", "inf"))


def parse_labels(s, i):
    """Parse {a="b",…} starting at s[i] == '{'; return (dict, index after '}')."""
    labels = {}
    i += 1
    while True:
        if s[i] == "}":
            return labels, i + 1
        m = LABEL.match(s, i)
        if not m:
            raise Fault(f"bad label name at column {i + 1}")
        name = m.group(0)
        i = m.end()
        if s[i:i + 2] != '="':
            raise Fault(f"label {name}: expected =\"")
        i += 2
        value = []
        while True:
            if i >= len(s):
                raise Fault(f"label {name}: unterminated value")
            c = s[i]
            if c == "\\":
                nxt = s[i + 1:i + 2]
                if nxt not in ("\\", '"', "n"):
                    raise Fault(f"label {name}: bad escape \\{nxt}")
                value.append({"\\": "\\", '"': '"', "n": "\n"}[nxt])
                i += 2
            elif c == '"':
                i += 1
                break
            else:
                value.append(c)
                i += 1
        if name in labels:
            raise Fault(f"label {name} twice")
        labels[name] = "".join(value)
        if s[i] == ",":
            i += 1
            if s[i] == "}":
                raise Fault("trailing comma in labels")
        elif s[i] != "}":
            raise Fault(f"expected , or }} after label {name}")


def family_of(name, families):
    if name in families:
        return name, ""
    for suffix in ("_bucket", "_sum", "_count"):
        if name.endswith(suffix) and name[: -len(suffix)] in families:
            return name[: -len(suffix)], suffix
    raise Fault(f"sample {name} has no # TYPE before it")


def parse(text):
    if not text.endswith("\n"):
        raise Fault("the text does not end with a line feed")
    if "\r" in text:
        raise Fault("carriage return in the text")
    families = {}  # name -> {"type", "help"}
    done = set()
    current = None
    samples = []
    for n, line in enumerate(text[:-1].split("\n"), 1):
        try:
            if line == "":
                raise Fault("blank line")
            if line.startswith("#"):
                parts = line.split(" ", 3)
                if len(parts) < 3 or parts[0] != "#" or parts[1] not in ("HELP", "TYPE"):
                    raise Fault("a comment line other than # HELP or # TYPE")
                name = parts[2]
                if not NAME.fullmatch(name):
                    raise Fault(f"bad metric name {name!r}")
                if parts[1] == "HELP":
                    if name in families or name in done:
                        raise Fault(f"# HELP {name} twice")
                    if len(parts) != 4 or not parts[3]:
                        raise Fault(f"# HELP {name} without text")
                    if current:
                        done.add(current)
                    families[name] = {"help": parts[3], "type": None}
                    current = name
                else:
                    if current != name or families[name]["type"] is not None:
                        raise Fault(f"# TYPE {name} not right after its # HELP")
                    if len(parts) != 4 or parts[3] not in TYPES:
                        raise Fault(f"# TYPE {name}: unknown type")
                    families[name]["type"] = parts[3]
                    if parts[3] == "counter" and not name.endswith("_total"):
                        raise Fault(f"counter {name} does not end in _total")
                continue
            m = NAME.match(line)
            if not m:
                raise Fault("bad metric name")
            name = m.group(0)
            i = m.end()
            labels = {}
            if i < len(line) and line[i] == "{":
                labels, i = parse_labels(line, i)
            if line[i:i + 1] != " ":
                raise Fault("expected one space before the value")
            rest = line[i + 1:]
            if " " in rest:
                raise Fault("a timestamp or extra field after the value")
            value = parse_value(rest)
            fam, suffix = family_of(name, families)
            if fam != current:
                raise Fault(f"sample {name} outside its family's block")
            ftype = families[fam]["type"]
            if ftype is None:
                raise Fault(f"sample {name} before # TYPE")
            if ftype == "histogram":
                if suffix == "":
                    raise Fault(f"histogram sample {name} without _bucket, _sum or _count")
                if (suffix == "_bucket") != ("le" in labels):
                    raise Fault(f"{name}: le belongs to buckets only")
            elif suffix and ftype != "summary":
                if name not in families:
                    raise Fault(f"{name}: suffix on a {ftype}")
            if ftype == "counter" and not value >= 0:
                raise Fault(f"counter {name} is {value}")
            samples.append({"name": name, "labels": labels, "value": value, "line": n})
        except Fault as e:
            raise Fault(f"line {n}: {e}") from None
    for name, f in families.items():
        if f["type"] is None:
            raise Fault(f"family {name} has # HELP but no # TYPE")
    check_histograms(families, samples)
    return samples


def check_histograms(families, samples):
    for fam, f in families.items():
        if f["type"] != "histogram":
            continue
        series = {}
        for s in samples:
            if not s["name"].startswith(fam + "_"):
                continue
            labels = dict(s["labels"])
            le = labels.pop("le", None)
            key = json.dumps(labels, sort_keys=True)
            entry = series.setdefault(key, {"buckets": [], "sum": None, "count": None})
            if s["name"] == fam + "_bucket":
                entry["buckets"].append((parse_value(le), s["value"], s["line"]))
            elif s["name"] == fam + "_sum":
                entry["sum"] = s["value"]
            else:
                entry["count"] = s["value"]
        for key, e in series.items():
            where = f"histogram {fam}{key}"
            if not e["buckets"] or e["sum"] is None or e["count"] is None:
                raise Fault(f"{where}: needs buckets, _sum and _count")
            les = [b[0] for b in e["buckets"]]
            if les != sorted(les) or len(set(les)) != len(les):
                raise Fault(f"{where}: buckets not in ascending order of le")
            counts = [b[1] for b in e["buckets"]]
            if any(b < a for a, b in zip(counts, counts[1:])):
                raise Fault(f"{where}: bucket counts decrease (line {e['buckets'][0][2]})")
            if not math.isinf(les[-1]):
                raise Fault(f"{where}: the last bucket is not le=\"+Inf\"")
            if counts[-1] != e["count"]:
                raise Fault(f"{where}: +Inf bucket {counts[-1]} != _count {e['count']}")
            if e["sum"] < 0:
                raise Fault(f"{where}: negative _sum")


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        text = f.read()
    try:
        samples = parse(text)
    except Fault as e:
        print(e)
        return 1
    for s in samples:
        print(json.dumps({"name": s["name"], "labels": s["labels"], "value": s["value"]},
                         ensure_ascii=False, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
