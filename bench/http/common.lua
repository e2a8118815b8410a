-- bench/http/common.lua: what the wrk scripts of scripts/bench_http.sh share. Deterministic
-- phone numbers (the seeded indicators and the numbers /check asks about), the message list,
-- JSON strings, and one machine-readable result line printed by done().
-- Environment: FZ_BENCH_KEY (the API key sent as a bearer token), FZ_BENCH_MESSAGES (a file
-- of messages, one a line, for the scripts that send text).

local M = {}

M.key = os.getenv("FZ_BENCH_KEY") or ""

-- Mobile prefixes of the three operators and the virtual ones (170/171).
local prefixes = {"130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151",
                  "152", "153", "155", "156", "157", "158", "159", "166", "170", "171", "173",
                  "175", "176", "177", "178", "180", "181", "182", "183", "185", "186", "187",
                  "188", "189", "191", "198", "199"}

-- The i-th number (i >= 0), 11 digits. The last 8 digits are (7919 i + 12345) mod 10^8, a
-- bijection on 0..10^8-1 (7919 is prime to 10), so numbers i < 10^8 are all distinct. The
-- seed uses i in [0, N); numbers i >= N are not in the index.
function M.number(i)
   local suffix = (7919 * i + 12345) % 100000000
   return prefixes[i % #prefixes + 1] .. string.format("%08d", suffix)
end

-- A small deterministic generator (Park-Miller), so every run sends the same sequence.
function M.rng(seed)
   local s = seed
   return function(n)
      s = (s * 48271) % 2147483647
      return s % n
   end
end

function M.json_str(s)
   return '"' .. s:gsub('[%c"\\]', function(c)
      if c == '"' then return '\\"' end
      if c == "\\" then return "\\\\" end
      return string.format("\\u%04x", c:byte())
   end) .. '"'
end

function M.messages()
   local path = os.getenv("FZ_BENCH_MESSAGES") or error("FZ_BENCH_MESSAGES is not set")
   local list = {}
   for line in io.lines(path) do
      if #line > 0 then list[#list + 1] = line end
   end
   if #list == 0 then error("no messages in " .. path) end
   return list
end

M.headers_get = {["Authorization"] = "Bearer " .. M.key}
M.headers_json = {["Authorization"] = "Bearer " .. M.key, ["Content-Type"] = "application/json"}

-- Per-thread status counters, read by done() through thread:get().
ok, bad = 0, 0

function M.count(status)
   if status >= 200 and status < 300 then ok = ok + 1 else bad = bad + 1 end
end

local threads = {}

function setup(thread)
   thread:set("tid", #threads)
   threads[#threads + 1] = thread
end

-- One line for scripts/bench_http.sh. counted: true when response() counted every answer;
-- otherwise non-2xx is wrk's own count of answers with a status of 400 or more.
function M.report(summary, latency, counted)
   local n2xx, non2xx = 0, 0
   if counted then
      for _, t in ipairs(threads) do
         n2xx = n2xx + (t:get("ok") or 0)
         non2xx = non2xx + (t:get("bad") or 0)
      end
   else
      non2xx = summary.errors.status
      n2xx = summary.requests - non2xx
   end
   local e = summary.errors
   io.write(string.format(
      "RESULT requests=%d duration_us=%d rps=%.0f p50_us=%d p99_us=%d n2xx=%d non2xx=%d " ..
      "sock_errors=%d\n", summary.requests, summary.duration,
      summary.requests / (summary.duration / 1e6), latency:percentile(50),
      latency:percentile(99), n2xx, non2xx, e.connect + e.read + e.write + e.timeout))
end

return M
