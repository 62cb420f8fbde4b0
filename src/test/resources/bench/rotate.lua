-- wrk script for `make bench-load`: each request takes the next line of a file written by LoadBench,
-- "<method>\t<path>\t<Authorization header or empty>\t<JSON body or empty>". Thread i takes lines
-- i, i+n, i+2n…, so no two threads ever send the same one-use (POST) header.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  lines = {}
  local f = assert(io.open(args[1], "r"))
  local all = {}
  for line in f:lines() do table.insert(all, line) end
  f:close()
  local n = tonumber(args[2])
  for i = id + 1, #all, n do
    local method, path, auth, body = all[i]:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    local headers = {}
    if auth ~= "" then headers["Authorization"] = auth end
    if body ~= "" then headers["Content-Type"] = "application/json" else body = nil end
    table.insert(lines, wrk.format(method, path, headers, body))
  end
  next_line = 0
  wrapped = 0
end

function request()
  next_line = next_line + 1
  if next_line > #lines then
    next_line = 1
    wrapped = wrapped + 1
  end
  return lines[next_line]
end

function done(summary, latency, requests)
  local e = summary.errors
  local wraps = 0
  for _, t in ipairs(threads) do wraps = wraps + (t:get("wrapped") or 0) end
  io.write(string.format("RESULT %d %.1f %.3f %.3f %d %d %d\n", summary.requests,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.status, e.connect + e.read + e.write + e.timeout, wraps))
end
