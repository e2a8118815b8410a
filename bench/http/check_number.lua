-- bench/http/check_number.lua: GET /api/v1/check/number with a partner key. Each request takes
-- the next of 10,000 numbers drawn at start: half are seeded indicators (FZ_BENCH_INDICATORS of
-- them, bench/http/seed.lua), half are not; written as a caller ID arrives: 11 digits, +86
-- (URL-encoded), or with spaces.
local dir = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."
local C = dofile(dir .. "/common.lua")
local seeded = tonumber(os.getenv("FZ_BENCH_INDICATORS") or "100000")

local reqs, pos = {}, 0

function init(args)
   local r = C.rng(4242 + tid)
   for k = 1, 10000 do
      local n = C.number(r(2 * seeded))
      local form = k % 10
      if form < 3 then
         n = "%2B86" .. n
      elseif form == 3 then
         n = n:sub(1, 3) .. "%20" .. n:sub(4, 7) .. "%20" .. n:sub(8)
      end
      reqs[k] = wrk.format("GET", "/api/v1/check/number?n=" .. n, C.headers_get)
   end
end

function request()
   pos = pos % #reqs + 1
   return reqs[pos]
end

function done(summary, latency, requests)
   C.report(summary, latency, false)
end
