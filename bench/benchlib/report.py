"""The tables bench/run prints and the RESULTS.md it writes (Markdown serves both)."""

NOTES_MARKER = "<!-- Everything below this line is kept when bench/run rewrites the file. -->"


def _ms(microseconds):
    return f"{microseconds / 1000:.2f}"


def _mib(kib):
    return f"{kib / 1024:.1f}"


def _ratio(row, baseline):
    return f"{row['rps'] / baseline['rps']:.2f}" if baseline and baseline["rps"] else "-"


def _load_row_cells(row, baseline):
    r = row["result"]
    return [f"{r['rps']:,.0f}", _ratio(r, baseline), f"{r['cpu_us_per_request']:.0f}", _ms(r["latency_us"]["p50"]), _ms(r["latency_us"]["p99"]),
            _ms(r["latency_us"]["max"]), str(r["socket_errors"]), "-" if r["starved"] is None else str(r["starved"]),
            str(r["errors"]["status"]),
            f"{row['load']:.1f}"]


def _table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    return "\n".join(lines)


LOAD_HEADER = ["req/s", "x bare", "CPU us/req", "p50 ms", "p99 ms", "max ms", "errors", "starved", "non-2xx", "load"]


def sweep_table(sweep, baseline_label):
    rows = []
    for point in sweep:
        baseline = next((r["result"] for r in point["rows"] if r["label"] == baseline_label), None)
        for row in point["rows"]:
            rows.append([str(point["connections"]), row["label"]] + _load_row_cells(row, baseline))
    return _table(["conns", "server"] + LOAD_HEADER, rows)


def extras_table(extras, baseline_label):
    rows = []
    for scenario in extras:
        baseline = next((r["result"] for r in scenario["rows"] if r["label"] == baseline_label), None)
        for row in scenario["rows"]:
            rows.append([scenario["name"], row["label"]] + _load_row_cells(row, baseline))
    return _table(["scenario", "server"] + LOAD_HEADER, rows)


def startup_table(startup):
    rows = [[label, f"{s['median_ms']:.1f}", f"{s['min_ms']:.1f}", f"{s['max_ms']:.1f}", str(s["runs"])]
            for label, s in startup.items()]
    return _table(["server", "median ms", "min ms", "max ms", "runs"], rows)


def rss_table(rss):
    stages = []
    for stages_of_server in rss.values():
        stages += [stage for stage in stages_of_server if stage not in stages]
    rows = [[label] + [_mib(values[s]) if s in values else "" for s in stages] for label, values in rss.items()]
    return _table(["server (RSS MiB)"] + stages, rows)


def rss_curve_table(curve):
    return _table(["requests in the phase", "prm-mock RSS MiB"], [[f"{n:,}", _mib(kib)] for n, kib in curve])


def targets_table(targets):
    return _table(["target", "measured", "met"], [[t["target"], t["measured"], "yes" if t["met"] else "**no**"]
                                                  for t in targets])


def facts_list(facts, settings):
    return "\n".join([
        f"- {facts['date']}, commit {facts['commit']} ({facts['tree']})",
        f"- {facts['cores']} cores ({facts['cpu']}), {facts['memory_gib']} GiB, Linux {facts['kernel']}",
        f"- {facts['compiler']}; {facts['wrk']}; {facts['nginx']}",
        (f"- load generator: wrk -t{settings['wrk_threads']} on the **same {facts['cores']} cores** as the "
         f"server (no pinning); {settings['duration_s']} s per point, keep-alive connections, "
         f"wrk timeout {settings['wrk_timeout']}" if not settings.get("only") else
         f"- load generator: benchlib/pending_load.py (asyncio, one thread)"
         + (f", and wrk -t{settings['wrk_threads']} for {settings['duration_s']} s per streams row"
            if "streams" in settings["only"] else "")
         + f" on the **same {facts['cores']} cores** as the server (no pinning)"),
        f"- load average (1 min) at start {facts['load_at_start']:.1f}, at end {facts['load_at_end']:.1f}: "
        f"other work on the machine competes with every row (the `load` column is the 1-minute load "
        f"average just before each row; ratios compare rows measured next to each other)",
    ])


