"""Case parameters of a Micro results.jsonl line as text, whatever its schema: micro.result/3 keeps the typed point
(gemm, attention, collective, launch, copy, stream) apart from `parameters`; /1 and /2 lines had every key there."""

POINTS = ("gemm", "attention", "collective", "launch", "copy", "stream")


def params(r):
    p = dict(r.get("parameters") or {})
    for key in POINTS:
        for k, v in (r.get(key) or {}).items():
            p[k] = ("true" if v else "false") if isinstance(v, bool) else str(v)
    kind = (r.get("attention") or {}).get("kind", "")
    if kind.startswith("prefill"):
        p["causal"] = "true" if kind == "prefill" else "false"
    return p
