-- wrk script of `make bench`: replays one request file (see prepare.py), tab-separated lines
-- of method, path, cookie, htmx flag and form body. Each thread takes every n-th line from its
-- own offset, so a write target is used once (unless the run outlasts the file: then the
-- repeats are refused and counted as errors). Usage: wrk -tN ... -s requests.lua URL -- FILE CSRF N
local requests = {}
local next_index = 0
local step = 1

local created = 0

function setup(thread)
  thread:set("offset", created)
  created = created + 1
end

function init(args)
  local file, csrf = args[1], args[2]
  step = tonumber(args[3]) or 1
  for line in io.lines(file) do
    local method, path, cookie, htmx, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    if method then
      local headers = { ["Cookie"] = cookie }
      if htmx == "1" then headers["HX-Request"] = "true" end
      if method == "POST" then
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["X-CSRFToken"] = csrf
        headers["Accept"] = "text/html,application/json"
      else
        body = nil
      end
      table.insert(requests, wrk.format(method, path, headers, body))
    end
  end
  next_index = offset or 0
end

function request()
  local r = requests[(next_index % #requests) + 1]
  next_index = next_index + step
  return r
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"status_errors": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
