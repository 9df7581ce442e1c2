-- Copyright The otelcol-rum Authors
-- SPDX-License-Identifier: Apache-2.0

-- wrk script of the load test (scripts/loadtest.sh): POSTs one captured SDK payload.
-- Everything comes from the environment, which every wrk thread's Lua state can read:
--   LT_BODY          file whose bytes are the body
--   LT_CONTENT_TYPE  the Content-Type header
--   LT_BEACON=1      web-vitals beacon mode: every request gets a measurement id of its
--                    own (LT_RUN tells runs against one server apart) and a session_id query parameter cycling over LT_SESSIONS
--                    sessions (default 100000), so the webvitals processor counts every
--                    beacon and the session processor holds that many sessions, as with
--                    real browsers (test/loadtest/beacontargets does the same for vegeta)
-- When wrk is done, one line starting with "LOADTEST " carries the figures the script
-- reads: requests, seconds, non-2xx responses, socket errors, latency percentiles in µs.

local f = assert(io.open(os.getenv("LT_BODY"), "rb"))
local body = f:read("*a")
f:close()

wrk.method = "POST"
wrk.headers["Content-Type"] = os.getenv("LT_CONTENT_TYPE")
wrk.body = body

if os.getenv("LT_BEACON") == "1" then
  -- Cut the beacon around its measurement id (the top-level "id", "v6-..." in web-vitals)
  -- so a new one goes in between on every request.
  local s, e = body:find('"id":"v%d+%-[^"]*"')
  assert(s, "no web-vitals measurement id in " .. os.getenv("LT_BODY"))
  local before, after = body:sub(1, s + 5), body:sub(e)
  local sessions = tonumber(os.getenv("LT_SESSIONS") or "100000")
  local path = wrk.path
  local run = os.getenv("LT_RUN") or "0"
  local n = 0
  local heads = {}
  local idprefix

  -- Each thread tags its ids with its number (a global that setup() sets in the thread's
  -- Lua state), so two threads never send the same id.
  function setup(thread)
    threads = (threads or 0) + 1
    thread:set("tag", tostring(threads))
  end

  -- Building every request with wrk.format costs wrk's one core more than the collector
  -- takes (it tops out near 38,000 requests/s): the request line and headers of each
  -- session are built once here, and the ids have a fixed width, so that a request is
  -- four strings joined and its Content-Length never changes.
  function init(args)
    idprefix = "v6-lt-" .. run .. "-" .. (tag or "0") .. "-"
    local sample = before .. idprefix .. string.format("%010d", 0) .. after
    for i = 1, sessions do
      local req = wrk.format(nil, path .. "?session_id=lt-s" .. i, nil, sample)
      heads[i] = req:sub(1, #req - #sample)
    end
  end

  function request()
    n = n + 1
    return heads[n % sessions + 1] .. before .. idprefix .. string.format("%010d", n) .. after
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "LOADTEST requests=%d seconds=%.3f non2xx=%d socket_errors=%d p50_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.duration / 1e6, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