def figure(value, unit=""):
    """A time (in the table's unit, or with `unit`); math.inf is a request that got no answer."""
    if value is None:
        return "-"
    if value == float("inf"):
        return "unanswered"
    return f"{value:.2f}" + (" " + unit if unit else "")


def gauge_text(value):
    return "no answer" if value is None else str(value)


def errors_text(errors):
    return ", ".join(f"{kind} {count}" for kind, count in sorted(errors.items())) if errors else "0"


def _normal_cells(normal, idle_p99_ms):
    maximum = figure(normal["max_ms"])
    if normal["max_ms"] == float("inf") and normal["slowest_answer_ms"] is not None:
        maximum += f" (slowest answer {normal['slowest_answer_ms']:.2f})"
    ratio = "-"
    if idle_p99_ms and normal["p99_ms"] != float("inf"):
        ratio = f"{normal['p99_ms'] / idle_p99_ms:.1f}"
    during = normal.get("while_pending")
    return [normal["label"], f"{normal['answered']}/{normal['count']}",
            "-" if during is None else str(during), figure(normal["p50_ms"]),
            figure(normal["p99_ms"]), maximum, ratio, errors_text(normal["errors"]),
            f"{normal['load']:.1f}"]


def pending_normal_table(pending):
    idle = pending["baseline"]["p99_ms"]
    rows = [_normal_cells(pending["baseline"], idle)]
    rows += [_normal_cells(pending[name]["normal"], idle) for name in ("delayed", "held", "idle")
             if name in pending]
    return _table(["normal publishes", "answered 200", "while pending", "p50 ms", "p99 ms", "max ms",
                   "p99 x idle", "errors", "load"], rows)


def delayed_table(burst, window):
    slowest = "-" if burst["slowest_answer_s"] is None else f"{burst['slowest_answer_s']:.2f}"
    return _table(
        ["pending", "connected (s to open)", "sent within ms", "answered 200",
         f"in {window[0]:.1f}-{window[1]:.1f} s", "min s", "p50 s", "max s", "slowest answer s", "errors"],
        [[burst["label"], f"{burst['connected']:,} ({burst['connect_s']:.2f})", f"{burst['send_spread_ms']:.0f}",
          f"{burst['answered']:,}", f"{burst['in_window']:,}", figure(burst["min_s"]),
          figure(burst["p50_s"]), figure(burst["max_s"]), slowest,
          errors_text(burst["errors"])]])


def held_table(hold):
    gauge = gauge_text
    drop = ("not within " + f"{hold['gauge_wait_s']:.0f} s" if hold["gauge_drop_s"] is None
            else f"{hold['gauge_drop_s']:.2f} s")
    ended = errors_text(hold["ended_early"]) if hold["ended_early"] else "none"
    if hold["first_end_s"] is not None:
        ended += f" (first after {hold['first_end_s']:.2f} s)"
    return _table(
        ["pending", "connected (s to open)", "still held after (s)", "ended by the server", "connect errors",
         "gauge before", "gauge while held", "gauge after close", "back to before in", "refused"],
        [[hold["label"], f"{hold['connected']:,} ({hold['connect_s']:.2f})",
          f"{hold['still_held']:,} ({hold['held_s']:.1f})", ended, errors_text(hold["errors"]),
          gauge(hold["gauge_before"]), gauge(hold["gauge_during"]),
          gauge(hold["gauge_after"]), drop, "-" if hold["refused"] is None else str(hold["refused"])]])


