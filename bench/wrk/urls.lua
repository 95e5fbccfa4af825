-- Requests the paths listed in a file (one a line) in order; wrk's threads take turns (thread i sends paths i, i+T, …),
-- so a list of unique paths gives unique requests across all connections (misses), and a short list cycles (hits).
-- Prints one JSON line at the end for the harness: wrk's text output is meant for people.
--   wrk -t T -c C -d D --latency -s urls.lua http://127.0.0.1:PORT -- LIST_FILE T
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  stride = tonumber(args[2])
  next_index = id + 1
  wraps = 0   -- times this thread ran past the end of the list (for a miss list: requests that were no longer unique)
end

function request()
  if next_index > #paths then
    next_index = (next_index - 1) % #paths + 1
    wraps = wraps + 1
  end
  local path = paths[next_index]
  next_index = next_index + stride
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  local wrapped = 0
  for _, thread in ipairs(threads) do wrapped = wrapped + thread:get("wraps") end
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,"errors":%d,"wrapped":%d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(99), latency.max,
    e.connect + e.read + e.write + e.status + e.timeout, wrapped))
end
