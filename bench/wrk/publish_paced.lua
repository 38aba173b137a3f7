-- The valid publish, each connection pausing BENCH_PACE_MS (default 50) before each request:
-- many pooled connections at a moderate rate, like a parallel test suite, rather than every
-- connection as fast as the server answers (where latency is only queueing: Little's law).
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "common.lua")
use_publish_body(valid_body("Hello {{name}}"))

local pause_ms = tonumber(os.getenv("BENCH_PACE_MS") or "") or 50

function delay()
  return pause_ms
end