def idle_table(idle):
    ended = errors_text(idle["ended_early"]) if idle["ended_early"] else "none"
    drop = ("not within " + f"{idle['gauge_wait_s']:.0f} s" if idle["gauge_drop_s"] is None
            else f"{idle['gauge_drop_s']:.2f} s")
    growth = idle["rss_open_kib"] - idle["rss_before_kib"]
    per_connection = f"{growth * 1024 / idle['connected']:,.0f}" if idle["connected"] else "-"
    return _table(
        ["connections", "opened (s to open)", "errors", "still open after (s)", "ended by the server",
         "RSS MiB fresh", "journal full", "all open", "growth MiB", "bytes/conn", "after close",
         "gauge before", "gauge while open", "gauge after close", "back to before in", "refused"],
        [[idle["label"], f"{idle['connected']:,} ({idle['open_s']:.2f})", errors_text(idle["errors"]),
          f"{idle['still_open']:,} ({idle['idle_s']:.1f})", ended,
          _mib(idle["rss_fresh_kib"]), _mib(idle["rss_before_kib"]), _mib(idle["rss_open_kib"]),
          f"{growth / 1024:+.1f}", per_connection, _mib(idle["rss_closed_kib"]),
          gauge_text(idle["gauge_before"]), gauge_text(idle["gauge_during"]), gauge_text(idle["gauge_after"]),
          drop, "-" if idle["refused"] is None else str(idle["refused"])]])


def idle_section(row, settings):
    i, p = settings["idle"], settings["pending"]
    return [
        f"## {i['count']:,} idle keep-alive connections",
        "",
        f"A fresh prm-mock with `--max-connections {i['max_connections']}` and `--idle-timeout "
        f"{i['idle_timeout_ms']}` (longer than the row). First {i['fill']:,} publishes on the normal "
        "connection fill the journal and turn it over once, after which its RSS stays flat (`journal "
        "full`: the RSS the growth is counted from, so the growth is the connections' and not the "
        f"journal's). Then {i['count']:,} connections, {i['open_concurrency']} opening at a time, each send "
        "one valid publish, read its 200 and stay open, idle; the RSS `all open` is read "
        f"{i['settle_s']:.0f} s after the last of them. The {p['normal']} normal publishes (first table "
        f"above) run while they idle, for at least {i['idle_min_s']:.0f} s after the last one opened "
        "(`still open after`); then `prm_mock_connections_open` is read (`gauge`, the "
        "normal connection and the metrics request included), the idle clients close (FIN), and the gauge "
        "is polled until it is back to its value before the row. `ended by the server`: idle connections "
        "the server closed or sent something to before the client closed. `refused`: over "
        "--max-connections during the row.",
        "",
        idle_table(row["idle"]),
        "",
    ]


def pending_section(pending, settings):
    p = settings["pending"]
    parts = [
        "## Publishes while others are pending",
        "",
        f"prm-mock with two extra fixtures and `--max-connections {p['max_connections']}`, a fresh process for "
        f"the baseline and delayed rows and another for the held row. The normal publishes: {p['normal']} valid "
        f"publishes one after another on one keep-alive connection (after {p['warm_up']} unmeasured). "
        f"Percentiles are over all {p['normal']}: one not answered 200 within {p['request_timeout_s']:.0f} s "
        f"(or not sent, {p['normal_phase_s']:.0f} s after the first) sorts after every answer (`unanswered`). "
        "`while pending`: answered before the first delayed answer arrived, or before the held (or idle) "
        "clients closed. `p99 x idle`: p99 divided by the baseline's, same run.",
        "",
        pending_normal_table(pending),
        "",
    ]
    if "delayed" in pending:
        parts += [
            f"The delayed burst: {p['pending']:,} connections opened at once, then one publish sent on each "
            f"in one pass (`Connection: close`) that a fixture answers 200 after {p['delay_ms']} ms; times "
            f"from each one's send to its whole answer (`unanswered` past {p['request_timeout_s']:.0f} s).",
            "",
            delayed_table(pending["delayed"]["burst"], p["delay_window_s"]),
            "",
        ]
    if "held" in pending:
        parts += [
            f"The held connections: {p['pending']:,} publishes matching a `\"fault\": \"timeout\"` fixture, "
            "held while the normal publishes ran (at least " + f"{p['hold_min_s']:.0f} s), then closed by the "
            "client (FIN). `gauge`: `prm_mock_connections_open` from `/__admin/metrics` (the normal "
            "connection and the metrics request itself included; `no answer`: not within "
            f"{p['metrics_timeout_s']:.0f} s). `refused`: connections refused over --max-connections during "
            "the row.",
            "",
            held_table(pending["held"]["hold"]),
            "",
        ]
    if "idle" in pending:
        parts += idle_section(pending["idle"], settings)
    return parts


