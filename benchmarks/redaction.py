#!/usr/bin/env python3
"""Cost of the dataset-wide redaction (gongshi.public.Redactor) at scale.

Reads a synthetic data folder (benchmarks/synth.py), makes every live public
record once (the per-file work the build cache keeps), then times what every
build does again: building the name automaton from every natural person's
name, and the pass that masks those names in every record. Also with extra
made-up names, to see the cost at tens of thousands of names.

    python benchmarks/synth.py --out /tmp/synth100k --n 100000 --agencies 40 --seed 1
    python benchmarks/redaction.py /tmp/synth100k [--extra-names 50000]
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pelican.plugins.gongshi import public  # noqa: E402
from pelican.plugins.gongshi.load import load_dataset  # noqa: E402
from pelican.plugins.gongshi.publication import public_record, redacted  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬建国志文斌宇浩凯鹏辉"


def made_up_names(n: int, seed: int = 1) -> set[str]:
    rng = random.Random(seed)
    names: set[str] = set()
    while len(names) < n:
        names.add(rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2)))))
    return names


def timed(label: str, fn):
    start = time.perf_counter()
    value = fn()
    print(f"{label}: {time.perf_counter() - start:.3f} s")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--today", default="2026-11-22")
    parser.add_argument("--extra-names", type=int, default=50_000)
    args = parser.parse_args()
    ds = timed("load and validate", lambda: load_dataset(args.data, date.fromisoformat(args.today)))
    records = timed(f"public records of {len(ds.decisions)} decisions (per file, cached in a build)",
                    lambda: [public_record(d, ds.entities[d.agency_code]) for d in ds.decisions.values()])
    for label, names in (("the dataset's names", ds.people),
                         (f"the dataset's names + {args.extra_names} made up", ds.people | made_up_names(args.extra_names))):
        redact = timed(f"automaton of {label} ({len(public.KnownNames(names).words)} names of 2+ characters)",
                       lambda: public.Redactor(names))
        out = timed(f"  masking pass over {len(records)} records", lambda: [redacted(redact, r, h) for r, h in records])
        changed = sum(1 for (a, _), (b, _) in zip(records, out) if a is not b)
        print(f"  records changed by the pass (a name of another record in their text): {changed}")


if __name__ == "__main__":
    main()
