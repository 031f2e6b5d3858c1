-- wrk reports only 4xx and 5xx as errors: count every response that is not a 200, redirects too
-- (a lost session answers 302 to the login page, which would otherwise look like a fast page).
-- Also collect the CPU each request took in its worker (the X-Bench-Cpu-Us header).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  not_ok = 0
  last_status = 0
  cpu = {}
end

function response(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
    last_status = status
  end
  local us = headers["X-Bench-Cpu-Us"] or headers["x-bench-cpu-us"]
  if us then
    table.insert(cpu, tonumber(us))
  end
end

function done(summary, latency, requests)
  local total, status, all = 0, 0, {}
  for _, thread in ipairs(threads) do
    total = total + thread:get("not_ok")
    if thread:get("last_status") ~= 0 then
      status = thread:get("last_status")
    end
    for _, us in ipairs(thread:get("cpu")) do
      table.insert(all, us)
    end
  end
  io.write(string.format("Responses not 200: %d (last status %d)\n", total, status))
  if #all > 0 then
    table.sort(all)
    io.write(string.format("Worker CPU us: median %d p99 %d\n", all[math.ceil(#all / 2)], all[math.ceil(#all * 0.99)]))
  end
end
