-- wrk script for the long tail (bench/longtail.py): every request a random line of the
-- file given after "--", each line "path<TAB>cookie" (the cookie may be empty).
-- Prints the same JSON line as stats.lua, with the count of non-2xx/3xx answers.
local counter = 0
local threads = {}

setup = function(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

local paths, cookies = {}, {}

init = function(args)
  for line in io.lines(args[1]) do
    local path, cookie = line:match("^([^\t]*)\t?(.*)$")
    table.insert(paths, path)
    table.insert(cookies, cookie)
  end
  math.randomseed(os.time() * 100 + id)
end

request = function()
  local i = math.random(#paths)
  local headers = { ["Accept-Encoding"] = "gzip" }
  if cookies[i] ~= "" then headers["Cookie"] = cookies[i] end
  return wrk.format("GET", paths[i], headers)
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    '{"p50": %.2f, "p95": %.2f, "p99": %.2f, "rps": %.1f, "requests": %d, "errors": %d, "bytes": %d}\n',
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6), summary.requests, errors, summary.bytes))
end