def _cpu_share(seconds, wall_s):
    """CPU seconds, and as a share of one core over the run."""
    return f"{seconds:.2f} ({seconds / wall_s:.0%})" if wall_s else f"{seconds:.2f}"


def streams_section(row, settings):
    st = settings["streams"]
    v = row["verdict"]
    readers_label = f"{st['readers']} reading"

    def cells(pair, label, result, none):
        return [pair, label, f"{result['rps']:,.0f}", _ratio(result, none), f"{result['cpu_us_per_request']:.0f}",
                _ms(result["latency_us"]["p50"]), _ms(result["latency_us"]["p99"]), str(result["socket_errors"]),
                str(result["errors"]["status"]), _cpu_share(result["server_cpu_s"], result["wall_s"]),
                _cpu_share(result["busiest_thread_cpu_s"], result["wall_s"]),
                _cpu_share(result["client_cpu_s"], result["wall_s"]),
                _cpu_share(result["wrk_cpu_s"], result["wall_s"]), f"{result['machine_busy']:.0%}",
                f"{result['load']:.1f}"]

    runs = []
    for index, pair in enumerate(row["pairs"], 1):
        runs.append(cells(str(index), "none", pair["none"], pair["none"]))
        runs.append(cells(str(index), readers_label, pair["readers"], pair["none"]))
    blank = [""] * 11
    runs.append(["median", "none", f"{v['none_median_rps']:,.0f}", "", f"{v['none_median_cpu_us']:.0f}"] + blank[1:])
    runs.append(["median", readers_label, f"{v['readers_median_rps']:,.0f}", f"**{v['ratio']:.2f}**",
                 f"{v['readers_median_cpu_us']:.0f}"] + blank[1:])

    streams_rows = []
    for index, pair in enumerate(row["pairs"], 1):
        s = pair["streams"]
        per_reader = s["requests"] / max(1, s["opened"])
        server_dropped = "-" if s["server_dropped"] is None else f"{s['server_dropped']:,}"
        agree = "-" if s["server_dropped"] is None else ("yes" if s["server_dropped"] == s["dropped"] else "**no**")
        streams_rows.append([str(index), f"{s['opened']} ({gauge_text(s['streams_open'])})",
                             f"{s['requests']:,}", f"{per_reader:,.0f}", f"{per_reader / s['open_s']:,.0f}",
                             f"{s['bound_per_reader']:,.0f}", f"{s['dropped']:,}", server_dropped, agree,
                             f"{s['mib']:,.1f}", errors_text(s["errors"]) if s["errors"] else "none"])
    return [
        f"## Request streams open while publishing ({st['connections']} connections)",
        "",
        f"One fresh prm-mock; {st['pairs']} pairs of runs of wrk's valid publishes, {settings['duration_s']} s "
        f"each, alternating: no stream open, then {st['readers']} `GET /__admin/requests/stream` readers "
        "open, each read whole by benchlib/stream_load.py (asyncio, one thread, on the same cores), and "
        "so on. `x none`: requests/s divided by the same pair's no-reader run (medians: the ratio of the "
        "medians). `prm-mock CPU`: the server's CPU over the run, and as a share of one core; `its "
        "busiest thread`: the CPU of prm-mock's thread that used most (a share near 100% is one "
        "thread that cannot go faster); "
        "`readers' CPU`: this process's (the readers' reading and parsing; near 0 without readers), "
        "likewise; `wrk CPU` likewise (the readers' runs last the wrk run plus the streams' opening "
        "and the half second after); `busy`: the share of all "
        f"cores' time not idle during the run. A reader gets at most a burst of {st['burst']:,} events "
        f"then {st['per_second']} a second; the rest it is told it missed (`event: dropped`).",
        "",
        _table(["pair", "readers", "req/s", "x none", "CPU us/req", "p50 ms", "p99 ms", "errors", "non-2xx",
                "prm-mock CPU s", "its busiest thread", "readers' CPU s", "wrk CPU s", "busy", "load"], runs),
        "",
        f"**Verdict: {v['words']}.** The rule: the readers' cost is not measurable only when the ratio "
        "of the medians lies within the range the no-reader runs span around their own median "
        "(min / median to max / median); otherwise it is reported as 1 - ratio.",
        "",
        _table(["pair", "streams opened (gauge)", "events received", "per reader", "per reader per s",
                "bound per reader", "told dropped", "prm-mock's dropped counter", "agree", "MiB read",
                "reader errors"], streams_rows),
        "",
        f"`bound per reader`: {st['burst']:,} + {st['per_second']} x the seconds the streams were open "
        f"(wrk's run, {st['settle_s']} s after it for the last events, and the opening).",
        "",
    ]


