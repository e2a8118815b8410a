-- bench/http/seed.lua: seeds FZ_BENCH_INDICATORS phone indicators through the API, as an
-- analyst would, 64 per report: a report whose text names 32 numbers and that lists 32 more,
-- then triage and confirm (which makes all 64 confirmed indicators in one write). Run with
-- -t1 -c1: each answer decides the next request (wrk may call request() more often than
-- it sends one, so only an answer moves the state on). Stops itself when done.
-- One indicator per POST /api/v1/indicators would be the obvious way, but every write copies
-- the whole in-memory index (docs/internals/server.md): 100,000 of them cost O(n^2).
local dir = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."
local C = dofile(dir .. "/common.lua")
local total = tonumber(os.getenv("FZ_BENCH_INDICATORS") or "100000")

local next_i, step, id = 0, 0, nil
local confirmed, t0 = 0, os.time()

-- wrk sleeps for its whole -d before it stops; the seed ends the process itself.
local function finish(code)
   io.write(string.format("SEED indicators=%d reports=%d seconds=%d\n", confirmed,
                          math.ceil(next_i / 64), os.time() - t0))
   io.stdout:flush()
   os.exit(code)
end

local function report_body(first, last)
   local text, listed = {}, {}
   local half = first + math.ceil((last - first) / 2)
   for i = first, half - 1 do text[#text + 1] = C.number(i) end
   for i = half, last - 1 do
      listed[#listed + 1] = '{"kind":"phone","value":"' .. C.number(i) .. '"}'
   end
   return '{"channel":"call","fraud_type":"impersonate_authority","text":"' ..
      '冒充公检法诈骗，来电号码：' .. table.concat(text, "，") .. '","indicators":[' ..
      table.concat(listed, ",") .. "]}"
end

function request()
   if step == 0 then
      local body = report_body(next_i, math.min(next_i + 64, total))
      return wrk.format("POST", "/api/v1/reports", C.headers_json, body)
   elseif step == 1 then
      return wrk.format("POST", "/api/v1/reports/" .. id .. "/triage", C.headers_json,
                        '{"version":1}')
   end
   return wrk.format("POST", "/api/v1/reports/" .. id .. "/confirm", C.headers_json,
                     '{"version":2}')
end

function response(status, headers, body)
   if status < 200 or status >= 300 then
      io.stderr:write("seed: status " .. status .. ": " .. body .. "\n")
      finish(1)
   end
   if step == 0 then
      id = body:match('"id":(%d+)')
      next_i = math.min(next_i + 64, total)
      step = 1
   elseif step == 1 then
      step = 2
   else
      local _, n = body:gsub('"kind":"phone"', "")
      confirmed = confirmed + n
      step = 0
      if next_i >= total then finish(0) end
   end
end
