-- bench/http/reports.lua: POST /api/v1/reports with a partner key, each with a distinct text
-- (a message of FZ_BENCH_MESSAGES and a serial number; FZ_BENCH_RUN tells runs apart) and,
-- for one in three, a loss and a contact. Counts the 2xx answers itself, so the script can
-- check that the store holds at least as many reports as were acknowledged.
local dir = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."
local C = dofile(dir .. "/common.lua")
local run = os.getenv("FZ_BENCH_RUN") or "0"

local msgs, serial

function init(args)
   msgs = C.messages()
   serial = 0
end

function request()
   serial = serial + 1
   local m = msgs[serial % #msgs + 1]
   local body = '{"channel":"sms","text":' ..
      C.json_str(m .. " [report " .. run .. "-" .. tid .. "-" .. serial .. "]")
   if serial % 3 == 0 then
      body = body .. ',"loss_fen":' .. (serial % 1000) * 10000 ..
         ',"contact_name":"张三","contact_phone":"' .. C.number(5000000 + serial) .. '"'
   end
   return wrk.format("POST", "/api/v1/reports", C.headers_json, body .. "}")
end

function response(status, headers, body)
   C.count(status)
end

function done(summary, latency, requests)
   C.report(summary, latency, true)
end