def document(results):
    settings = results["settings"]
    only = settings.get("only")
    parts = [
        "# bench/run results",
        "",
        "Written by `bench/run`" + (" --quick" if settings["quick"] else "") +
        (f" --only {','.join(only)}" if only else "") +
        "; rerun it to refresh. What each row is: bench/README.md.",
        "",
        facts_list(results["facts"], settings),
        "",
        "## Targets",
        "",
        targets_table(results["targets"]),
        "",
    ]
    if "sweep" in results:
        parts += [
            "## Valid publish, keep-alive connections swept",
            "",
            "`x bare`: requests/s divided by the bare cpp-httplib server's at the same point. `CPU "
            "us/req`: the server's own user + system CPU time per answer (/proc/PID/stat), which other "
            "work on the machine moves much less than requests/s. "
            "Latencies are of the answers wrk got. `errors`: connect, read and write errors, and answers "
            "that came after more than 2 s. `starved`: connections the server sent nothing to for "
            f"{results['starvation_window_s'] or '-'} s in the middle of the row (wrk counts these "
            "nowhere, and their requests are missing from the latencies; `-`: rows too short to tell). "
            "`non-2xx`: answers that were not 2xx.",
            "",
            sweep_table(results["sweep"], results["baseline_label"]),
            "",
            "## Other loads",
            "",
            f"At {settings['extra_connections']} connections unless the name says otherwise. The invalid mix alternates the valid publish and one with two contract violations, so half "
            "of prm-mock's answers are expected 400s (`non-2xx`); the bare server answers both alike. "
            "In the paced row a server that serves every connection carries the whole offered load; the "
            "bare server's lower rate there (and its `x bare` of 1) is its starved connections.",
            "",
            extras_table(results["extras"], results["baseline_label"]),
            "",
        ]
    if "pending" in results:
        parts += pending_section(results["pending"], settings)
    if "streams" in results:
        parts += streams_section(results["streams"], settings)
    if "startup" in results:
        parts += [
            f"## Start-up: exec to the first 200 of a publish ({settings['startup_runs']} runs each)",
            "",
            startup_table(results["startup"]),
            "",
            "## Memory (RSS, MiB)",
            "",
            rss_table(results["rss"]),
            "",
            f"prm-mock (default) under {settings['rss_requests']:,} more valid publishes after the sweep "
            f"(the journal keeps 10,000 entries, so it is full long before):",
            "",
            rss_curve_table(results["rss_curve"]),
            "",
        ]
    return "\n".join(parts)


def write(path, text):
    """Writes the generated text, keeping any hand-written notes below NOTES_MARKER in the old file."""
    notes = ""
    try:
        with open(path) as old:
            previous = old.read()
        if NOTES_MARKER in previous:
            notes = previous[previous.index(NOTES_MARKER):]
    except FileNotFoundError:
        pass
    with open(path, "w") as file:
        file.write(text + "\n" + (notes or NOTES_MARKER + "\n"))
