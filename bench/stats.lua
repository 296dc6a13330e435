-- wrk script: print one JSON line with latency percentiles (ms) and throughput.
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    '{"p50": %.2f, "p95": %.2f, "p99": %.2f, "rps": %.1f, "requests": %d, "errors": %d, "bytes": %d}\n',
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6), summary.requests, errors, summary.bytes))
end
